/**
 * Runs a built-in encoder (models/encoder) with onnxruntime-node: texts are featurized in TypeScript, ids go to
 * the ONNX graph in batches, embeddings come back L2-normalized (rows × outDim, row-major).
 */
import type { InferenceSession } from 'onnxruntime-node';
import { readManifest } from '../../models/encoder/graph.js';
import type { EncoderManifest } from '../../models/encoder/manifest.js';
import type { Progress } from '../jobs/progress.js';
import { cancelled, ConcordError } from '../model/errors.js';
import { FEATURIZER_VERSION, featurizeBatch, type FeatureBatch } from './featurize.js';
import { createSession, loadOrt, type ProviderChoice, type SessionOptions } from './session.js';

export interface EmbedOptions {
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export class EncoderRuntime {
  private constructor(
    readonly manifest: EncoderManifest,
    private readonly session: InferenceSession,
    readonly choice: ProviderChoice,
  ) {}

  /** Opens an encoder from its ONNX bytes (manifest read from the file unless given). */
  static async open(
    bytes: Uint8Array,
    options: SessionOptions & { manifest?: EncoderManifest } = {},
  ): Promise<EncoderRuntime> {
    const manifest = options.manifest ?? readManifest(bytes);
    if (manifest.featurizer.version !== FEATURIZER_VERSION) {
      throw new ConcordError(
        'CONFLICT',
        `encoder ${manifest.name} v${manifest.version} was trained with featurizer version ${manifest.featurizer.version}; this Concord has version ${FEATURIZER_VERSION}: retrain it`,
        { model: manifest.name },
      );
    }
    // One intra-op thread by default: the graph is a memory-bound gather plus a small matmul, featurizing in
    // TypeScript dominates, and ORT's spinning pool loses throughput on a busy machine (bench/encoder.ts).
    const { session, choice } = await createSession(bytes, {
      ...options,
      intraOpThreads: options.intraOpThreads ?? 1,
    });
    return new EncoderRuntime(manifest, session, choice);
  }

  get dims(): number {
    return this.manifest.outDim;
  }

  /** Embeddings of already featurized rows. */
  async embedBatch(batch: FeatureBatch): Promise<Float32Array> {
    const ort = await loadOrt();
    const ids = new ort.Tensor('int32', batch.ids, [batch.rows, batch.width]);
    const out = await this.session.run({ [this.manifest.input]: ids });
    const t = out[this.manifest.output];
    const data = t.data as Float32Array;
    ids.dispose();
    return data;
  }

  /** Embeddings of texts, rows × dims. */
  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array> {
    const batchSize = options.batchSize ?? 1024;
    const E = this.manifest.outDim;
    const out = new Float32Array(texts.length * E);
    for (let s = 0; s < texts.length; s += batchSize) {
      if (options.signal?.aborted) throw cancelled();
      const part = texts.slice(s, s + batchSize);
      const emb = await this.embedBatch(featurizeBatch(part, this.manifest.featurizer));
      out.set(emb, s * E);
      options.onProgress?.({
        done: Math.min(s + batchSize, texts.length),
        total: texts.length,
        phase: 'embed',
        message: '',
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
