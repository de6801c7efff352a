/**
 * A Hugging Face `tokenizer.json` for BERT-family models (sentence-transformers exports): WordPiece model,
 * BertNormalizer (or a Sequence of NFD/NFC/NFKC/NFKD, Lowercase, StripAccents), BertPreTokenizer (or Whitespace /
 * WhitespaceSplit), TemplateProcessing or BertProcessing for [CLS] … [SEP], truncation and padding.
 * Other models (BPE, Unigram) are refused with a clear message rather than tokenized wrongly.
 */
import { ConcordError } from '../model/errors.js';

interface NormalizerJson {
  type: string;
  clean_text?: boolean;
  handle_chinese_chars?: boolean;
  strip_accents?: boolean | null;
  lowercase?: boolean;
  normalizers?: NormalizerJson[];
}

interface PreTokenizerJson {
  type: string;
  pretokenizers?: PreTokenizerJson[];
}

interface TemplateItem {
  SpecialToken?: { id: string; type_id: number };
  Sequence?: { id: 'A' | 'B'; type_id: number };
}

interface PostProcessorJson {
  type: string;
  single?: TemplateItem[];
  special_tokens?: Record<string, { id: string; ids: number[]; tokens: string[] }>;
  cls?: [string, number];
  sep?: [string, number];
  processors?: PostProcessorJson[];
}

export interface TokenizerJson {
  added_tokens?: Array<{ id: number; content: string; special?: boolean }>;
  normalizer?: NormalizerJson | null;
  pre_tokenizer?: PreTokenizerJson | null;
  post_processor?: PostProcessorJson | null;
  truncation?: { max_length: number } | null;
  padding?: { pad_id?: number; pad_token?: string } | null;
  model: {
    type?: string;
    vocab: Record<string, number> | Array<[string, number]>;
    unk_token?: string;
    continuing_subword_prefix?: string;
    max_input_chars_per_word?: number;
  };
}

export interface Encoding {
  ids: number[];
  typeIds: number[];
  tokens: string[];
}

function bad(message: string): ConcordError {
  return new ConcordError('BAD_INPUT', `tokenizer.json: ${message}`);
}

const MARKS = /\p{Mn}/gu;
const PUNCT = /\p{P}/u;
const WHITESPACE = /\s/u;
const CONTROL = /\p{Cc}|\p{Cf}/u;

function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function isBertPunct(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126))
    return true;
  return PUNCT.test(ch);
}

function makeNormalizer(n: NormalizerJson | null | undefined): (s: string) => string {
  if (!n) return (s) => s;
  switch (n.type) {
    case 'BertNormalizer': {
      const clean = n.clean_text ?? true;
      const chinese = n.handle_chinese_chars ?? true;
      const lower = n.lowercase ?? true;
      const strip = n.strip_accents ?? lower;
      return (s) => {
        let out = '';
        for (const ch of s) {
          const cp = ch.codePointAt(0)!;
          if (clean) {
            if (cp === 0 || cp === 0xfffd) continue;
            if (ch === '\t' || ch === '\n' || ch === '\r' || WHITESPACE.test(ch)) {
              out += ' ';
              continue;
            }
            if (CONTROL.test(ch)) continue;
          }
          out += chinese && isCjk(cp) ? ` ${ch} ` : ch;
        }
        if (strip) out = out.normalize('NFD').replace(MARKS, '');
        if (lower) out = out.toLowerCase();
        return out;
      };
    }
    case 'Lowercase':
      return (s) => s.toLowerCase();
    case 'StripAccents':
      return (s) => s.replace(MARKS, '');
    case 'NFD':
    case 'NFC':
    case 'NFKC':
    case 'NFKD':
      return (s) => s.normalize(n.type as 'NFD');
    case 'Strip':
      return (s) => s.trim();
    case 'Sequence': {
      const parts = (n.normalizers ?? []).map(makeNormalizer);
      return (s) => parts.reduce((acc, f) => f(acc), s);
    }
    default:
      throw bad(`normalizer ${n.type} is not supported`);
  }
}

