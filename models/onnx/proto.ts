/**
 * ONNX ModelProto writing and reading, over the `onnx-proto` package (the onnx.proto schema compiled by
 * protobufjs). Small helpers build graphs by hand: tensors as raw little-endian data, nodes, typed inputs.
 */
import { createRequire } from 'node:module';
import type { onnx as OnnxNs } from 'onnx-proto';

const require = createRequire(import.meta.url);
// onnx-proto is CommonJS; `require` keeps its namespace object intact under NodeNext.
export const onnx = (require('onnx-proto') as { onnx: typeof OnnxNs }).onnx;
export type { OnnxNs };

export const DataType = {
  FLOAT: 1,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
} as const;
export type ElemType = (typeof DataType)[keyof typeof DataType];

/** Bytes per element of the types Concord writes. */
export const ELEM_SIZE: Record<number, number> = {
  1: 4,
  2: 1,
  3: 1,
  4: 2,
  5: 2,
  6: 4,
  7: 8,
  9: 1,
  10: 2,
  11: 8,
  12: 4,
  13: 8,
  16: 2,
};

/** IR version 8 (ONNX 1.10+) is the lowest that allows opset 17. */
export const IR_VERSION = 8;
export const OPSET = 17;

/** A protobuf int64 as decoded (number, or a Long object when `long` is installed). */
export function toNumber(v: number | { toNumber(): number } | null | undefined): number {
  if (v == null) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

function rawBytes(data: Float32Array | Int32Array | BigInt64Array | Uint8Array): Uint8Array {
  // ONNX raw_data is little-endian; every platform Node runs on here is little-endian too.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function floatTensor(name: string, dims: number[], data: Float32Array): OnnxNs.ITensorProto {
  return { name, dims, dataType: DataType.FLOAT, rawData: rawBytes(data) };
}

export function int32Tensor(name: string, dims: number[], data: Int32Array): OnnxNs.ITensorProto {
  return { name, dims, dataType: DataType.INT32, rawData: rawBytes(data) };
}

export function int64Tensor(name: string, dims: number[], values: number[]): OnnxNs.ITensorProto {
  return {
    name,
    dims,
    dataType: DataType.INT64,
    rawData: rawBytes(BigInt64Array.from(values, (v) => BigInt(v))),
  };
}

export type Attr = number | number[] | string | { float: number } | { floats: number[] };

export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Record<string, Attr> = {},
  name = `${opType}_${outputs[0]}`,
): OnnxNs.INodeProto {
  const attribute: OnnxNs.IAttributeProto[] = Object.entries(attributes).map(([key, v]) => {
    const A = onnx.AttributeProto.AttributeType;
    if (typeof v === 'number') return { name: key, type: A.INT, i: v };
    if (typeof v === 'string') return { name: key, type: A.STRING, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return { name: key, type: A.INTS, ints: v };
    if ('float' in v) return { name: key, type: A.FLOAT, f: v.float };
    return { name: key, type: A.FLOATS, floats: v.floats };
  });
  return { opType, input: inputs, output: outputs, name, attribute };
}

/** A graph input or output: element type and shape, each dim a size or a symbolic name. */
export function valueInfo(
  name: string,
  elemType: ElemType,
  shape: Array<number | string>,
): OnnxNs.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface ModelSpec {
  graphName: string;
  nodes: OnnxNs.INodeProto[];
  inputs: OnnxNs.IValueInfoProto[];
  outputs: OnnxNs.IValueInfoProto[];
  initializers: OnnxNs.ITensorProto[];
  metadata?: Record<string, string>;
  docString?: string;
  producerVersion?: string;
  modelVersion?: number;
}

export function makeModel(spec: ModelSpec): OnnxNs.IModelProto {
  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'concord',
    producerVersion: spec.producerVersion ?? '1',
    modelVersion: spec.modelVersion ?? 1,
    docString: spec.docString ?? '',
    graph: {
      name: spec.graphName,
      node: spec.nodes,
      input: spec.inputs,
      output: spec.outputs,
      initializer: spec.initializers,
    },
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
}

export function encodeModel(model: OnnxNs.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

export function decodeModel(bytes: Uint8Array): OnnxNs.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/** A tensor's values as a Float32Array (raw_data or float_data). */
export function tensorFloats(t: OnnxNs.ITensorProto): Float32Array {
  if (t.dataType !== DataType.FLOAT)
    throw new Error(`tensor ${t.name}: expected FLOAT, got data type ${t.dataType}`);
  if (t.rawData && t.rawData.length > 0) {
    const copy = new Uint8Array(t.rawData); // aligned copy
    return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  }
  return Float32Array.from(t.floatData ?? []);
}

export function metadataOf(model: OnnxNs.IModelProto): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of model.metadataProps ?? []) if (p.key) out[p.key] = p.value ?? '';
  return out;
}
