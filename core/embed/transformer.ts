/**
 * A user-supplied sentence-transformers style model folder: `model.onnx` (or `onnx/model.onnx`) and
 * `tokenizer.json`, optionally `sentence_bert_config.json` (max_seq_length) and `1_Pooling/config.json`
 * (pooling mode). Texts are tokenized here (tokenizer.ts), the model runs with onnxruntime-node, token
 * embeddings are pooled with the attention mask (mean by default; CLS or max when the pooling config says so)
 * and L2-normalized.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import type { Progress } from '../jobs/progress.js';
import { cancelled, ConcordError } from '../model/errors.js';
import { createSession, loadOrt, type ProviderChoice, type SessionOptions } from './session.js';
import { WordPieceTokenizer, type TokenizerJson } from './tokenizer.js';

export type Pooling = 'mean' | 'cls' | 'max';

export interface TransformerFolder {
  modelPath: string;
  tokenizerPath: string;
  tokenizer: TokenizerJson;
  maxLength: number;
  pooling: Pooling;
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    throw new ConcordError('BAD_INPUT', `${path}: not valid JSON (${(err as Error).message})`, {
      file: path,
    });
  }
}

/** Finds the files of a model folder and reads its configuration. */
export function readTransformerFolder(folder: string): TransformerFolder {
  const modelPath = [join(folder, 'model.onnx'), join(folder, 'onnx', 'model.onnx')].find((p) =>
    existsSync(p),
  );
  if (!modelPath)
    throw new ConcordError('BAD_INPUT', `${folder}: no model.onnx (nor onnx/model.onnx)`, { file: folder });
  const tokenizerPath = join(folder, 'tokenizer.json');
  if (!existsSync(tokenizerPath))
    throw new ConcordError('BAD_INPUT', `${folder}: no tokenizer.json`, { file: folder });
  const tokenizer = readJson<TokenizerJson>(tokenizerPath);
  const stConfig = join(folder, 'sentence_bert_config.json');
  const poolConfig = join(folder, '1_Pooling', 'config.json');
  const maxSeq = existsSync(stConfig)
    ? readJson<{ max_seq_length?: number }>(stConfig).max_seq_length
    : undefined;
  let pooling: Pooling = 'mean';
  if (existsSync(poolConfig)) {
    const p = readJson<Record<string, unknown>>(poolConfig);
    if (p.pooling_mode_mean_tokens) pooling = 'mean';
    else if (p.pooling_mode_cls_token) pooling = 'cls';
    else if (p.pooling_mode_max_tokens) pooling = 'max';
    else
      throw new ConcordError('BAD_INPUT', `${poolConfig}: only mean, CLS and max pooling are supported`, {
        file: poolConfig,
      });
  }
  return {
    modelPath,
    tokenizerPath,
    tokenizer,
    maxLength: maxSeq ?? tokenizer.truncation?.max_length ?? 512,
    pooling,
  };
}

export interface TransformerOptions extends SessionOptions {
  maxLength?: number;
  pooling?: Pooling;
}

/** Pools token embeddings [rows, T, H] with the attention mask and L2-normalizes each row. */
export function poolAndNormalize(
  hidden: Float32Array,
  mask: ArrayLike<number>,
  rows: number,
  T: number,
  H: number,
  pooling: Pooling,
): Float32Array {
  const out = new Float32Array(rows * H);
  const acc = new Float64Array(H);
  for (let r = 0; r < rows; r++) {
    if (pooling === 'cls') {
      for (let h = 0; h < H; h++) acc[h] = hidden[r * T * H + h];
    } else if (pooling === 'max') {
      acc.fill(-Infinity);
      for (let t = 0; t < T; t++) {
        if (!mask[r * T + t]) continue;
        for (let h = 0; h < H; h++) acc[h] = Math.max(acc[h], hidden[(r * T + t) * H + h]);
      }
      for (let h = 0; h < H; h++) if (acc[h] === -Infinity) acc[h] = 0;
    } else {
      acc.fill(0);
      let n = 0;
      for (let t = 0; t < T; t++) {
        const m = mask[r * T + t];
        if (!m) continue;
        n += m;
        for (let h = 0; h < H; h++) acc[h] += hidden[(r * T + t) * H + h] * m;
      }
      const d = Math.max(n, 1e-9);
      for (let h = 0; h < H; h++) acc[h] /= d;
    }
    let ss = 0;
    for (let h = 0; h < H; h++) ss += acc[h] * acc[h];
    const norm = Math.max(Math.sqrt(ss), 1e-12);
    for (let h = 0; h < H; h++) out[r * H + h] = acc[h] / norm;
  }
  return out;
}

