import { describe, expect, it } from 'vitest';
import {
  amazonRecordId,
  genericRecordId,
  gmcRecordId,
  parseWooParent,
  shopifyRecordId,
  wooRecordId,
} from './identity.js';
import { expectRows } from '../test-support/table.js';

describe('shopifyRecordId', () => {
  it('uses Variant SKU when present', () => {
    expect(shopifyRecordId(' NW-TEE-BLK-S ', 'classic-cotton-tee', ['Black', 'S'])).toBe('NW-TEE-BLK-S');
  });
  it('falls back to Handle + option values', () => {
    expect(shopifyRecordId('', 'pour-over-dripper', ['Matte Black'])).toBe('pour-over-dripper/Matte Black');
    expect(shopifyRecordId(null, 'classic-cotton-tee', ['Black', 'S', ''])).toBe(
      'classic-cotton-tee/Black/S',
    );
    expect(shopifyRecordId(undefined, 'french-press', ['Default Title'])).toBe('french-press/Default Title');
    expect(shopifyRecordId('  ', 'gift-card', [])).toBe('gift-card');
  });
  it('null without SKU and Handle', () => {
    expect(shopifyRecordId('', '', ['Black'])).toBeNull();
  });
});

describe('other channels', () => {
  it('WooCommerce: SKU else ID', () => {
    expect(wooRecordId('KC-MUG-12', '57')).toBe('KC-MUG-12');
    expect(wooRecordId('', '57')).toBe('57');
    expect(wooRecordId(null, ' ')).toBeNull();
  });
  it('GMC, Amazon, generic: the id column trimmed', () => {
    expect(gmcRecordId(' G-1042 ')).toBe('G-1042');
    expect(amazonRecordId('NW-TEE-BLK-S')).toBe('NW-TEE-BLK-S');
    expect(genericRecordId('')).toBeNull();
  });
  it('parses WooCommerce Parent references', () => {
    expectRows(parseWooParent, [
      ['id:123', { id: '123' }],
      ['ID: 77', { id: '77' }],
      ['NW-HOODIE', { sku: 'NW-HOODIE' }],
      ['id:', { sku: 'id:' }],
      ['', null],
    ]);
  });
});
