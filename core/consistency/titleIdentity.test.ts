import { describe, expect, it } from 'vitest';
import { identityConflict, identityTokens } from './titleIdentity.js';

const conflict = (expected: string, actual: string) =>
  identityConflict(identityTokens(expected), identityTokens(actual));

describe('identityTokens', () => {
  it('reads quantities in base units whatever the writing', () => {
    expect(identityTokens('SanDisk Extreme 128GB').get('capacity')).toEqual(new Set(['128']));
    expect(identityTokens('Kettle 1.7 L').get('volume')).toEqual(new Set(['1700']));
    expect(identityTokens('Kettle 1700ml').get('volume')).toEqual(new Set(['1700']));
    expect(identityTokens('Tea, 80 Tea Bags').get('count')).toEqual(new Set(['80']));
    expect(identityTokens('Mugs Set of 4').get('count')).toEqual(new Set(['4']));
    expect(identityTokens('Mugs 4-Piece Set').get('count')).toEqual(new Set(['4']));
    expect(identityTokens('Shampoo 6-Pack').get('count')).toEqual(new Set(['6']));
    expect(identityTokens('Charger 65 Watt').get('power')).toEqual(new Set(['65']));
    expect(identityTokens('Chef knife 8"').get('length')).toEqual(new Set(['203.2']));
    expect(identityTokens('Chocolate 0.25 kg').get('mass')).toEqual(new Set(['250']));
  });

  it('reads sizes and model codes', () => {
    expect(identityTokens('Tee - Medium').get('size')).toEqual(new Set(['m']));
    expect(identityTokens('Tee Size XL / Blue').get('size')).toEqual(new Set(['xl']));
    expect(identityTokens('Hoodie X-Large').get('size')).toEqual(new Set(['xl']));
    expect(identityTokens('Runner EU 42').get('shoe')).toEqual(new Set(['42']));
    expect(identityTokens('Runner 42 EU').get('shoe')).toEqual(new Set(['42']));
    expect(identityTokens('Sony WH-1000XM4 headphones').get('model')).toEqual(new Set(['wh1000xm4']));
    expect(identityTokens('2-in-1 cable').get('length')).toBeUndefined();
  });
});

describe('identityConflict', () => {
  it('treats formatting drift as the same identity', () => {
    expect(conflict('SanDisk Extreme 128GB', 'Sandisk extreme 128 gb - Free Shipping')).toBeNull();
    expect(conflict('Kettle 1.7 L', 'kettle 1700 ml')).toBeNull();
    expect(conflict('Shampoo Pack of 6', 'Shampoo 6 pk')).toBeNull();
    expect(conflict('Knife 20 cm', 'Knife 8"')).toBeNull();
    expect(conflict('Tee M', 'Tee Size Medium')).toBeNull();
    expect(conflict('Sony WH-1000XM4', 'SONY wh1000xm4 BT NC')).toBeNull();
    expect(conflict('Galaxy SM-A2392J 128GB', 'Galaxy A2392J 128GB')).toBeNull();
  });

  it('flags a changed identity token', () => {
    expect(conflict('SanDisk Extreme 128GB', 'SanDisk Extreme 256GB')?.dimension).toBe('capacity');
    expect(conflict('Sony WH-1000XM4', 'Sony WH-1000XM5')?.dimension).toBe('model');
    expect(conflict('Tee M', 'Tee L')?.dimension).toBe('size');
    expect(conflict('Runner EU 42', 'Runner EU 43')?.dimension).toBe('shoe');
    expect(conflict('Mugs Set of 4', 'Mugs Set of 6')?.dimension).toBe('count');
    expect(conflict('Kettle 1.7 L', 'Kettle 1.5 L')?.dimension).toBe('volume');
  });

  it('does not compare what only one side says', () => {
    expect(conflict('SanDisk Extreme', 'SanDisk Extreme 128GB')).toBeNull();
  });
});

describe('identity tokens after a fix', () => {
  it('reads `Size 50 ml` as a volume and digit-letter part numbers as codes', () => {
    expect(identityTokens('Size 50 ml').get('volume')).toEqual(new Set(['50']));
    expect(identityTokens('Size 50 ml').get('shoe')).toBeUndefined();
    expect(identityTokens('Smartphone 22133GH').get('model')).toEqual(new Set(['22133gh']));
    expect(
      conflict('Redmi 8C Smartphone 22133GH 128GB', 'Redmi 8C Smartphone 22134GH - 128GB')?.dimension,
    ).toBe('model');
  });
});

