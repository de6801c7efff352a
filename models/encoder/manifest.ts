/**
 * What a built-in encoder model is, written into the ONNX file's metadata (`concord.manifest`) so that a model
 * file describes itself, and kept in the workspace's model registry beside its sha256.
 */
import type { FeaturizerConfig } from '../../core/embed/featurize.js';
import { IR_VERSION, OPSET } from '../onnx/proto.js';

export const ENCODER_FORMAT = 'concord-hashed-ngram-encoder';
export const ENCODER_FORMAT_VERSION = 1;
export const MANIFEST_KEY = 'concord.manifest';

/** Graph input: int32 [batch, features] hashed feature ids, padded with `buckets`. */
export const ENCODER_INPUT = 'ids';
/** Graph output: float [batch, outDim], L2-normalized. */
export const ENCODER_OUTPUT = 'embedding';

export interface EncoderManifest {
  format: typeof ENCODER_FORMAT;
  formatVersion: number;
  name: string;
  version: number;
  dim: number;
  outDim: number;
  buckets: number;
  featurizer: FeaturizerConfig;
  opset: number;
  irVersion: number;
  input: string;
  output: string;
  /** Free-form provenance (seed, training data hash, code version …). */
  provenance: Record<string, string | number | null>;
}

export function makeManifest(
  fields: Pick<EncoderManifest, 'name' | 'version' | 'dim' | 'outDim' | 'featurizer'> & {
    provenance?: EncoderManifest['provenance'];
  },
): EncoderManifest {
  return {
    format: ENCODER_FORMAT,
    formatVersion: ENCODER_FORMAT_VERSION,
    name: fields.name,
    version: fields.version,
    dim: fields.dim,
    outDim: fields.outDim,
    buckets: fields.featurizer.buckets,
    featurizer: { ...fields.featurizer },
    opset: OPSET,
    irVersion: IR_VERSION,
    input: ENCODER_INPUT,
    output: ENCODER_OUTPUT,
    provenance: fields.provenance ?? {},
  };
}

/** Parses and checks a manifest read from a model file; throws with the reason when it is not one. */
export function parseManifest(json: string | undefined): EncoderManifest {
  if (!json) throw new Error(`not a Concord encoder: no ${MANIFEST_KEY} metadata`);
  const m = JSON.parse(json) as Partial<EncoderManifest>;
  if (m.format !== ENCODER_FORMAT) throw new Error(`not a Concord encoder (format ${String(m.format)})`);
  if (m.formatVersion !== ENCODER_FORMAT_VERSION) {
    throw new Error(
      `encoder format version ${String(m.formatVersion)} is not supported (this Concord reads ${ENCODER_FORMAT_VERSION})`,
    );
  }
  for (const k of ['dim', 'outDim', 'buckets'] as const) {
    if (!Number.isInteger(m[k]) || (m[k] as number) <= 0) throw new Error(`encoder manifest: bad ${k}`);
  }
  if (!m.featurizer || m.featurizer.buckets !== m.buckets)
    throw new Error('encoder manifest: featurizer does not match buckets');
  return m as EncoderManifest;
}
