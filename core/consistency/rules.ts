/**
 * Assortment rules (DESIGN.md "Assortment rules"): validating a rule file, and deciding for one product on which
 * channels it is not expected (intended absences are not gaps).
 */
import { AssortmentRuleSchema, RULE_FIELDS, RULE_OPS, type AssortmentRule } from '../api/contract.js';
import { ConcordError } from '../model/errors.js';
import type { ProductRecord } from './types.js';

export { RULE_FIELDS, RULE_OPS };
type RuleOp = (typeof RULE_OPS)[number];
type RuleField = (typeof RULE_FIELDS)[number];

/** What a rule sees of a channel record. */
export type RuleRecord = Pick<
  ProductRecord,
  | 'channel'
  | 'format'
  | 'recordId'
  | 'parentId'
  | 'title'
  | 'brand'
  | 'gtin'
  | 'mpn'
  | 'sku'
  | 'status'
  | 'tags'
  | 'category'
  | 'availability'
  | 'condition'
> & {
  /** The raw cell under this header (case-insensitive), or null when the row has none. */
  column(name: string): string | null;
};

/** The name recorded for absences the built-in Shopify status rule explains. */
export function builtinStatusRuleName(status: 'draft' | 'archived'): string {
  return `shopify status ${status}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

const RULE_KEYS = ['name', 'when', 'notExpectedIn', 'onlyIn'];
const WHEN_KEYS = ['channel', 'field', 'op', 'value'];
const FIELD_SET = new Set<string>(RULE_FIELDS);
const FIELD_BY_LOWER = new Map<string, string>(RULE_FIELDS.map((f) => [f.toLowerCase(), f]));

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the text ${JSON.stringify(v)}`;
  return `${typeof v === 'number' ? 'the number' : typeof v} ${String(v)}`;
}

/** The first problem parseRules finds, at its rule's index and field path; null when the rules are good. */
export function checkRules(input: unknown): { index: number; field: string; message: string } | null {
  try {
    parseRules(input);
    return null;
  } catch (err) {
    if (!(err instanceof ConcordError)) throw err;
    const { index, field } = err.details as { index?: number; field?: string };
    return { index: index ?? -1, field: field ?? '', message: err.message };
  }
}

/**
 * Validates an assortment rule file's parsed JSON. Throws BAD_INPUT naming the origin (file), the rule's index
 * (0-based) and name, and the problem; details carry { file, index, field }. Returns the rules with their
 * strings trimmed.
 */
export function parseRules(input: unknown, origin = 'rules'): AssortmentRule[] {
  if (!Array.isArray(input)) {
    throw new ConcordError(
      'BAD_INPUT',
      `${origin}: assortment rules must be a JSON array of rules ([{"name": …, "when": …, "notExpectedIn": […]}]), got ${kindOf(input)}`,
      { file: origin },
    );
  }
  const rules: AssortmentRule[] = [];
  const firstByName = new Map<string, number>();
  input.forEach((raw, index) => {
    const rule = parseRule(raw, index, origin);
    const key = rule.name.toLowerCase();
    const first = firstByName.get(key);
    if (first !== undefined) {
      throw ruleError(origin, index, rule.name, 'name', `duplicate name (rule ${first} has it too)`);
    }
    firstByName.set(key, index);
    rules.push(rule);
  });
  return rules;
}

function ruleError(origin: string, index: number, name: string | null, field: string, problem: string) {
  const label = name ? `rule ${index} ("${name}")` : `rule ${index}`;
  return new ConcordError('BAD_INPUT', `${origin}: ${label}: ${problem}`, { file: origin, index, field });
}

