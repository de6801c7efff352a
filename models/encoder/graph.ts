/**
 * The built-in encoder as an ONNX graph (opset 17). Tokenization and hashing stay in TypeScript
 * (core/embed/featurize.ts); the numeric part runs here:
 *
 *   ids int32 [N, L] (padding = B)
 *   emb   = Gather(table[B+1, D], ids)              [N, L, D]   (row B is zeros)
 *   sum   = ReduceSum(emb, axes=[1])                [N, D]
 *   count = ReduceSum(Cast(Less(ids, B)), axes=[1]) [N, 1]
 *   mean  = sum / Max(count, 1)
 *   h     = MatMul(mean, proj[D, E]) + bias[E]      [N, E]
 *   embedding = h / Sqrt(Max(ReduceSum(h*h, [1]), 1e-12))
 */
import type { EncoderWeights } from '../../core/embed/encoder.js';
import type { OnnxNs } from '../onnx/proto.js';
import {
  DataType,
  decodeModel,
  encodeModel,
  floatTensor,
  int32Tensor,
  int64Tensor,
  makeModel,
  metadataOf,
  node,
  tensorFloats,
  valueInfo,
} from '../onnx/proto.js';
import {
  ENCODER_INPUT,
  ENCODER_OUTPUT,
  MANIFEST_KEY,
  parseManifest,
  type EncoderManifest,
} from './manifest.js';

export const NORM_EPSILON = 1e-12;

/** The encoder's ModelProto (not yet serialized). */
export function buildEncoderModel(weights: EncoderWeights, manifest: EncoderManifest): OnnxNs.IModelProto {
  const { dim: D, outDim: E } = weights.config;
  const B = weights.config.featurizer.buckets;
  if (manifest.dim !== D || manifest.outDim !== E || manifest.buckets !== B)
    throw new Error('manifest does not match the weights');
  if (weights.table.length !== B * D || weights.proj.length !== D * E || weights.bias.length !== E) {
    throw new Error('encoder weights have the wrong sizes for their config');
  }
  const table = new Float32Array((B + 1) * D);
  table.set(weights.table); // the last row stays zero: the padding id's embedding

  const nodes = [
    node('Gather', ['table', ENCODER_INPUT], ['emb'], { axis: 0 }),
    node('ReduceSum', ['emb', 'axis1'], ['sum'], { keepdims: 0 }),
    node('Less', [ENCODER_INPUT, 'pad_id'], ['valid']),
    node('Cast', ['valid'], ['valid_f'], { to: DataType.FLOAT }),
    node('ReduceSum', ['valid_f', 'axis1'], ['count'], { keepdims: 1 }),
    node('Max', ['count', 'one'], ['denom']),
    node('Div', ['sum', 'denom'], ['mean']),
    node('MatMul', ['mean', 'proj'], ['h0']),
    node('Add', ['h0', 'bias'], ['h']),
    node('Mul', ['h', 'h'], ['h_sq']),
    node('ReduceSum', ['h_sq', 'axis1'], ['ss'], { keepdims: 1 }),
    node('Max', ['ss', 'eps'], ['ss_safe']),
    node('Sqrt', ['ss_safe'], ['norm']),
    node('Div', ['h', 'norm'], [ENCODER_OUTPUT]),
  ];
  return makeModel({
    graphName: 'concord_encoder',
    docString:
      'Concord built-in product-text encoder: hashed n-gram embedding bag, projection, L2 normalization.',
    modelVersion: manifest.version,
    nodes,
    inputs: [valueInfo(ENCODER_INPUT, DataType.INT32, ['batch', 'features'])],
    outputs: [valueInfo(ENCODER_OUTPUT, DataType.FLOAT, ['batch', E])],
    initializers: [
      floatTensor('table', [B + 1, D], table),
      floatTensor('proj', [D, E], weights.proj),
      floatTensor('bias', [E], weights.bias),
      int32Tensor('pad_id', [], Int32Array.of(B)),
      int64Tensor('axis1', [1], [1]),
      floatTensor('one', [], Float32Array.of(1)),
      floatTensor('eps', [], Float32Array.of(NORM_EPSILON)),
    ],
    metadata: { [MANIFEST_KEY]: JSON.stringify(manifest) },
  });
}

/** The encoder as ONNX bytes. */
export function exportEncoder(weights: EncoderWeights, manifest: EncoderManifest): Uint8Array {
  return encodeModel(buildEncoderModel(weights, manifest));
}

/** Reads the manifest and weights back from an encoder's ONNX bytes (for the TypeScript forward pass). */
export function readEncoder(bytes: Uint8Array): { manifest: EncoderManifest; weights: EncoderWeights } {
  const model = decodeModel(bytes);
  const manifest = parseManifest(metadataOf(model)[MANIFEST_KEY]);
  const init = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const get = (name: string): Float32Array => {
    const t = init.get(name);
    if (!t) throw new Error(`encoder model has no initializer ${name}`);
    return tensorFloats(t);
  };
  const B = manifest.buckets;
  const D = manifest.dim;
  const table = get('table');
  if (table.length !== (B + 1) * D) throw new Error('encoder table has the wrong size for its manifest');
  return {
    manifest,
    weights: {
      config: { featurizer: { ...manifest.featurizer }, dim: D, outDim: manifest.outDim },
      table: table.slice(0, B * D),
      proj: get('proj'),
      bias: get('bias'),
    },
  };
}

/** The manifest of an encoder file, without touching its weights. */
export function readManifest(bytes: Uint8Array): EncoderManifest {
  return parseManifest(metadataOf(decodeModel(bytes))[MANIFEST_KEY]);
}
