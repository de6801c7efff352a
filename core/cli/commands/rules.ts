import { readFileSync } from 'node:fs';
import type { AssortmentRule, RulesSettings } from '../../api/contract.js';
import { badInput, ConcordError } from '../../model/errors.js';
import { withWorkspace } from '../api.js';
import { requirePositionals, type Command } from '../command.js';
import { formatTable, UsageError, writeJson } from '../io.js';

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'List or set the assortment rules: where a product is intentionally not sold (not a gap).',
  usage: 'concord rules WS [--set RULES.json] [--builtin on|off] [--json]',
  help: `Options:
  --set RULES.json   replace the workspace's rules with the file's (checked first: a bad file changes nothing)
  --builtin on|off   switch the built-in rule (a Shopify product whose Status is draft or archived
                     is expected on Shopify only)
  --json             print {"rules": [...], "builtinStatusRule": true} as one JSON document

A rule file is a JSON array:
  [{ "name": "feed exclusions",
     "when": {"channel": "shopify", "field": "tags", "op": "contains", "value": "no-feed"},
     "notExpectedIn": ["google"] },
   { "name": "knives stay off amazon",
     "when": {"channel": "shopify", "field": {"column": "Type"}, "op": "equals", "value": "Kitchen Knives"},
     "notExpectedIn": ["amazon"] }]
field: title, brand, gtin, mpn, sku, status, tags, category, availability, condition, recordId, parentId,
or {"column": "<raw header>"}; op: equals, contains, startsWith, matches (a regular expression); all
case-insensitive. "onlyIn": [...] instead of "notExpectedIn" keeps the product off every other channel.`,
  options: {
    set: { type: 'string' },
    builtin: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ positionals, values }) {
    requirePositionals(this, positionals, 1, 'the workspace file');
    let builtinStatusRule: boolean | undefined;
    if (values.builtin !== undefined) {
      if (values.builtin !== 'on' && values.builtin !== 'off')
        throw new UsageError(`--builtin takes on or off, got "${String(values.builtin)}"`);
      builtinStatusRule = values.builtin === 'on';
    }
    const file = values.set as string | undefined;
    const rules = file === undefined ? undefined : readJsonFile(file);

    return withWorkspace(positionals[0], async (api) => {
      const changed = rules !== undefined || builtinStatusRule !== undefined;
      const settings = changed
        ? await api.call('rules.set', { rules, builtinStatusRule, source: file })
        : await api.call('rules.get', {});
      if (rules !== undefined) {
        const n = settings.rules.length;
        process.stderr.write(`stored ${n} rule${n === 1 ? '' : 's'} from ${file}\n`);
      }
      if (values.json) writeJson({ rules: settings.rules, builtinStatusRule: settings.builtinStatusRule });
      else process.stdout.write(listing(settings));
      return 0;
    });
  },
};

function listing(settings: RulesSettings): string {
  const lines = [
    `built-in rule "shopify status draft/archived" (a Shopify product whose Status is draft or archived is expected on Shopify only): ${settings.builtinStatusRule ? 'on' : 'off'}`,
  ];
  if (settings.rules.length === 0) {
    lines.push('no assortment rules: add them with `concord rules WS --set RULES.json`');
  } else {
    lines.push(
      '',
      formatTable(
        ['#', 'name', 'when', 'effect'],
        settings.rules.map((r, i) => [String(i), r.name, describeWhen(r), describeEffect(r)]),
      ),
    );
  }
  return lines.join('\n') + '\n';
}

function describeWhen(rule: AssortmentRule): string {
  const { channel, field, op, value } = rule.when;
  const subject = typeof field === 'string' ? field : `column ${JSON.stringify(field.column)}`;
  return `${channel}: ${subject} ${op} ${JSON.stringify(value)}`;
}

function describeEffect(rule: AssortmentRule): string {
  return rule.onlyIn
    ? `only in ${rule.onlyIn.join(', ')}`
    : `not expected in ${(rule.notExpectedIn ?? []).join(', ')}`;
}

/** A JSON file, or BAD_INPUT naming the file (missing, a folder) or the line and column where it stops being JSON. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : (err as Error).message;
    throw new ConcordError('BAD_INPUT', `${file}: ${problem}`, { file });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (err) {
    const offset = jsonErrorOffset(text);
    const problem = (err as Error).message
      .replace(/, .*is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/^Unexpected end of JSON input$/, 'unexpected end of the file');
    if (offset < 0) throw badInput({ file }, `not valid JSON (${problem})`);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    throw badInput({ file, line, column }, `not valid JSON (${problem})`);
  }
}

/**
 * Where JSON.parse gave up, as a character offset (-1 when the text is valid). Node 20's messages carry the
 * position only for some errors ("Unexpected token ']', "[1,]" is not valid JSON" has none), so find it here.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const stop = (): never => {
    throw new JsonStop(i);
  };
  const space = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r'))
      i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) stop();
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) stop();
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) stop();
      if (c === 0x5c) {
        i++;
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              stop();
            }
          }
          i += 5;
        } else if (i < text.length && '"\\/bfnrt'.includes(text[i])) i++;
        else stop();
      } else i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  /** An object or array from its opening bracket: items separated by commas up to `close`. */
  const items = (close: string, item: () => void): void => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[i] === ',') i++;
      else if (text[i] === close) {
        i++;
        return;
      } else stop();
    }
  };
  const member = (): void => {
    space();
    if (text[i] !== '"') stop();
    string();
    space();
    if (text[i] !== ':') stop();
    i++;
    value();
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') return items('}', member);
    if (c === '[') return items(']', value);
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    NUMBER.lastIndex = i;
    if (NUMBER.exec(text) === null) stop();
    i = NUMBER.lastIndex;
  };
  try {
    value();
    space();
    if (i < text.length) stop();
    return -1;
  } catch (err) {
    if (err instanceof JsonStop) return err.offset;
    return -1; // nested too deep to scan: no position
  }
}

class JsonStop {
  constructor(readonly offset: number) {}
}