function parseRule(raw: unknown, index: number, origin: string): AssortmentRule {
  let name: string | null = null;
  const fail = (field: string, problem: string) => ruleError(origin, index, name, field, problem);

  if (!isObject(raw))
    throw fail(
      '',
      `must be an object with "name", "when" and "notExpectedIn" or "onlyIn", got ${kindOf(raw)}`,
    );
  if (typeof raw.name === 'string' && raw.name.trim() !== '') name = raw.name.trim();
  for (const key of Object.keys(raw)) {
    if (!RULE_KEYS.includes(key))
      throw fail(key, `unknown key "${key}" (a rule has ${RULE_KEYS.join(', ')})`);
  }
  if (raw.name === undefined) throw fail('name', 'has no "name"');
  if (typeof raw.name !== 'string') throw fail('name', `"name" must be a string, got ${kindOf(raw.name)}`);
  if (name === null) throw fail('name', '"name" is empty');
  if (name.length > 200) throw fail('name', '"name" is longer than 200 characters');

  const when = raw.when;
  if (when === undefined)
    throw fail('when', 'has no "when" (the condition: {"channel", "field", "op", "value"})');
  if (!isObject(when)) throw fail('when', `"when" must be an object, got ${kindOf(when)}`);
  for (const key of Object.keys(when)) {
    if (!WHEN_KEYS.includes(key))
      throw fail(`when.${key}`, `unknown key "when.${key}" (a condition has ${WHEN_KEYS.join(', ')})`);
  }

  if (when.channel === undefined)
    throw fail('when.channel', 'has no "when.channel" (the channel whose records it tests)');
  const channel = nonEmptyString(when.channel);
  if (channel === null)
    throw fail('when.channel', `"when.channel" must be a channel name, got ${kindOf(when.channel)}`);

  if (when.field === undefined) throw fail('when.field', 'has no "when.field"');
  const field = parseField(when.field, fail);

  if (when.op === undefined) throw fail('when.op', `has no "when.op" (one of ${RULE_OPS.join(', ')})`);
  if (typeof when.op !== 'string' || !(RULE_OPS as readonly string[]).includes(when.op)) {
    throw fail('when.op', `unknown op ${JSON.stringify(when.op)} (expected one of ${RULE_OPS.join(', ')})`);
  }
  const op = when.op as RuleOp;

  if (when.value === undefined) throw fail('when.value', 'has no "when.value"');
  if (typeof when.value !== 'string')
    throw fail('when.value', `"when.value" must be a string, got ${kindOf(when.value)}`);
  const value = when.value.trim();
  if (value === '' && op !== 'equals') {
    throw fail('when.value', `"when.value" is empty: op "${op}" would match every record`);
  }
  if (op === 'matches') {
    try {
      new RegExp(value, 'i');
    } catch (err) {
      throw fail(
        'when.value',
        `"when.value" is not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`,
      );
    }
  }

  const hasNot = raw.notExpectedIn !== undefined;
  const hasOnly = raw.onlyIn !== undefined;
  if (!hasNot && !hasOnly)
    throw fail(
      'notExpectedIn',
      'has neither "notExpectedIn" nor "onlyIn": it must say where the product is not expected',
    );
  if (hasNot && hasOnly) throw fail('onlyIn', 'has both "notExpectedIn" and "onlyIn": use one of them');
  const listKey = hasNot ? 'notExpectedIn' : 'onlyIn';
  const list = parseChannelList(raw[listKey], listKey, fail);

  const rule: AssortmentRule = {
    name,
    when: { channel, field, op, value },
    ...(hasNot ? { notExpectedIn: list } : { onlyIn: list }),
  };
  // The checks above are stricter than the schema; this keeps the two from drifting apart unnoticed.
  const checked = AssortmentRuleSchema.safeParse(rule);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw fail(issue.path.join('.'), issue.message);
  }
  return rule;
}