function bertPreTokenize(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of s) {
    if (WHITESPACE.test(ch)) {
      if (cur) out.push(cur);
      cur = '';
    } else if (isBertPunct(ch)) {
      if (cur) out.push(cur);
      out.push(ch);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

function makePreTokenizer(p: PreTokenizerJson | null | undefined): (s: string) => string[] {
  if (!p) return (s) => [s];
  switch (p.type) {
    case 'BertPreTokenizer':
      return bertPreTokenize;
    case 'Whitespace':
      return (s) => s.match(/\w+|[^\w\s]+/gu) ?? [];
    case 'WhitespaceSplit':
      return (s) => s.split(/\s+/u).filter((t) => t.length > 0);
    case 'Sequence': {
      const parts = (p.pretokenizers ?? []).map(makePreTokenizer);
      return (s) => parts.reduce<string[]>((words, f) => words.flatMap(f), [s]);
    }
    default:
      throw bad(`pre-tokenizer ${p.type} is not supported`);
  }
}

export class WordPieceTokenizer {
  readonly vocab: Map<string, number>;
  readonly unkId: number;
  readonly padId: number;
  /** Tokens the template puts before and after the sequence (ids and type ids). */
  private readonly prefix: Array<{ id: number; token: string; typeId: number }> = [];
  private readonly suffix: Array<{ id: number; token: string; typeId: number }> = [];
  private readonly sequenceTypeId: number = 0;
  private readonly normalize: (s: string) => string;
  private readonly preTokenize: (s: string) => string[];
  private readonly prefixMark: string;
  private readonly maxChars: number;
  private readonly unkToken: string;
  private readonly specials: Array<{ content: string; id: number }>;
  /** Truncation length from tokenizer.json, if it sets one. */
  readonly maxLength: number | null;

  constructor(json: TokenizerJson) {
    const model = json.model;
    if (!model || (model.type !== undefined && model.type !== 'WordPiece')) {
      throw bad(
        `model type ${model?.type ?? 'missing'} is not supported (only WordPiece, as BERT-family sentence-transformers use)`,
      );
    }
    if (model.type === undefined && !model.continuing_subword_prefix)
      throw bad('model is not a WordPiece model');
    const entries = Array.isArray(model.vocab) ? model.vocab : Object.entries(model.vocab ?? {});
    this.vocab = new Map(entries.map(([t, id]) => [t, id]));
    if (this.vocab.size === 0) throw bad('empty vocabulary');
    this.unkToken = model.unk_token ?? '[UNK]';
    const unk = this.vocab.get(this.unkToken);
    if (unk === undefined) throw bad(`unknown-token ${this.unkToken} is not in the vocabulary`);
    this.unkId = unk;
    this.prefixMark = model.continuing_subword_prefix ?? '##';
    this.maxChars = model.max_input_chars_per_word ?? 100;
    this.padId = json.padding?.pad_id ?? this.vocab.get(json.padding?.pad_token ?? '[PAD]') ?? 0;
    this.normalize = makeNormalizer(json.normalizer);
    this.preTokenize = makePreTokenizer(json.pre_tokenizer);
    this.maxLength = json.truncation?.max_length ?? null;
    this.specials = (json.added_tokens ?? [])
      .filter((t) => t.special)
      .map((t) => ({ content: t.content, id: t.id }));
    this.specials.sort((a, b) => b.content.length - a.content.length);

    const pp =
      json.post_processor?.type === 'Sequence'
        ? json.post_processor.processors?.find((p) => p.type !== 'ByteLevel')
        : json.post_processor;
    if (pp?.type === 'TemplateProcessing') {
      let seen = false;
      for (const item of pp.single ?? []) {
        if (item.Sequence) {
          seen = true;
          this.sequenceTypeId = item.Sequence.type_id;
        } else if (item.SpecialToken) {
          const st = pp.special_tokens?.[item.SpecialToken.id];
          const ids = st?.ids ?? [this.vocab.get(item.SpecialToken.id) ?? this.unkId];
          const tokens = st?.tokens ?? [item.SpecialToken.id];
          ids.forEach((id, k) =>
            (seen ? this.suffix : this.prefix).push({
              id,
              token: tokens[k] ?? item.SpecialToken!.id,
              typeId: item.SpecialToken!.type_id,
            }),
          );
        }
      }
    } else if (pp?.type === 'BertProcessing') {
      if (pp.cls) this.prefix.push({ token: pp.cls[0], id: pp.cls[1], typeId: 0 });
      if (pp.sep) this.suffix.push({ token: pp.sep[0], id: pp.sep[1], typeId: 0 });
    } else if (pp) {
      throw bad(`post-processor ${pp.type} is not supported`);
    }
  }

  get specialCount(): number {
    return this.prefix.length + this.suffix.length;
  }

  /** WordPiece of one pre-token: greedy longest match, the whole word [UNK] when a piece is missing. */
  wordPiece(word: string): string[] {
    const chars = Array.from(word);
    if (chars.length > this.maxChars) return [this.unkToken];
    const out: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | null = null;
      while (start < end) {
        let piece = chars.slice(start, end).join('');
        if (start > 0) piece = this.prefixMark + piece;
        if (this.vocab.has(piece)) {
          found = piece;
          break;
        }
        end--;
      }
      if (found === null) return [this.unkToken];
      out.push(found);
      start = end;
    }
    return out;
  }

  /** Splits out special tokens written literally in the text ("[SEP]"), which are not normalized. */
  private splitSpecials(text: string): Array<{ text: string; id?: number }> {
    if (this.specials.length === 0) return [{ text }];
    const parts: Array<{ text: string; id?: number }> = [];
    let rest = text;
    for (;;) {
      let best: { at: number; content: string; id: number } | null = null;
      for (const s of this.specials) {
        const at = rest.indexOf(s.content);
        if (at >= 0 && (best === null || at < best.at)) best = { at, content: s.content, id: s.id };
      }
      if (!best) break;
      if (best.at > 0) parts.push({ text: rest.slice(0, best.at) });
      parts.push({ text: best.content, id: best.id });
      rest = rest.slice(best.at + best.content.length);
    }
    if (rest) parts.push({ text: rest });
    return parts;
  }

  /** Tokens of one text with the template's special tokens, truncated to maxLength in all. */
  encode(text: string, maxLength = this.maxLength ?? 512): Encoding {
    const tokens: string[] = [];
    const ids: number[] = [];
    for (const part of this.splitSpecials(text)) {
      if (part.id !== undefined) {
        tokens.push(part.text);
        ids.push(part.id);
        continue;
      }
      for (const word of this.preTokenize(this.normalize(part.text))) {
        for (const piece of this.wordPiece(word)) {
          tokens.push(piece);
          ids.push(this.vocab.get(piece) ?? this.unkId);
        }
      }
    }
    const room = Math.max(0, maxLength - this.specialCount);
    tokens.length = Math.min(tokens.length, room);
    ids.length = Math.min(ids.length, room);
    return {
      ids: [...this.prefix.map((p) => p.id), ...ids, ...this.suffix.map((p) => p.id)],
      tokens: [...this.prefix.map((p) => p.token), ...tokens, ...this.suffix.map((p) => p.token)],
      typeIds: [
        ...this.prefix.map((p) => p.typeId),
        ...ids.map(() => this.sequenceTypeId),
        ...this.suffix.map((p) => p.typeId),
      ],
    };
  }
}
