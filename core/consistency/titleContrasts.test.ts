import { describe, expect, it } from 'vitest';
import { TitleContrasts, titleNoise, type FamilyTitle } from './titleContrasts.js';

const product = (family: number, title: string, recordTitles: string[] = []): FamilyTitle => ({
  family,
  title,
  records: recordTitles.map((t) => ({ title: t })),
});

describe('TitleContrasts', () => {
  const store = [
    product(1, 'Irett Forged Santoku Knife 10"'),
    product(2, 'Irett Forged Bread Knife 10"'),
    product(3, 'Jasian Argan Repair Shampoo 500 ml'),
    product(4, 'Jasian Argan Repair Conditioner 500 ml'),
    product(5, 'Alor Vitamin C Serum 30 ml'),
    product(6, 'Alor Hydrating Serum 30 ml'),
    product(7, 'Brenton 4P Tent'),
    product(8, 'Brenton 3P Tent'),
  ];
  const contrasts = TitleContrasts.learn(store);

  it('reads a word that tells two of the store products apart as another product', () => {
    expect(
      contrasts.contrast('Irett Forged Santoku Knife 10"', 'Irett Forged Bread Knife 10" - Free Shipping'),
    ).toEqual(['santoku', 'bread']);
    expect(
      contrasts.contrast('Jasian Argan Repair Conditioner', 'Jasian Argan Oil Repair Shampoo (500 ml)'),
    ).toEqual(['conditioner', 'shampoo']);
  });

  it('reads two words against one (Vitamin C / Hydrating)', () => {
    expect(contrasts.contrast('Marix Hydrating Serum 50 ml', 'Marix Vitamin-C Serum 50 ml')).toEqual([
      'hydrating',
      'c vitamin',
    ]);
  });

  it('leaves wording, added words and numbers alone', () => {
    expect(
      contrasts.contrast('Irett Forged Santoku Knife 10"', 'IRETT forged santoku knife, 25 cm'),
    ).toBeNull();
    expect(
      contrasts.contrast('Irett Forged Santoku Knife', 'Kitchen Co. Irett Forged Santoku Chef Knife'),
    ).toBeNull();
    // Numbers are title identity's (titleIdentity.ts), not contrasts: 4P / 3P was not learned.
    expect(contrasts.contrast('Brenton 4P Tent', 'Brenton 3P Tent')).toBeNull();
  });

  it('does not learn variants of one family from each other', () => {
    const c = TitleContrasts.learn([
      product(1, 'Osey Rattan Lamp Sand'),
      product(1, 'Osey Rattan Lamp Clay'),
    ]);
    expect(c.size).toBe(0);
  });

  it('forgets a contrast that records of several families show against their own title (a channel wording)', () => {
    const families = ['Asha', 'Pelor', 'Ulus', 'Selian'].flatMap((name, k) => [
      product(2 * k, `${name} Ceramic Desk Lamp`, [`${name} Ceramic Desk Light`]),
      product(2 * k + 1, `${name} Ceramic Desk Light Tall`),
    ]);
    const withWording = TitleContrasts.learn([
      ...families,
      product(100, 'Osey Rattan Desk Lamp'),
      product(101, 'Osey Rattan Desk Light'),
    ]);
    expect(withWording.contrast('Calian Ceramic Desk Lamp', 'Calian Ceramic Desk Light')).toBeNull();
  });

  it('keeps a contrast that records of several families show both ways round (a record named after a sibling)', () => {
    // Knife makers with a Santoku and a Bread knife each; in four of them a record carries the other knife's name,
    // two one way and two the other: product swaps, not a channel's wording (which goes one way).
    const makers = ['Asha', 'Pelor', 'Ulus', 'Selian', 'Corden', 'Rosa'];
    const store = makers.flatMap((name, k) => {
      const swapped = k < 4;
      const santokuNamedBread = swapped && k % 2 === 0;
      const breadNamedSantoku = swapped && k % 2 === 1;
      return [
        product(
          2 * k,
          `${name} Forged Santoku Knife`,
          santokuNamedBread ? [`${name} Forged Bread Knife`] : [],
        ),
        product(
          2 * k + 1,
          `${name} Forged Bread Knife`,
          breadNamedSantoku ? [`${name} Forged Santoku Knife`] : [],
        ),
      ];
    });
    const learned = TitleContrasts.learn(store);
    expect(learned.contrast('Vara Forged Santoku Knife', 'Vara Forged Bread Knife')).toEqual([
      'santoku',
      'bread',
    ]);
    expect(learned.forStore().contrast('Asha Forged Santoku Knife', 'Asha Forged Bread Knife')).toEqual([
      'santoku',
      'bread',
    ]);
  });

  it("takes no brand or option value for a contrast (a channel that puts its brand or the variant's size in titles)", () => {
    // Half the tees' golden titles carry the brand, half a size: `Ridgeline Supply` / `Small` sets titles apart
    // both ways round, yet names no other product.
    const tees = ['Fenor', 'Osor', 'Garine', 'Torley', 'Corton', 'Aline'].flatMap((name, k) => {
      const noise = titleNoise(['Ridgeline Supply', 'Small']);
      const branded = `Ridgeline Supply ${name} Slub Cotton Tee`;
      const sized = `${name} Slub Cotton Tee Small`;
      return [
        {
          family: 2 * k,
          title: k % 2 ? branded : sized,
          noise,
          records: [{ title: k % 2 ? sized : branded, noise: () => noise }],
        },
        { family: 2 * k + 1, title: k % 2 ? sized : branded, noise, records: [] },
      ];
    });
    const learned = TitleContrasts.learn(tees);
    // The tee names tell tees apart (`Fenor` / `Osor`); the brand and the size tell none.
    expect(learned.contrast('Fenor Slub Cotton Tee', 'Osor Slub Cotton Tee')).toEqual(['fenor', 'osor']);
    expect(
      learned
        .toJson()
        .flat()
        .filter((p) => /ridgeline|supply|small/.test(p)),
    ).toEqual([]);
    const noise = titleNoise(['Ridgeline Supply', 'Small']);
    expect(
      contrasts.contrast(
        'Ridgeline Supply Irett Forged Santoku Knife',
        'Irett Forged Santoku Knife Small',
        () => noise,
      ),
    ).toBeNull();
    expect(
      contrasts.contrast(
        'Ridgeline Supply Irett Forged Santoku Knife',
        'Irett Forged Bread Knife',
        () => noise,
      ),
    ).toEqual(['santoku', 'bread']);
  });

  it('round-trips through its stored form', () => {
    const back = TitleContrasts.fromJson(contrasts.toJson());
    expect(back.size).toBe(contrasts.size);
    expect(back.contrast('Irett Forged Santoku Knife', 'Irett Forged Bread Knife')).toEqual([
      'santoku',
      'bread',
    ]);
  });
});

describe('TitleContrasts spelling', () => {
  it('does not take two spellings of one word for two products', () => {
    const c = TitleContrasts.learn([
      product(1, 'Nivea Peptide Firming Moisturising Lotion'),
      product(2, 'Nivea Peptide Firming Moisturizing Lotion'),
    ]);
    expect(c.size).toBe(0);
  });
});

describe('TitleContrasts.forStore', () => {
  it('answers as contrast does for the titles it learned from', () => {
    const learned = TitleContrasts.learn([
      product(1, 'Irett Forged Santoku Knife', [
        'Irett Forged Bread Knife',
        'Irett Forged Santoku Knife 10"',
      ]),
      product(2, 'Irett Forged Bread Knife', ['Irett Forged Bread Knife']),
    ]);
    const judge = learned.forStore();
    expect(judge.contrast('Irett Forged Santoku Knife', 'Irett Forged Bread Knife')).toEqual([
      'santoku',
      'bread',
    ]);
    expect(judge.contrast('Irett Forged Santoku Knife', 'Irett Forged Santoku Knife 10"')).toBeNull();
  });
});
