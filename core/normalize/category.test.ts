import { describe, expect, it } from 'vitest';
import { joinCategoryPath, primaryCategory, splitCategoryList, splitCategoryPath } from './category.js';
import { expectRows } from '../test-support/table.js';

describe('splitCategoryPath', () => {
  it('splits on > and trims', () => {
    expect(splitCategoryPath('Home & Garden > Kitchen & Dining > Kitchen Appliances')).toEqual([
      'Home & Garden',
      'Kitchen & Dining',
      'Kitchen Appliances',
    ]);
    expect(splitCategoryPath('Home>Kitchen')).toEqual(['Home', 'Kitchen']);
    expect(splitCategoryPath('  Home >  > Kitchen > ')).toEqual(['Home', 'Kitchen']);
  });
  it('splits on / when there is no >', () => {
    expect(splitCategoryPath('Home/Kitchen/Cookware')).toEqual(['Home', 'Kitchen', 'Cookware']);
    expect(splitCategoryPath('Apparel > Shirts / Tops')).toEqual(['Apparel', 'Shirts / Tops']);
  });
  it('treats breadcrumb arrows like >', () => {
    expect(splitCategoryPath('Home › Kitchen » Mugs → Travel')).toEqual([
      'Home',
      'Kitchen',
      'Mugs',
      'Travel',
    ]);
  });
  it('keeps numeric Google category ids whole', () => {
    expect(splitCategoryPath('2271')).toEqual(['2271']);
    expect(splitCategoryPath(' 536 ')).toEqual(['536']);
  });
  it('normalizes segments (NFKC, entities)', () => {
    expect(splitCategoryPath('Ｋｉｔｃｈｅｎ &amp; Dining > Mugs')).toEqual(['Kitchen & Dining', 'Mugs']);
  });
  it('blank -> []', () => {
    expectRows(splitCategoryPath, [
      ['', []],
      ['  ', []],
      [null, []],
      [' > > ', []],
      [' / ', []],
    ]);
  });
});

describe('splitCategoryList', () => {
  it('splits WooCommerce category lists with escaped commas', () => {
    expect(splitCategoryList('Electronics > Phones, Sale')).toEqual([['Electronics', 'Phones'], ['Sale']]);
    expect(splitCategoryList('Clothing > Hoodies, Clothing > Shirts\\, Tops')).toEqual([
      ['Clothing', 'Hoodies'],
      ['Clothing', 'Shirts, Tops'],
    ]);
    expectRows(splitCategoryList, [
      ['Kitchen|Coffee > Brewers', [['Kitchen'], ['Coffee', 'Brewers']]],
      ['A, , B,', [['A'], ['B']]],
      ['Uncategorized', [['Uncategorized']]],
      ['', []],
      [null, []],
    ]);
  });
});

describe('primaryCategory / joinCategoryPath', () => {
  it('takes the deepest path, the first of those as deep', () => {
    expect(primaryCategory([['Electronics', 'Phones'], ['Sale']])).toEqual(['Electronics', 'Phones']);
    expect(primaryCategory([['Clothing'], ['Sale'], ['Clothing', 'Hoodies']])).toEqual([
      'Clothing',
      'Hoodies',
    ]);
    // A flat merchandising category listed first (Sale, Gifts) is not the product's place in the tree.
    expect(primaryCategory([['Sale'], ['Clothing', 'Hoodies']])).toEqual(['Clothing', 'Hoodies']);
    expect(primaryCategory([['Sale'], ['Gifts']])).toEqual(['Sale']);
    expect(primaryCategory([])).toEqual([]);
  });
  it('joins with " > "', () => {
    expect(joinCategoryPath(['Home', 'Kitchen'])).toBe('Home > Kitchen');
    expect(joinCategoryPath([])).toBe('');
  });
});
