import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRules } from '../../fixtures/generator/rules.js';
import { concord } from '../test-support/cli.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { jsonErrorOffset } from './commands/rules.js';

const broken = (name: string) => fileURLToPath(new URL(`../../fixtures/broken/${name}`, import.meta.url));
const GOOD = buildRules(['shopify', 'woocommerce', 'google', 'amazon']);

describe('concord rules', () => {
  const tmp = useTempDir();

  function workspaceWithRules(): { ws: string; before: string } {
    const ws = join(tmp(), 'ws.concord');
    expect(concord('init', ws).code).toBe(0);
    const set = concord('rules', ws, '--set', writeTemp(tmp(), 'rules.json', JSON.stringify(GOOD)));
    expect(set.stderr).toBe(`stored ${GOOD.length} rules from ${join(tmp(), 'rules.json')}\n`);
    expect(set.code).toBe(0);
    const before = concord('rules', ws, '--json').stdout;
    return { ws, before };
  }

  it('lists no rules and the built-in rule on a new workspace', () => {
    const ws = join(tmp(), 'new.concord');
    concord('init', ws);
    const json = concord('rules', ws, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ rules: [], builtinStatusRule: true });
    const text = concord('rules', ws);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/built-in rule "shopify status draft\/archived" .*: on\n/);
    expect(text.stdout).toMatch(/no assortment rules/);
  });

  it("stores the generator's rules and round-trips them", () => {
    const { ws, before } = workspaceWithRules();
    expect(JSON.parse(before)).toEqual({ rules: GOOD, builtinStatusRule: true });
    const text = concord('rules', ws);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[2]).toMatch(/^#\s+name\s+when\s+effect$/);
    expect(text.stdout).toMatch(
      /0\s+feed exclusions\s+shopify: tags contains "no-feed"\s+not expected in google\n/,
    );
    expect(text.stdout).toMatch(
      /clearance is web-shop only\s+woocommerce: category startsWith "Clearance"\s+only in woocommerce/,
    );
    expect(text.stdout).toMatch(/shopify: column "Type" equals "Kitchen Knives"\s+not expected in amazon/);
    // Setting the listed JSON again changes nothing.
    const again = writeTemp(tmp(), 'again.json', JSON.stringify(JSON.parse(before).rules));
    expect(concord('rules', ws, '--set', again, '--json').stdout).toBe(before);
  });

  it('switches the built-in status rule and keeps the rules', () => {
    const { ws } = workspaceWithRules();
    const off = concord('rules', ws, '--builtin', 'off', '--json');
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout)).toEqual({ rules: GOOD, builtinStatusRule: false });
    expect(concord('rules', ws).stdout).toMatch(/: off\n/);
    const bad = concord('rules', ws, '--builtin', 'maybe');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--builtin takes on or off, got "maybe"/);
    expect(JSON.parse(concord('rules', ws, '--json').stdout).builtinStatusRule).toBe(false);
  });

  it('an empty list clears the rules', () => {
    const { ws } = workspaceWithRules();
    const r = concord('rules', ws, '--set', writeTemp(tmp(), 'none.json', '[]\n'), '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/stored 0 rules/);
    expect(JSON.parse(r.stdout)).toEqual({ rules: [], builtinStatusRule: true });
  });

  it('reads a file with a UTF-8 byte order mark', () => {
    const { ws } = workspaceWithRules();
    const file = writeTemp(tmp(), 'bom.json', `\ufeff${JSON.stringify(GOOD.slice(0, 1))}`);
    expect(concord('rules', ws, '--set', file).code).toBe(0);
    expect(JSON.parse(concord('rules', ws, '--json').stdout).rules).toEqual(GOOD.slice(0, 1));
  });

  it('refuses a missing file, naming it, and changes nothing', () => {
    const { ws, before } = workspaceWithRules();
    const missing = join(tmp(), 'nope.json');
    const r = concord('rules', ws, '--set', missing);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`concord rules: ${missing}: no such file\n`);
    expect(concord('rules', ws, '--json').stdout).toBe(before);
    const folder = concord('rules', ws, '--set', tmp());
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is a folder, not a file/);
  });

  it('refuses a missing workspace with exit 2', () => {
    const r = concord('rules', join(tmp(), 'missing.concord'), '--set', broken('rules-bad-op.json'));
    expect(r.code).toBe(2);
  });
});

