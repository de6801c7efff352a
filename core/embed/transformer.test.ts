import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildTinyBert,
  TINY_VOCAB,
  tinyBertTokenizerJson,
  tinyBertWeights,
  type TinyBertWeights,
} from '../../models/transformer/tinyBert.js';
import { useTempDir } from '../test-support/tmp.js';
import { WordPieceTokenizer, type TokenizerJson } from './tokenizer.js';
import { TransformerEncoder } from './transformer.js';

const tokenizerJson = tinyBertTokenizerJson() as TokenizerJson;

/** The model's maths written out by hand: token rows, Tanh layer, mean over the tokens, L2 normalization. */
function reference(w: TinyBertWeights, ids: number[], typeIds: number[]): number[] {
  const mean = new Array<number>(w.hidden).fill(0);
  ids.forEach((id, t) => {
    for (let h = 0; h < w.hidden; h++) {
      let s = w.b[h];
      for (let e = 0; e < w.embed; e++)
        s += (w.wordEmb[id * w.embed + e] + w.typeEmb[typeIds[t] * w.embed + e]) * w.w[e * w.hidden + h];
      mean[h] += Math.tanh(s) / ids.length;
    }
  });
  const norm = Math.sqrt(mean.reduce((a, v) => a + v * v, 0));
  return mean.map((v) => v / norm);
}

describe('WordPiece tokenizer (tokenizer.json)', () => {
  const tok = new WordPieceTokenizer(tokenizerJson);
  it('normalizes, splits punctuation and CJK, and finds word pieces', () => {
    expect(tok.encode('Hello, unaffable world!').tokens).toEqual([
      '[CLS]',
      'hello',
      ',',
      'un',
      '##aff',
      '##able',
      'world',
      '!',
      '[SEP]',
    ]);
    expect(tok.encode('Café  Crème').tokens).toEqual(['[CLS]', 'cafe', 'creme', '[SEP]']);
    expect(tok.encode('Sony WH-1000XM4').tokens).toEqual([
      '[CLS]',
      'sony',
      'wh',
      '-',
      '1000',
      '##xm',
      '##4',
      '[SEP]',
    ]);
    expect(tok.encode('微软 64GB').tokens).toEqual(['[CLS]', '微', '软', '64', '##gb', '[SEP]']);
    expect(tok.encode('zebra hello').tokens).toEqual(['[CLS]', '[UNK]', 'hello', '[SEP]']);
    expect(tok.encode('hello [SEP] world').tokens).toEqual(['[CLS]', 'hello', '[SEP]', 'world', '[SEP]']);
    const e = tok.encode('Hello world');
    expect(e.ids).toEqual(['[CLS]', 'hello', 'world', '[SEP]'].map((t) => TINY_VOCAB.indexOf(t)));
    expect(e.typeIds).toEqual([0, 0, 0, 0]);
  });

  it('truncates to the maximum length, special tokens included', () => {
    const e = tok.encode('hello world '.repeat(20));
    expect(e.ids.length).toBe(16);
    expect(e.tokens[0]).toBe('[CLS]');
    expect(e.tokens[15]).toBe('[SEP]');
    expect(tok.encode('hello world '.repeat(20), 5).tokens).toEqual([
      '[CLS]',
      'hello',
      'world',
      'hello',
      '[SEP]',
    ]);
  });

  it('refuses tokenizers it would get wrong', () => {
    expect(
      () => new WordPieceTokenizer({ ...tokenizerJson, model: { type: 'BPE', vocab: { a: 0 } } }),
    ).toThrow(/BPE is not supported/);
    expect(() => new WordPieceTokenizer({ ...tokenizerJson, normalizer: { type: 'Precompiled' } })).toThrow(
      /normalizer Precompiled/,
    );
  });
});

describe('user model folder (sentence-transformers style)', () => {
  const tmp = useTempDir();

  function writeFolder(extra: (dir: string) => void = () => {}): { dir: string; w: TinyBertWeights } {
    const dir = join(tmp(), 'tiny-bert');
    mkdirSync(dir, { recursive: true });
    const w = tinyBertWeights();
    writeFileSync(join(dir, 'model.onnx'), buildTinyBert(w));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson));
    extra(dir);
    return { dir, w };
  }

  it('tokenizes, runs the model, mean-pools with the mask and normalizes, as the hand computation', async () => {
    const { dir, w } = writeFolder();
    const enc = await TransformerEncoder.open(dir, { providers: ['cpu'] });
    expect(enc.choice.provider).toBe('cpu');
    expect(enc.pooling).toBe('mean');
    const texts = [
      'Hello, unaffable world!',
      'Sony WH-1000XM4 wireless headphones black',
      'cafe',
      '',
      'hello world '.repeat(20),
    ];
    const out = await enc.embed(texts, { batchSize: 4 }); // rows of different lengths padded together
    expect(enc.dims).toBe(6);
    const tok = new WordPieceTokenizer(tokenizerJson);
    texts.forEach((t, r) => {
      const e = tok.encode(t, 16);
      const ref = reference(w, e.ids, e.typeIds);
      for (let h = 0; h < 6; h++) expect(Math.abs(out[r * 6 + h] - ref[h])).toBeLessThanOrEqual(1e-5);
    });
    // padding does not change a row: alone or in a batch, the same embedding
    const alone = await enc.embed([texts[2]]);
    for (let h = 0; h < 6; h++) expect(Math.abs(alone[h] - out[2 * 6 + h])).toBeLessThanOrEqual(1e-6);
    await enc.close();
  });

  it('reads max_seq_length and the pooling mode from the folder', async () => {
    const { dir, w } = writeFolder((d) => {
      writeFileSync(
        join(d, 'sentence_bert_config.json'),
        JSON.stringify({ max_seq_length: 4, do_lower_case: true }),
      );
      mkdirSync(join(d, '1_Pooling'));
      writeFileSync(
        join(d, '1_Pooling', 'config.json'),
        JSON.stringify({
          word_embedding_dimension: 6,
          pooling_mode_cls_token: true,
          pooling_mode_mean_tokens: false,
        }),
      );
    });
    const enc = await TransformerEncoder.open(dir, { providers: ['cpu'] });
    expect(enc.maxLength).toBe(4);
    expect(enc.pooling).toBe('cls');
    const out = await enc.embed(['hello world wireless headphones']);
    const cls = TINY_VOCAB.indexOf('[CLS]');
    const ref = reference(w, [cls], [0]); // CLS pooling: the first token's row alone
    for (let h = 0; h < 6; h++) expect(Math.abs(out[h] - ref[h])).toBeLessThanOrEqual(1e-5);
    await enc.close();
  });

  it('says what is missing from a folder', async () => {
    const dir = join(tmp(), 'empty');
    mkdirSync(dir);
    await expect(TransformerEncoder.open(dir)).rejects.toThrow(/no model.onnx/);
    writeFileSync(join(dir, 'model.onnx'), buildTinyBert(tinyBertWeights()));
    await expect(TransformerEncoder.open(dir)).rejects.toThrow(/no tokenizer.json/);
  });
});
