/**
 * Which words of a value differ from another value, for emphasis inside a differing field. Words compare case
 * folded; the result is plain text segments (rendered as React text, never markup).
 */

export interface Segment {
  text: string;
  changed: boolean;
}

/** Word runs (letters and digits, with inner . , ' as in 24.90 or 1,5) and the separators between them. */
const TOKEN = /[\p{L}\p{N}]+(?:[.,'’][\p{L}\p{N}]+)*|[^\p{L}\p{N}]+/gu;
const WORD = /^[\p{L}\p{N}]/u;
/** Above this many word pairs the LCS table costs too much: fall back to a multiset difference. */
const LCS_LIMIT = 160_000;

interface Token {
  text: string;
  word: boolean;
  key: string;
}

function tokenize(value: string): Token[] {
  return (value.match(TOKEN) ?? []).map((text) => ({
    text,
    word: WORD.test(text),
    key: text.normalize('NFKC').toLowerCase(),
  }));
}

/** For each word of `a` and of `b`: is it outside their longest common subsequence? */
function lcsFlags(a: string[], b: string[]): [boolean[], boolean[]] {
  const n = a.length;
  const m = b.length;
  const table = new Uint16Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[at(i, j)] =
        a[i] === b[j] ? table[at(i + 1, j + 1)] + 1 : Math.max(table[at(i + 1, j)], table[at(i, j + 1)]);
    }
  }
  const fa = new Array<boolean>(n).fill(true);
  const fb = new Array<boolean>(m).fill(true);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      fa[i++] = false;
      fb[j++] = false;
    } else if (table[at(i + 1, j)] >= table[at(i, j + 1)]) i++;
    else j++;
  }
  return [fa, fb];
}

/** Words of `words` missing from `reference`, counting repeats. */
function missingFrom(words: string[], reference: string[]): boolean[] {
  const left = new Map<string, number>();
  for (const w of reference) left.set(w, (left.get(w) ?? 0) + 1);
  return words.map((w) => {
    const n = left.get(w) ?? 0;
    if (n === 0) return true;
    left.set(w, n - 1);
    return false;
  });
}

/** Segments with changed words marked; a separator between two changed words is part of the change. */
function segments(tokens: Token[], wordChanged: boolean[]): Segment[] {
  const flags: boolean[] = [];
  let w = 0;
  for (const t of tokens) flags.push(t.word ? wordChanged[w++] : false);
  for (let i = 1; i < tokens.length - 1; i++) {
    if (!tokens[i].word && flags[i - 1] && flags[i + 1] && /^\s+$/.test(tokens[i].text)) flags[i] = true;
  }
  const out: Segment[] = [];
  tokens.forEach((t, i) => {
    const last = out[out.length - 1];
    if (last && last.changed === flags[i]) last.text += t.text;
    else out.push({ text: t.text, changed: flags[i] });
  });
  return out;
}

/** The two values split into segments, the words one has and the other lacks marked changed. */
export function diffPair(a: string, b: string): [Segment[], Segment[]] {
  const ta = tokenize(a);
  const tb = tokenize(b);
  const wa = ta.filter((t) => t.word).map((t) => t.key);
  const wb = tb.filter((t) => t.word).map((t) => t.key);
  const [fa, fb] =
    wa.length * wb.length <= LCS_LIMIT ? lcsFlags(wa, wb) : [missingFrom(wa, wb), missingFrom(wb, wa)];
  return [segments(ta, fa), segments(tb, fb)];
}

/** `value` split into segments, its words that `reference` lacks marked changed. */
export function diffAgainst(value: string, reference: string): Segment[] {
  const tv = tokenize(value);
  const wv = tv.filter((t) => t.word).map((t) => t.key);
  const wr = tokenize(reference)
    .filter((t) => t.word)
    .map((t) => t.key);
  return segments(tv, missingFrom(wv, wr));
}
