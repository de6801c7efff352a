import { describe, expect, it } from 'vitest';
import { CategoryModel } from './categoryMap.js';

/** A channel whose shop tree files shirts, knives and mugs; `n` products of each. */
function model(n = 6): CategoryModel {
  const m = new CategoryModel();
  for (let i = 0; i < n; i++) {
    m.observe('woo', 'Clothing > Tops', 'Apparel & Accessories > Clothing > Shirts & Tops');
    m.observe('woo', 'Kitchen > Knives', 'Home & Garden > Kitchen & Dining > Kitchen Knives');
    m.observe('woo', 'Kitchen > Mugs', 'Home & Garden > Kitchen & Dining > Tableware > Mugs');
  }
  return m;
}
const SHIRTS = 'Apparel & Accessories > Clothing > Shirts & Tops';

describe('CategoryModel', () => {
  it('agrees with the pairings matched products make, and with coarser ancestors', () => {
    const m = model();
    expect(m.disagrees('woo', 'Clothing > Tops', SHIRTS)).toBe(false);
    expect(m.disagrees('woo', 'Apparel & Accessories', SHIRTS)).toBe(false);
  });

  it('calls a pairing the products rarely make a gap', () => {
    const m = model();
    m.observe('woo', 'Kitchen > Knives', SHIRTS);
    expect(m.disagrees('woo', 'Kitchen > Knives', SHIRTS)).toBe(true);
  });

  it('calls a category in another branch altogether a gap even where the mapping has little evidence', () => {
    // The golden category has one product only: no evidence on its side, but Kitchen > Knives is kitchenware.
    const m = model();
    m.observe('woo', 'Kitchen > Knives', 'Apparel & Accessories > Clothing > Henleys');
    expect(m.disagrees('woo', 'Kitchen > Knives', 'Apparel & Accessories > Clothing > Henleys')).toBe(true);
    // A category seen once, under another top branch than where this channel files shirts.
    const once = model();
    once.observe('woo', 'Garden > Hoses', SHIRTS);
    expect(once.disagrees('woo', 'Garden > Hoses', SHIRTS)).toBe(true);
  });

  it('stays silent where the mapping is unsure and the category is nearby', () => {
    const m = model();
    m.observe('woo', 'Clothing > Shirts', SHIRTS); // seen once, same branch as Clothing > Tops
    expect(m.disagrees('woo', 'Clothing > Shirts', SHIRTS)).toBe(false);
    const ids = new CategoryModel();
    ids.observe('google', '212', SHIRTS);
    ids.observe('google', '212', SHIRTS);
    ids.observe('google', '5181', SHIRTS);
    expect(ids.disagrees('google', '5181', SHIRTS)).toBe(false);
  });

  it('takes the same leaf in two trees as the same category, unless the leaf is generic', () => {
    const m = model();
    expect(m.disagrees('woo', 'Outlet > Tops', 'Apparel & Accessories > Clothing > Tops')).toBe(false);
    expect(m.disagrees('woo', 'Kitchen > Knives', 'T-Shirts > Accessories')).toBe(true);
  });
});
