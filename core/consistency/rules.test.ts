import { describe, expect, it } from 'vitest';
import type { AssortmentRule } from '../api/contract.js';
import { ConcordError } from '../model/errors.js';
import { compileRules, parseRules, type RuleRecord } from './rules.js';

const good = (over: Partial<AssortmentRule> = {}): Record<string, unknown> => ({
  name: 'feed exclusions',
  when: { channel: 'shopify', field: 'tags', op: 'contains', value: 'no-feed' },
  notExpectedIn: ['google'],
  ...over,
});

function parseError(input: unknown, origin = 'rules.json'): ConcordError {
  try {
    parseRules(input, origin);
  } catch (err) {
    expect(err).toBeInstanceOf(ConcordError);
    return err as ConcordError;
  }
  throw new Error('expected parseRules to throw');
}

describe('parseRules', () => {
  it("accepts DESIGN.md's example and trims strings", () => {
    const rules = parseRules([
      good(),
      {
        name: ' clearance is web-shop only ',
        when: { channel: 'woocommerce ', field: 'category', op: 'startsWith', value: ' Clearance ' },
        onlyIn: [' woocommerce'],
      },
      {
        name: 'knives',
        when: { channel: 'shopify', field: { column: ' Type ' }, op: 'equals', value: 'Kitchen Knives' },
        notExpectedIn: ['amazon'],
      },
    ]);
    expect(rules).toEqual([
      good(),
      {
        name: 'clearance is web-shop only',
        when: { channel: 'woocommerce', field: 'category', op: 'startsWith', value: 'Clearance' },
        onlyIn: ['woocommerce'],
      },
      {
        name: 'knives',
        when: { channel: 'shopify', field: { column: 'Type' }, op: 'equals', value: 'Kitchen Knives' },
        notExpectedIn: ['amazon'],
      },
    ]);
    expect(parseRules([])).toEqual([]);
  });

  it('refuses a file that is not an array', () => {
    const e = parseError({ rules: [] });
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(/^rules\.json: assortment rules must be a JSON array.*got an object$/);
    expect(e.details).toEqual({ file: 'rules.json' });
    expect(parseError('x').message).toMatch(/got the text "x"/);
  });

  it.each([
    ['a non-object rule', 42, '', /rule 2: must be an object .*got the number 42/],
    ['a missing name', { ...good(), name: undefined }, 'name', /rule 2: has no "name"/],
    [
      'a non-string name',
      { ...good(), name: 7 },
      'name',
      /rule 2: "name" must be a string, got the number 7/,
    ],
    ['an empty name', { ...good(), name: '  ' }, 'name', /rule 2: "name" is empty/],
    [
      'an unknown key',
      { ...good(), except: [] },
      'except',
      /rule 2 \("feed exclusions"\): unknown key "except"/,
    ],
    ['a missing when', { ...good(), when: undefined }, 'when', /has no "when"/],
    ['a when that is a list', { ...good(), when: [] }, 'when', /"when" must be an object, got a list/],
    [
      'a missing when.channel',
      { ...good(), when: { field: 'tags', op: 'equals', value: 'x' } },
      'when.channel',
      /rule 2 \("feed exclusions"\): has no "when.channel"/,
    ],
    [
      'an empty when.channel',
      { ...good(), when: { channel: '', field: 'tags', op: 'equals', value: 'x' } },
      'when.channel',
      /"when.channel" must be a channel name, got the text ""/,
    ],
    [
      'an unknown key in when',
      { ...good(), when: { channel: 's', field: 'tags', op: 'equals', value: 'x', negate: true } },
      'when.negate',
      /unknown key "when.negate"/,
    ],
    [
      'an unknown op',
      { ...good(), when: { channel: 's', field: 'tags', op: 'like', value: 'x' } },
      'when.op',
      /unknown op "like" \(expected one of equals, contains, startsWith, matches\)/,
    ],
    [
      'a missing op',
      { ...good(), when: { channel: 's', field: 'tags', value: 'x' } },
      'when.op',
      /has no "when.op"/,
    ],
    [
      'an unknown field',
      { ...good(), when: { channel: 's', field: 'colour', op: 'equals', value: 'x' } },
      'when.field',
      /unknown field "colour" \(normalized fields: title, brand, .*\{"column": "<raw header>"\}/,
    ],
    [
      'a field in the wrong case',
      { ...good(), when: { channel: 's', field: 'Brand', op: 'equals', value: 'x' } },
      'when.field',
      /unknown field "Brand" \(did you mean "brand"\?/,
    ],
    [
      'the description field',
      { ...good(), when: { channel: 's', field: 'description', op: 'contains', value: 'x' } },
      'when.field',
      /"description" is not available to rules.*\{"column": "Body \(HTML\)"\}/,
    ],
    [
      'a field that is neither a name nor a column',
      { ...good(), when: { channel: 's', field: { header: 'Type' }, op: 'equals', value: 'x' } },
      'when.field',
      /"when.field" must be a normalized field name or \{"column": "<raw header>"\}, got an object/,
    ],
    [
      'a column without a name',
      { ...good(), when: { channel: 's', field: { column: '' }, op: 'equals', value: 'x' } },
      'when.field',
      /"when.field" must be/,
    ],
    [
      'a numeric value',
      { ...good(), when: { channel: 's', field: 'tags', op: 'equals', value: 5 } },
      'when.value',
      /"when.value" must be a string, got the number 5/,
    ],
    [
      'an empty value for contains',
      { ...good(), when: { channel: 's', field: 'title', op: 'contains', value: ' ' } },
      'when.value',
      /op "contains" would match every record/,
    ],
    [
      'an invalid regex',
      { ...good(), when: { channel: 's', field: 'title', op: 'matches', value: '(unclosed' } },
      'when.value',
      /"when.value" is not a valid regular expression: .*unterminated group/i,
    ],
    [
      'neither notExpectedIn nor onlyIn',
      { name: 'x', when: good().when },
      'notExpectedIn',
      /rule 2 \("x"\): has neither "notExpectedIn" nor "onlyIn"/,
    ],
    ['both notExpectedIn and onlyIn', { ...good(), onlyIn: ['shopify'] }, 'onlyIn', /has both/],
    [
      'an empty notExpectedIn',
      { ...good(), notExpectedIn: [] },
      'notExpectedIn',
      /"notExpectedIn" is an empty list/,
    ],
    ['an empty onlyIn', { name: 'x', when: good().when, onlyIn: [] }, 'onlyIn', /"onlyIn" is an empty list/],
    ['onlyIn as a string', { name: 'x', when: good().when, onlyIn: 'web' }, 'onlyIn', /must be a list/],
    [
      'a non-string channel in a list',
      { ...good(), notExpectedIn: ['google', 3] },
      'notExpectedIn.1',
      /"notExpectedIn" item 1 must be a channel name, got the number 3/,
    ],
  ])('refuses %s with the rule index, name and problem', (_what, bad, field, message) => {
    const e = parseError([good({ name: 'a' }), good({ name: 'b' }), bad]);
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(/^rules\.json: rule 2/);
    expect(e.message).toMatch(message);
    expect(e.details).toEqual({ file: 'rules.json', index: 2, field });
  });

  it('refuses duplicate names, case-insensitively, naming both rules', () => {
    const e = parseError([good({ name: 'Feed' }), good({ name: 'other' }), good({ name: 'feed ' })]);
    expect(e.message).toBe('rules.json: rule 2 ("feed"): duplicate name (rule 0 has it too)');
    expect(e.details).toEqual({ file: 'rules.json', index: 2, field: 'name' });
  });

  it('names the origin "rules" by default', () => {
    expect(() => parseRules(null)).toThrow(/^rules: /);
  });
});

function rec(over: Partial<RuleRecord> & { cells?: Record<string, string> } = {}): RuleRecord {
  const { cells = {}, ...rest } = over;
  const lower = new Map(Object.entries(cells).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    channel: 'shopify',
    format: 'shopify',
    recordId: 'SKU-1',
    parentId: 'tee',
    title: 'Tee',
    brand: 'Northwind',
    gtin: null,
    mpn: null,
    sku: 'SKU-1',
    status: 'active',
    tags: [],
    category: null,
    availability: 'in_stock',
    condition: null,
    column: (name) => lower.get(name.toLowerCase()) ?? null,
    ...rest,
  };
}

const CHANNELS = ['shopify', 'woocommerce', 'google', 'amazon'];

function explain(rules: unknown[], records: RuleRecord[], builtinStatusRule = true, channels = CHANNELS) {
  return Object.fromEntries(
    compileRules({ rules: parseRules(rules), builtinStatusRule }).explain(records, channels),
  );
}

function rule(
  field: string | { column: string },
  op: string,
  value: string,
  effect: { notExpectedIn?: string[]; onlyIn?: string[] } = { notExpectedIn: ['google'] },
  channel = 'shopify',
  name = 'r',
) {
  return { name, when: { channel, field, op, value }, ...effect };
}

describe('compileRules().explain', () => {
  it('applies notExpectedIn when a record of the rule channel matches', () => {
    const rules = [rule('tags', 'contains', 'no-feed')];
    expect(explain(rules, [rec({ tags: ['sale', 'No-Feed '] })])).toEqual({ google: 'r' });
    expect(explain(rules, [rec({ tags: ['sale'] })])).toEqual({});
  });

  it('reads tags as a list: contains and equals mean one tag equals the value', () => {
    const tagged = [rec({ tags: ['no-feed-please'] })];
    expect(explain([rule('tags', 'contains', 'no-feed')], tagged)).toEqual({});
    expect(explain([rule('tags', 'equals', 'no-feed-please')], tagged)).toEqual({ google: 'r' });
    expect(explain([rule('tags', 'startsWith', 'no-feed')], tagged)).toEqual({ google: 'r' });
    expect(explain([rule('tags', 'matches', '^no-.*please$')], tagged)).toEqual({ google: 'r' });
  });

  it('compares case-insensitively and trimmed, with every op', () => {
    const r = [rec({ title: '  Chef KNIFE 20 cm ', category: 'Home > Kitchen > Knives' })];
    expect(explain([rule('title', 'equals', 'chef knife 20 CM')], r)).toEqual({ google: 'r' });
    expect(explain([rule('title', 'equals', 'chef knife')], r)).toEqual({});
    expect(explain([rule('title', 'contains', 'Knife')], r)).toEqual({ google: 'r' });
    expect(explain([rule('title', 'contains', 'fork')], r)).toEqual({});
    expect(explain([rule('category', 'startsWith', 'home > KITCHEN')], r)).toEqual({ google: 'r' });
    expect(explain([rule('category', 'startsWith', 'Kitchen')], r)).toEqual({});
    expect(explain([rule('title', 'matches', '\\d+ CM$')], r)).toEqual({ google: 'r' });
    expect(explain([rule('title', 'matches', '^knife')], r)).toEqual({});
  });

  it('tests every normalized field', () => {
    const r = rec({
      recordId: 'G-1',
      parentId: 'grp',
      brand: 'Acme',
      gtin: '00012345678905',
      mpn: 'M-1',
      sku: 'S-1',
      status: 'draft',
      availability: 'preorder',
      condition: 'refurbished',
      format: 'csv',
    });
    const cases: [string, string][] = [
      ['recordId', 'g-1'],
      ['parentId', 'GRP'],
      ['brand', 'acme'],
      ['gtin', '00012345678905'],
      ['mpn', 'm-1'],
      ['sku', 's-1'],
      ['status', 'Draft'],
      ['availability', 'preorder'],
      ['condition', 'refurbished'],
    ];
    for (const [field, value] of cases) {
      expect(explain([rule(field, 'equals', value)], [r]), field).toEqual({ google: 'r' });
      expect(explain([rule(field, 'equals', 'other')], [r]), field).toEqual({});
    }
  });

  it('reads raw columns by header, case-insensitively; an absent column is empty', () => {
    const r = [rec({ cells: { Type: 'Kitchen Knives' } })];
    expect(explain([rule({ column: 'type' }, 'equals', 'kitchen knives')], r)).toEqual({ google: 'r' });
    expect(explain([rule({ column: 'Custom' }, 'contains', 'x')], r)).toEqual({});
    // equals "" matches an empty or absent value
    expect(explain([rule({ column: 'Custom' }, 'equals', '')], r)).toEqual({ google: 'r' });
    expect(explain([rule('mpn', 'equals', '')], r)).toEqual({ google: 'r' });
    expect(explain([rule('tags', 'equals', '')], r)).toEqual({ google: 'r' });
  });

  it('onlyIn: every other channel of the workspace is not expected', () => {
    const rules = [rule('category', 'startsWith', 'Clearance', { onlyIn: ['WooCommerce'] }, 'woocommerce')];
    const woo = rec({ channel: 'woocommerce', format: 'woocommerce', category: 'Clearance > Mugs' });
    expect(explain(rules, [rec(), woo])).toEqual({ shopify: 'r', google: 'r', amazon: 'r' });
  });

  it("only tests records of the rule's channel (case-insensitive), and any of them makes it apply", () => {
    const rules = [rule('brand', 'equals', 'house', { notExpectedIn: ['Amazon'] }, 'Shopify')];
    const other = rec({ channel: 'woocommerce', format: 'woocommerce', brand: 'House' });
    expect(explain(rules, [other])).toEqual({});
    expect(explain(rules, [other, rec({ brand: 'Acme' }), rec({ brand: 'HOUSE' })])).toEqual({
      amazon: 'r',
    });
  });

  it('names only channels of the workspace, spelled as the workspace spells them', () => {
    const rules = [rule('tags', 'contains', 'x', { notExpectedIn: ['GOOGLE', 'ebay'] })];
    expect(explain(rules, [rec({ tags: ['x'] })], true, ['shopify', 'Google'])).toEqual({ Google: 'r' });
  });

  it('the first rule that says so names a channel: built-in first, then rules in order', () => {
    const rules = [
      rule('tags', 'contains', 'a', { notExpectedIn: ['google'] }, 'shopify', 'first'),
      rule('tags', 'contains', 'b', { onlyIn: ['shopify'] }, 'shopify', 'second'),
    ];
    expect(explain(rules, [rec({ tags: ['b'] }), rec({ tags: ['a'] })])).toEqual({
      google: 'first',
      woocommerce: 'second',
      amazon: 'second',
    });
    const draft = rec({ status: 'Draft', tags: ['a'] });
    expect(explain(rules, [draft])).toEqual({
      woocommerce: 'shopify status draft',
      google: 'shopify status draft',
      amazon: 'shopify status draft',
    });
  });

  it('built-in status rule: draft or archived Shopify records are expected on their channel only', () => {
    const archived = rec({ channel: 'shop-eu', status: 'archived' });
    expect(explain([], [archived], true, ['shop-eu', 'google'])).toEqual({
      google: 'shopify status archived',
    });
    expect(explain([], [archived], false, ['shop-eu', 'google'])).toEqual({});
    expect(explain([], [rec({ status: 'active' })])).toEqual({});
    // Only the Shopify format has this status.
    expect(explain([], [rec({ format: 'csv', status: 'draft' })])).toEqual({});
  });

  it('lists the raw columns each channel needs, once each', () => {
    const compiled = compileRules({
      rules: parseRules([
        rule({ column: 'Type' }, 'equals', 'a', undefined, 'shopify', 'a'),
        rule({ column: 'type' }, 'equals', 'b', undefined, 'Shopify', 'b'),
        rule({ column: 'Custom Label' }, 'equals', 'c', undefined, 'shopify', 'c'),
        rule('brand', 'equals', 'd', undefined, 'woocommerce', 'd'),
        rule({ column: 'Brands' }, 'equals', 'e', undefined, 'woocommerce', 'e'),
      ]),
      builtinStatusRule: true,
    });
    expect(Object.fromEntries(compiled.columns)).toEqual({
      shopify: ['Type', 'Custom Label'],
      woocommerce: ['Brands'],
    });
  });

  it('is fast enough for 300k products', () => {
    const compiled = compileRules({
      rules: parseRules([
        rule('tags', 'contains', 'no-feed', undefined, 'shopify', 'a'),
        rule('category', 'startsWith', 'Clearance', { onlyIn: ['woocommerce'] }, 'woocommerce', 'b'),
        rule('brand', 'matches', '^house brand$', { notExpectedIn: ['amazon'] }, 'shopify', 'c'),
        rule({ column: 'Type' }, 'equals', 'Kitchen Knives', { notExpectedIn: ['amazon'] }, 'shopify', 'd'),
      ]),
      builtinStatusRule: true,
    });
    const product = [
      rec({ tags: ['summer', 'cotton'], cells: { Type: 'Tees' } }),
      rec({ tags: ['summer', 'cotton'], cells: { Type: 'Tees' } }),
      rec({ channel: 'woocommerce', format: 'woocommerce', category: 'Clothing > Tees' }),
      rec({ channel: 'google', format: 'gmc' }),
      rec({ channel: 'amazon', format: 'amazon' }),
    ];
    const started = performance.now();
    let explained = 0;
    for (let i = 0; i < 300_000; i++) explained += compiled.explain(product, CHANNELS).size;
    const seconds = (performance.now() - started) / 1000;
    expect(explained).toBe(0);
    expect(seconds).toBeLessThan(3);
  });
});
