/**
 * The assortment rules form beside the JSON (pure): a rule as form fields and back, the JSON text as rules and back,
 * and the form field a problem belongs to (rules.check and rules.set name it by its JSON path).
 */
import { RULE_FIELDS, RULE_OPS, type AssortmentRule } from '../../../../core/api/contract';

export { RULE_FIELDS, RULE_OPS };

export type RuleOp = (typeof RULE_OPS)[number];
export type Scope = 'notExpectedIn' | 'onlyIn';

/** One rule as the form shows it. `column` is used when `fieldKind` is 'column' (a raw header). */
export interface RuleDraft {
  name: string;
  channel: string;
  fieldKind: 'field' | 'column';
  field: string;
  column: string;
  op: string;
  value: string;
  scope: Scope;
  channels: string[];
}

/** The form field a problem belongs to. */
export type FormField = 'rule' | 'name' | 'channel' | 'field' | 'op' | 'value' | 'channels';

export interface RuleProblem {
  index: number;
  field: FormField;
  message: string;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A rule (or whatever the JSON holds at its place) as form fields; what is missing is blank. */
export function draftOf(raw: unknown): RuleDraft {
  const rule = record(raw);
  const when = record(rule.when);
  const column =
    typeof when.field === 'object' && when.field !== null ? text(record(when.field).column) : null;
  const scope: Scope =
    rule.onlyIn !== undefined && rule.notExpectedIn === undefined ? 'onlyIn' : 'notExpectedIn';
  const list = rule[scope];
  return {
    name: text(rule.name),
    channel: text(when.channel),
    fieldKind: column === null ? 'field' : 'column',
    field: column === null ? text(when.field) : '',
    column: column ?? '',
    op: text(when.op),
    value: text(when.value),
    scope,
    channels: Array.isArray(list) ? list.map(text) : [],
  };
}

/** The form's fields as a rule, in the JSON's key order. */
export function ruleOf(d: RuleDraft): AssortmentRule {
  return {
    name: d.name,
    when: {
      channel: d.channel,
      field: d.fieldKind === 'column' ? { column: d.column } : d.field,
      op: d.op as RuleOp,
      value: d.value,
    },
    [d.scope]: d.channels,
  };
}

/** A new rule to fill in: on the first channel, not expected on the others. */
export function newDraft(channels: readonly string[], taken: readonly string[]): RuleDraft {
  let name = 'new rule';
  for (let n = 2; taken.some((t) => t.toLowerCase() === name); n++) name = `new rule ${n}`;
  return {
    name,
    channel: channels[0] ?? '',
    fieldKind: 'field',
    field: 'tags',
    column: '',
    op: 'contains',
    value: '',
    scope: 'notExpectedIn',
    channels: channels.slice(1, 2),
  };
}

export function writeRules(rules: readonly unknown[]): string {
  return JSON.stringify(rules, null, 2);
}

/** The JSON text as a list the form can show; null when it is not valid JSON or not a list. */
export function readRules(json: string): unknown[] | null {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** The text with rule `index` replaced by the form's fields (others kept exactly as they are). */
export function withRule(list: readonly unknown[], index: number, draft: RuleDraft): string {
  return writeRules(list.map((r, i) => (i === index ? ruleOf(draft) : r)));
}

/** The form field of a problem parseRules names by its JSON path (`when.value`, `onlyIn.2`, …). */
export function formFieldOf(path: string): FormField {
  const [head, sub] = path.split('.');
  if (head === 'name') return 'name';
  if (head === 'when')
    return sub === 'channel' || sub === 'field' || sub === 'op' || sub === 'value' ? sub : 'rule';
  if (head === 'notExpectedIn' || head === 'onlyIn') return 'channels';
  return 'rule';
}

/** A problem (rules.check's, or rules.set's BAD_INPUT details) placed at its rule and form field. */
export function problemOf(e: {
  message: string;
  details?: { index?: unknown; field?: unknown };
}): RuleProblem {
  const index = typeof e.details?.index === 'number' ? e.details.index : -1;
  const path = typeof e.details?.field === 'string' ? e.details.field : '';
  // "rules: rule 1 ("bad"): has no "when"" -> "has no "when"": the form shows it at the rule already.
  const message = e.message.replace(/^[^:]*: rule \d+( \("[^"]*"\))?: /, '');
  return { index, field: formFieldOf(path), message };
}