describe('concord rules --set with a broken file (fixtures/broken/rules-*.json)', () => {
  // One workspace for every case: each checks that its refusal left the rules as they were.
  let dir = '';
  let ws = '';
  let before = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'concord-rules-'));
    ws = join(dir, 'ws.concord');
    expect(concord('init', ws).code).toBe(0);
    expect(concord('rules', ws, '--set', writeTemp(dir, 'rules.json', JSON.stringify(GOOD))).code).toBe(0);
    before = concord('rules', ws, '--json').stdout;
    expect(JSON.parse(before).rules).toEqual(GOOD);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['rules-not-array.json', /: assortment rules must be a JSON array of rules .*got an object$/],
    [
      'rules-bad-op.json',
      /: rule 1 \("clearance is web-shop only"\): unknown op "begins" \(expected one of equals, contains, startsWith, matches\)$/,
    ],
    [
      'rules-bad-regex.json',
      /: rule 0 \("house brand stays off marketplaces"\): "when.value" is not a valid regular expression: \/\^\(northwind basics\$\/i: Unterminated group$/,
    ],
    ['rules-no-effect.json', /: rule 2 \("no knives on amazon"\): has neither "notExpectedIn" nor "onlyIn"/],
    [
      'rules-unknown-field.json',
      /: rule 0 \("red things stay off google"\): unknown field "colour" \(normalized fields: title, brand, /,
    ],
    [
      'rules-invalid-json.json',
      /, line 6, column 3: not valid JSON \(Expected double-quoted property name\)$/,
    ],
    ['rules-missing-channel.json', /: rule 0 \("feed exclusions"\): has no "when.channel"/],
    ['rules-duplicate-name.json', /: rule 1 \("Feed Exclusions"\): duplicate name \(rule 0 has it too\)$/],
    ['rules-empty-list.json', /: rule 0 \("clearance is web-shop only"\): "onlyIn" is an empty list/],
    [
      'rules-value-not-string.json',
      /: rule 0 \("single items stay off amazon"\): "when.value" must be a string, got the number 1$/,
    ],
  ])(
    'refuses %s with exit 2, the file, the rule and the problem; the rules stay as they were',
    (name, problem) => {
      const file = broken(name);
      const r = concord('rules', ws, '--set', file);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const message = r.stderr.trimEnd();
      expect(message.startsWith(`concord rules: ${file}`)).toBe(true);
      expect(message).toMatch(problem);
      expect(message.split('\n')).toHaveLength(1);
      expect(concord('rules', ws, '--json').stdout).toBe(before);
    },
  );
});

describe('jsonErrorOffset', () => {
  it.each([
    ['[1,2]', -1],
    ['{"a": [true, false, null, -1.5e3, "x\\n\\u00e9"]}', -1],
    ['[1,]', 3],
    ['[{"a": 1,}]', 9],
    ['[{a: 1}]', 2],
    ["['x']", 1],
    ['// c\n[]', 0],
    ['[1] x', 4],
    ['[', 1],
    ['', 0],
    ['[tru]', 4],
    ['["a\\q"]', 4],
    ['["\\u12G4"]', 6],
    ['["tab\there"]', 5],
    ['[01]', 2],
    ['{"a" 1}', 5],
  ])('%j fails at %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    if (offset === -1) expect(() => JSON.parse(text)).not.toThrow();
    else expect(() => JSON.parse(text)).toThrow();
  });
});
