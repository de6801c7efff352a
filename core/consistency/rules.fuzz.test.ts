/**
 * Fuzz suite of the assortment-rule validator (issue 13, "Beyond the probes"): any JSON, and valid rule files with
 * parts replaced, removed or added. Invariants: parseRules returns rules the schema and the compiler accept, or throws
 * BAD_INPUT naming the origin (and the rule's index when one rule is wrong) — never another exception; through the
 * API a refused rule file leaves the workspace exactly as it was. Seeded and bounded.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AssortmentRuleSchema } from '../api/contract.js';
import { LocalApi } from '../cli/api.js';
import { ConcordError } from '../model/errors.js';
import { fingerprintOf } from '../test-support/fingerprint.js';
import { useSuiteTempDir } from '../test-support/tmp.js';
import { compileRules, parseRules, RULE_FIELDS, RULE_OPS } from './rules.js';

const SEED = Number(process.env.FUZZ_SEED ?? 13);
const RUNS_SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_MS ?? 3_000);

const options = (numRuns: number) => ({
  seed: SEED,
  numRuns: Math.round(numRuns * RUNS_SCALE),
  interruptAfterTimeLimit: TIME_LIMIT_MS,
  markInterruptAsFailure: false,
});

/** Valid rules of every shape: a normalized field and a raw column, each op, both kinds of channel list. */
const VALID: unknown[] = [
  {
    name: 'feed exclusions',
    when: { channel: 'shopify', field: 'tags', op: 'contains', value: 'no-feed' },
    notExpectedIn: ['google'],
  },
  {
    name: 'clearance is web-shop only',
    when: { channel: 'woocommerce', field: 'category', op: 'startsWith', value: 'Clearance' },
    onlyIn: ['woocommerce'],
  },
  {
    name: 'house brand',
    when: { channel: 'shopify', field: 'brand', op: 'matches', value: '^northwind basics$' },
    notExpectedIn: ['amazon'],
  },
  {
    name: 'no knives',
    when: { channel: 'shopify', field: { column: 'Type' }, op: 'equals', value: 'Kitchen Knives' },
    notExpectedIn: ['amazon', 'google'],
  },
];

/** Values a rule's parts are likely to be confused with, beside any JSON. */
const partArb = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    ...RULE_OPS,
    ...RULE_FIELDS,
    '',
    ' ',
    '(',
    '[a-',
    '\\',
    'shopify',
    { column: '' },
    { column: 'x' },
  ),
  fc.string({ maxLength: 300 }),
);

const PATHS = [
  ['name'],
  ['when'],
  ['when', 'channel'],
  ['when', 'field'],
  ['when', 'op'],
  ['when', 'value'],
  ['notExpectedIn'],
  ['onlyIn'],
  ['notExpectedIn', '0'],
  ['extra'],
  ['when', 'extra'],
] as const;

type Edit = { rule: number; path: readonly string[]; value: unknown; remove: boolean };
const editArb: fc.Arbitrary<Edit> = fc.record({
  rule: fc.nat(),
  path: fc.constantFrom(...PATHS),
  value: partArb,
  remove: fc.boolean(),
});

function edited(rules: readonly unknown[], edits: readonly Edit[]): unknown[] {
  const out = structuredClone(rules) as Record<string, unknown>[];
  for (const e of edits) {
    let target: Record<string, unknown> = out[e.rule % out.length];
    for (const key of e.path.slice(0, -1)) {
      const next = target[key];
      if (typeof next !== 'object' || next === null) return out;
      target = next as Record<string, unknown>;
    }
    const last = e.path[e.path.length - 1];
    if (e.remove) delete target[last];
    else target[last] = e.value;
  }
  return out;
}

/** parseRules' contract on any input: rules the schema and the compiler take, or BAD_INPUT naming the origin. */
function checkParse(input: unknown): boolean {
  try {
    const rules = parseRules(input, 'fuzz.json');
    for (const r of rules) expect(AssortmentRuleSchema.safeParse(r).success).toBe(true);
    compileRules({ rules, builtinStatusRule: true });
    return true;
  } catch (err) {
    if (!(err instanceof ConcordError)) throw err;
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(/^fuzz\.json: /);
    if (typeof err.details.index === 'number') expect(err.message).toContain(`rule ${err.details.index}`);
    return false;
  }
}

describe('rule validator fuzz', () => {
  it('the seed rules are valid (the edits start from a file that works)', () => {
    expect(checkParse(VALID)).toBe(true);
  });

  it('any JSON value', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 5 })),
        (v) => {
          checkParse(v);
        },
      ),
      options(300),
    );
  });

  it('valid rules with parts replaced, removed or added', () => {
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 1, maxLength: 4 }), (edits) => {
        checkParse(edited(VALID, edits));
      }),
      options(500),
    );
  });

  describe('through the API', () => {
    const dir = useSuiteTempDir('concord-rules-fuzz-');
    const api = new LocalApi();
    let ws: string;

    beforeAll(async () => {
      ws = join(dir(), 'rules.concord');
      await api.call('workspace.create', { path: ws });
      await api.call('rules.set', { rules: VALID, source: 'seed.json' });
    });

    it('a refused rule file leaves the workspace exactly as it was', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 4 }), async (edits) => {
          const rules = edited(VALID, edits);
          const before = fingerprintOf(ws);
          try {
            await api.call('rules.set', { rules, source: 'fuzz.json' });
            await api.call('rules.set', { rules: VALID, source: 'seed.json' });
          } catch (err) {
            if (!(err instanceof ConcordError)) throw err;
            expect(err.code).toBe('BAD_INPUT');
            expect(fingerprintOf(ws)).toEqual(before);
          }
        }),
        options(60),
      );
    });
  });
});