describe('apparel: trouser sizes and style words', () => {
  it('reads waist and inseam written any way as one size', () => {
    for (const t of ['Jeans 30x32', 'Jeans 30/32', 'Jeans 30-32', 'Jeans W30 L32', 'Jeans 30 x 32'])
      expect(identityTokens(t).get('size'), t).toEqual(new Set(['30x32']));
    expect(identityTokens('Jeans 30/32').get('model')).toBeUndefined();
    expect(conflict('Slim Jeans 30x32 Indigo', 'slim jeans - 30/32 - indigo')).toBeNull();
    expect(conflict('Jeans 30x32', 'Jeans 32x32')?.dimension).toBe('size');
    expect(identityTokens('Frame 30x40 cm').get('size')).toBeUndefined();
    expect(conflict('Tee XXL', 'Tee 2XL')).toBeNull();
    expect(conflict('Inner Tube 700x38c', 'Inner Tube - 700 x 38C')).toBeNull();
    expect(conflict('Inner Tube 700x38c', 'Inner Tube 700 x 25c')?.dimension).toBe('size');
    expect(identityTokens('Tyre 29 x 2.4').get('size')).toEqual(new Set(['29x2.4']));
  });

  it('reads style: a style word replaced by another conflicts, a style left out does not', () => {
    expect(identityTokens('Merino Crew-Neck Tee').get('style')).toEqual(new Set(['neckline:crew']));
    expect(conflict('Merino Crew Neck Tee', 'Merino Henley Tee')?.dimension).toBe('style');
    expect(conflict('Merino V-Neck Tee', 'Merino Wool Pkt Tee')?.dimension).toBe('style');
    expect(conflict('Merino V-Neck Tee', 'merino vneck tee')).toBeNull();
    expect(conflict('Merino Crew Neck Tee', 'Merino Tee')).toBeNull();
    expect(conflict('Slim Fit Crew Neck Tee', 'Crew Neck Tee')).toBeNull();
    expect(conflict('Slim Fit Crew Neck Tee', 'Crew Neck Tee, Regular Fit')?.dimension).toBe('style');
    expect(conflict('Long Sleeve Henley', 'Short-Sleeve Henley')?.dimension).toBe('style');
  });

  it('reads who a garment is for, names with a number as models, and fluid ounces', () => {
    expect(conflict("Men's Fenen Insulated Jacket", "W's Fenen Insulated Jacket")?.dimension).toBe('gender');
    expect(conflict("Men's Fenen Jacket", 'Mens Fenen Jacket')).toBeNull();
    expect(conflict('Varley 3 MIPS Road Helmet', 'Bike Helmet, Varley-7 MIPS')?.dimension).toBe('model');
    expect(conflict('Varley 3 MIPS Road Helmet', 'Varley-3 MIPS Helmet')).toBeNull();
    expect(identityTokens('Tea, 80 Tea Bags').get('model')).toBeUndefined();
    expect(conflict('Serum 50 ml', 'Serum 3.4 fl oz')?.dimension).toBe('volume');
    expect(conflict('Serum 100 ml', 'Serum 3.4 fl. oz')).toBeNull();
  });

  it('reads lamp placement, bedding kind, bed sizes, people and longer model numbers', () => {
    expect(conflict('Norey 800 USB-C Front Lamp', 'Norey 400 USB-C Front Lamp')?.dimension).toBe('model');
    expect(conflict('Garine 800 Rear Lamp', 'Garine-800 Front Lamp')?.dimension).toBe('style');
    expect(conflict('Rosus Linen Duvet Cover', 'Rosus Linen Bed Sheet Set')?.dimension).toBe('style');
    expect(conflict('Aley Duvet Cover - Twin', 'Aley Duvet Cover - Full Size')?.dimension).toBe('size');
    expect(conflict('Irus Sheet Set - California King', 'Irus Sheets Set Cal King')).toBeNull();
    expect(identityTokens('size Full').get('size')).toEqual(new Set(['full']));
    expect(identityTokens('Full Grain Leather Belt').get('size')).toBeUndefined();
    expect(conflict('Ulix 4P Tent', '3 Person Ulix Tent')?.dimension).toBe('people');
    expect(conflict('Ulix 4P Tent', 'Ulix 4-Person Tent')).toBeNull();
    expect(conflict('Trail Shoe 2024 Edition', 'Trail Shoe 2025 Edition')).toBeNull();
  });
});