function nonEmptyString(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function parseField(
  raw: unknown,
  fail: (field: string, problem: string) => ConcordError,
): string | { column: string } {
  if (typeof raw === 'string') {
    const name = raw.trim();
    if (FIELD_SET.has(name)) return name;
    if (name.toLowerCase() === 'description') {
      throw fail(
        'when.field',
        'field "description" is not available to rules (descriptions are not loaded for detection); test the raw column instead, e.g. {"column": "Body (HTML)"}',
      );
    }
    const known = FIELD_BY_LOWER.get(name.toLowerCase());
    const hint = known ? `did you mean "${known}"? ` : '';
    throw fail(
      'when.field',
      `unknown field ${JSON.stringify(raw)} (${hint}normalized fields: ${RULE_FIELDS.join(', ')}; or {"column": "<raw header>"} for a column of the channel's file)`,
    );
  }
  if (isObject(raw)) {
    const keys = Object.keys(raw);
    const column = nonEmptyString(raw.column);
    if (keys.length === 1 && keys[0] === 'column' && column !== null) return { column };
  }
  throw fail(
    'when.field',
    `"when.field" must be a normalized field name or {"column": "<raw header>"}, got ${kindOf(raw)}`,
  );
}

function parseChannelList(
  raw: unknown,
  key: string,
  fail: (field: string, problem: string) => ConcordError,
): string[] {
  if (!Array.isArray(raw)) throw fail(key, `"${key}" must be a list of channel names, got ${kindOf(raw)}`);
  if (raw.length === 0) throw fail(key, `"${key}" is an empty list: name at least one channel`);
  return raw.map((item, i) => {
    const channel = nonEmptyString(item);
    if (channel === null)
      throw fail(`${key}.${i}`, `"${key}" item ${i} must be a channel name, got ${kindOf(item)}`);
    return channel;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

/** Tests one record's (trimmed, lower-cased) value. */
type Test = (value: string) => boolean;
type Read = (rec: RuleRecord) => string | null | readonly string[];

interface CompiledRule {
  name: string;
  channel: string; // lower-cased
  read: Read;
  test: Test;
  /** Lower-cased channel names: the ones not expected (notExpectedIn) or the only ones expected (onlyIn). */
  channels: ReadonlySet<string>;
  only: boolean;
}

export interface CompiledRules {
  /** Raw columns each channel's rules read (channel as the rules name it), so a loader reads only those. */
  readonly columns: Map<string, string[]>;
  /**
   * For one product (all its records, across channels): the channels (of `channels`) where it is not expected,
   * each with the name of the first rule that says so. Built-in rule first, then the user's rules in order.
   */
  explain(records: readonly RuleRecord[], channels: readonly string[]): Map<string, string>;
}

const READERS: Record<RuleField, Read> = {
  title: (r) => r.title,
  brand: (r) => r.brand,
  gtin: (r) => r.gtin,
  mpn: (r) => r.mpn,
  sku: (r) => r.sku,
  status: (r) => r.status,
  tags: (r) => r.tags,
  category: (r) => r.category,
  availability: (r) => r.availability,
  condition: (r) => r.condition,
  recordId: (r) => r.recordId,
  parentId: (r) => r.parentId,
};

function compileTest(op: RuleOp, value: string): Test {
  const v = value.toLowerCase();
  switch (op) {
    case 'equals':
      return (s) => s === v;
    case 'contains':
      return (s) => s.includes(v);
    case 'startsWith':
      return (s) => s.startsWith(v);
    case 'matches': {
      // Values are lower-cased before testing; the `i` flag keeps upper-case classes like [A-Z] working too.
      const re = new RegExp(value, 'i');
      return (s) => re.test(s);
    }
  }
}

function compileRule(rule: AssortmentRule): CompiledRule {
  const { field, op, value } = rule.when;
  let read: Read;
  let test = compileTest(op, value.trim());
  if (typeof field === 'string') {
    read = READERS[field as RuleField];
    if (read === undefined)
      throw new ConcordError('BAD_INPUT', `rule "${rule.name}": unknown field "${field}"`);
    // DESIGN.md: for the tags list, `contains` means one tag equals the value.
    if (field === 'tags' && op === 'contains') test = compileTest('equals', value.trim());
  } else {
    const column = field.column;
    read = (r) => r.column(column);
  }
  const only = rule.onlyIn !== undefined;
  return {
    name: rule.name,
    channel: rule.when.channel.trim().toLowerCase(),
    read,
    test,
    channels: new Set((rule.onlyIn ?? rule.notExpectedIn ?? []).map((c) => c.trim().toLowerCase())),
    only,
  };
}

function matches(rule: CompiledRule, rec: RuleRecord): boolean {
  const value = rule.read(rec);
  if (typeof value === 'string') return rule.test(value.trim().toLowerCase());
  if (value === null) return rule.test('');
  if (value.length === 0) return rule.test('');
  for (const item of value) if (rule.test(item.trim().toLowerCase())) return true;
  return false;
}

export function compileRules(settings: {
  rules: readonly AssortmentRule[];
  builtinStatusRule: boolean;
}): CompiledRules {
  const compiled = settings.rules.map(compileRule);

  const columns = new Map<string, string[]>();
  for (const rule of settings.rules) {
    const field = rule.when.field;
    if (typeof field === 'string') continue;
    const channel = rule.when.channel.trim();
    const key = [...columns.keys()].find((c) => c.toLowerCase() === channel.toLowerCase()) ?? channel;
    const list = columns.get(key) ?? [];
    if (!list.some((c) => c.toLowerCase() === field.column.toLowerCase())) list.push(field.column);
    columns.set(key, list);
  }

  const builtin = settings.builtinStatusRule;
  const draft = builtinStatusRuleName('draft');
  const archived = builtinStatusRuleName('archived');
  // Channel names repeat across hundreds of thousands of calls: lower-case each once.
  const lower = new Map<string, string>();
  const lc = (s: string): string => {
    let l = lower.get(s);
    if (l === undefined) {
      l = s.trim().toLowerCase();
      lower.set(s, l);
    }
    return l;
  };

  return {
    columns,
    explain(records, channels) {
      const out = new Map<string, string>();
      if (!builtin && compiled.length === 0) return out;

      if (builtin) {
        for (const rec of records) {
          if (rec.format !== 'shopify' || rec.status === null) continue;
          const status = lc(rec.status);
          const name = status === 'draft' ? draft : status === 'archived' ? archived : null;
          if (name === null) continue;
          const home = lc(rec.channel);
          for (const c of channels) if (lc(c) !== home && !out.has(c)) out.set(c, name);
        }
      }

      // User rules apply in file order, whichever record makes them match.
      for (const rule of compiled) {
        if (out.size === channels.length) break;
        let fires = false;
        for (const rec of records) {
          if (lc(rec.channel) === rule.channel && matches(rule, rec)) {
            fires = true;
            break;
          }
        }
        if (!fires) continue;
        for (const c of channels) {
          if (!out.has(c) && rule.channels.has(lc(c)) !== rule.only) out.set(c, rule.name);
        }
      }
      return out;
    },
  };
}
