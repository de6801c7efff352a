import { describe, expect, it } from 'vitest';
import type { AssortmentRule } from '../../../../core/api/contract';
import { draftOf, newDraft, problemOf, readRules, ruleOf, withRule, writeRules } from './ruleForm';

const RULES: AssortmentRule[] = [
  {
    name: 'no ads for samples',
    when: { channel: 'shopify', field: 'tags', op: 'contains', value: 'sample' },
    notExpectedIn: ['google', 'amazon'],
  },
  {
    name: 'outlet stays in the shop',
    when: { channel: 'woocommerce', field: 'category', op: 'startsWith', value: 'Outlet' },
    onlyIn: ['woocommerce'],
  },
  {
    name: 'marketplace flag',
    when: { channel: 'amazon', field: { column: 'fulfillment-channel' }, op: 'matches', value: '^AMAZON_' },
    notExpectedIn: ['google', 'woocommerce'],
  },
];

describe('rules form', () => {
  it('shows each rule as fields and writes the same rule back (form -> JSON -> form)', () => {
    for (const rule of RULES) expect(ruleOf(draftOf(rule))).toEqual(rule);
    const text = writeRules(RULES);
    const list = readRules(text)!;
    expect(list.map(draftOf).map(ruleOf)).toEqual(RULES);
    // The column rule reads as a column in the form.
    expect(draftOf(RULES[2])).toMatchObject({
      fieldKind: 'column',
      column: 'fulfillment-channel',
      field: '',
    });
    expect(draftOf(RULES[1])).toMatchObject({ scope: 'onlyIn', channels: ['woocommerce'] });
  });

  it('an edit in the form changes that rule in the JSON and nothing else', () => {
    const list = readRules(writeRules(RULES))!;
    const edited = withRule(list, 1, {
      ...draftOf(list[1]),
      value: 'Last chance',
      scope: 'notExpectedIn',
      channels: ['google'],
    });
    const after = readRules(edited)!;
    expect(after[0]).toEqual(RULES[0]);
    expect(after[2]).toEqual(RULES[2]);
    expect(after[1]).toEqual({
      name: 'outlet stays in the shop',
      when: { channel: 'woocommerce', field: 'category', op: 'startsWith', value: 'Last chance' },
      notExpectedIn: ['google'],
    });
    expect(draftOf(after[1]).value).toBe('Last chance');
  });

  it('a new rule takes a name not taken yet', () => {
    const draft = newDraft(['shopify', 'google'], ['new rule']);
    expect(draft.name).toBe('new rule 2');
    expect(ruleOf(draft)).toEqual({
      name: 'new rule 2',
      when: { channel: 'shopify', field: 'tags', op: 'contains', value: '' },
      notExpectedIn: ['google'],
    });
  });

  it('places a problem at its rule and form field, by the path the server names', () => {
    const at = (field: string) =>
      problemOf({ message: 'rules: rule 2 ("x"): bad', details: { index: 2, field } }).field;
    expect(at('name')).toBe('name');
    for (const f of ['channel', 'field', 'op', 'value'] as const) expect(at(`when.${f}`)).toBe(f);
    expect(at('when.colour')).toBe('rule');
    expect(at('notExpectedIn')).toBe('channels');
    expect(at('onlyIn.2')).toBe('channels');
    expect(at('')).toBe('rule');
    expect(
      problemOf({
        message: 'rules: rule 0 ("x"): "when.value" is empty',
        details: { index: 0, field: 'when.value' },
      }),
    ).toEqual({ index: 0, field: 'value', message: '"when.value" is empty' });
    expect(
      problemOf({ message: 'rules: rule 3: has no "name"', details: { index: 3, field: 'name' } }),
    ).toEqual({
      index: 3,
      field: 'name',
      message: 'has no "name"',
    });
  });

  it('reads only a JSON list of rules', () => {
    expect(readRules('[{"name": ')).toBeNull();
    expect(readRules('{"name": "x"}')).toBeNull();
    expect(readRules('[]')).toEqual([]);
  });
});