export class TransformerEncoder {
  private dimsSeen: number | null = null;

  private constructor(
    readonly folder: TransformerFolder,
    readonly tokenizer: WordPieceTokenizer,
    private readonly session: InferenceSession,
    readonly choice: ProviderChoice,
    readonly maxLength: number,
    readonly pooling: Pooling,
  ) {}

  static async open(folder: string, options: TransformerOptions = {}): Promise<TransformerEncoder> {
    const info = readTransformerFolder(folder);
    const tokenizer = new WordPieceTokenizer(info.tokenizer);
    const { session, choice } = await createSession(info.modelPath, options);
    if (!session.inputNames.includes('input_ids')) {
      await session.release();
      throw new ConcordError(
        'BAD_INPUT',
        `${info.modelPath}: the model has no input_ids input (inputs: ${session.inputNames.join(', ')})`,
        {
          file: info.modelPath,
        },
      );
    }
    return new TransformerEncoder(
      info,
      tokenizer,
      session,
      choice,
      options.maxLength ?? info.maxLength,
      options.pooling ?? info.pooling,
    );
  }

  /** Embedding width (known after the first batch). */
  get dims(): number | null {
    return this.dimsSeen;
  }

  /** Token ids, type ids and attention mask of a batch, padded to its longest row. */
  tokenize(texts: readonly string[]): {
    ids: BigInt64Array;
    typeIds: BigInt64Array;
    mask: BigInt64Array;
    rows: number;
    T: number;
  } {
    const enc = texts.map((t) => this.tokenizer.encode(t, this.maxLength));
    const T = Math.max(1, ...enc.map((e) => e.ids.length));
    const rows = texts.length;
    const ids = new BigInt64Array(rows * T).fill(BigInt(this.tokenizer.padId));
    const typeIds = new BigInt64Array(rows * T);
    const mask = new BigInt64Array(rows * T);
    enc.forEach((e, r) => {
      for (let t = 0; t < e.ids.length; t++) {
        ids[r * T + t] = BigInt(e.ids[t]);
        typeIds[r * T + t] = BigInt(e.typeIds[t]);
        mask[r * T + t] = 1n;
      }
    });
    return { ids, typeIds, mask, rows, T };
  }

  async embed(
    texts: readonly string[],
    options: { batchSize?: number; signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
  ): Promise<Float32Array> {
    const ort = await loadOrt();
    const batchSize = options.batchSize ?? 32;
    const parts: Float32Array[] = [];
    for (let s = 0; s < texts.length; s += batchSize) {
      if (options.signal?.aborted) throw cancelled();
      const { ids, typeIds, mask, rows, T } = this.tokenize(texts.slice(s, s + batchSize));
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
        input_ids: new ort.Tensor('int64', ids, [rows, T]),
      };
      if (this.session.inputNames.includes('attention_mask'))
        feeds.attention_mask = new ort.Tensor('int64', mask, [rows, T]);
      if (this.session.inputNames.includes('token_type_ids'))
        feeds.token_type_ids = new ort.Tensor('int64', typeIds, [rows, T]);
      const outName =
        ['last_hidden_state', 'token_embeddings'].find((n) => this.session.outputNames.includes(n)) ??
        this.session.outputNames[0];
      const result = await this.session.run(feeds);
      const out = result[outName];
      const data = out.data as Float32Array;
      const dims = out.dims;
      let emb: Float32Array;
      if (dims.length === 3) {
        const H = dims[2];
        const maskNum = Float32Array.from(mask, (m) => Number(m));
        emb = poolAndNormalize(data, maskNum, rows, T, H, this.pooling);
        this.dimsSeen = H;
      } else if (dims.length === 2) {
        const H = dims[1];
        emb = poolAndNormalize(data, new Float32Array(rows).fill(1), rows, 1, H, 'mean'); // already pooled: normalize
        this.dimsSeen = H;
      } else {
        throw new ConcordError(
          'BAD_INPUT',
          `${this.folder.modelPath}: output ${outName} has shape [${dims.join(', ')}], expected [N, T, H] or [N, H]`,
        );
      }
      parts.push(emb);
      for (const t of Object.values(feeds)) t.dispose();
      options.onProgress?.({
        done: Math.min(s + batchSize, texts.length),
        total: texts.length,
        phase: 'embed',
        message: '',
      });
    }
    const H = this.dimsSeen ?? 0;
    const out = new Float32Array(texts.length * H);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
