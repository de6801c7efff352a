import { InferenceSession } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { initEncoder, type EncoderConfig } from '../../core/embed/encoder.js';
import { checkModel } from '../onnx/checker.js';
import { decodeModel, encodeModel, IR_VERSION, OPSET, toNumber } from '../onnx/proto.js';
import { buildEncoderModel, exportEncoder, readEncoder, readManifest } from './graph.js';
import { ENCODER_INPUT, ENCODER_OUTPUT, makeManifest, parseManifest } from './manifest.js';

const config: EncoderConfig = {
  featurizer: { version: 1, buckets: 512, minN: 3, maxN: 5, maxFeatures: 64 },
  dim: 8,
  outDim: 4,
};

function model() {
  const w = initEncoder(config, 5);
  const manifest = makeManifest({
    name: 'test',
    version: 3,
    dim: 8,
    outDim: 4,
    featurizer: config.featurizer,
  });
  return { w, manifest, bytes: exportEncoder(w, manifest) };
}

describe('encoder ONNX export', () => {
  it('passes the structural checks onnx applies', () => {
    const decoded = decodeModel(model().bytes);
    expect(checkModel(decoded)).toEqual([]);
    expect(toNumber(decoded.irVersion)).toBe(IR_VERSION);
    expect(decoded.opsetImport.map((o) => [o.domain, toNumber(o.version)])).toEqual([['', OPSET]]);
    expect(decoded.graph!.input!.map((i) => i.name)).toEqual([ENCODER_INPUT]);
    expect(decoded.graph!.output!.map((o) => o.name)).toEqual([ENCODER_OUTPUT]);
    const table = decoded.graph!.initializer!.find((t) => t.name === 'table')!;
    expect(table.dims!.map(toNumber)).toEqual([513, 8]);
    expect(new Set(decoded.graph!.node!.map((n) => n.opType))).toEqual(
      new Set(['Gather', 'ReduceSum', 'Less', 'Cast', 'Max', 'Div', 'MatMul', 'Add', 'Mul', 'Sqrt']),
    );
  });

  it('is refused by the checker when broken, for the reasons onnx would give', () => {
    const { w, manifest } = model();
    const noInit = buildEncoderModel(w, manifest);
    noInit.graph!.initializer = noInit.graph!.initializer!.filter((t) => t.name !== 'proj');
    expect(checkModel(noInit)).toEqual([
      expect.stringContaining('input proj is not a graph input, an initializer or an earlier output'),
    ]);

    const badDims = buildEncoderModel(w, manifest);
    badDims.graph!.initializer!.find((t) => t.name === 'bias')!.dims = [5];
    expect(checkModel(badDims)).toEqual(['initializer bias: dims [5] need 5 values, data has 4']);

    const unordered = buildEncoderModel(w, manifest);
    unordered.graph!.node = [...unordered.graph!.node!].reverse();
    expect(checkModel(unordered).length).toBeGreaterThan(0);

    const noOpset = buildEncoderModel(w, manifest);
    noOpset.opsetImport = [];
    noOpset.irVersion = 0;
    expect(checkModel(noOpset)).toEqual(
      expect.arrayContaining(['ir_version is not set', 'no opset import for the default domain']),
    );

    const oldIr = buildEncoderModel(w, manifest);
    oldIr.irVersion = 6;
    expect(checkModel(oldIr)).toEqual(['ir_version 6 is too old for opset 17 (needs 8)']);

    const noCastType = buildEncoderModel(w, manifest);
    noCastType.graph!.node!.find((n) => n.opType === 'Cast')!.attribute = [];
    expect(checkModel(noCastType)).toEqual([expect.stringContaining('required attribute to missing')]);

    const dup = buildEncoderModel(w, manifest);
    dup.graph!.node!.push({ ...dup.graph!.node![0] });
    expect(checkModel(dup)).toEqual([expect.stringContaining('output emb is produced twice')]);
    // and the untouched model round-trips through protobuf bytes
    expect(checkModel(decodeModel(encodeModel(buildEncoderModel(w, manifest))))).toEqual([]);
  });

  it('loads in onnxruntime with the declared inputs and outputs', async () => {
    const session = await InferenceSession.create(model().bytes, { executionProviders: ['cpu'] });
    expect(session.inputNames).toEqual([ENCODER_INPUT]);
    expect(session.outputNames).toEqual([ENCODER_OUTPUT]);
    await session.release();
  });

  it('carries its manifest and weights, read back exactly', () => {
    const { w, manifest, bytes } = model();
    expect(readManifest(bytes)).toEqual(manifest);
    const back = readEncoder(bytes);
    expect(back.weights.table).toEqual(w.table);
    expect(back.weights.proj).toEqual(w.proj);
    expect(back.weights.bias).toEqual(w.bias);
    expect(back.weights.config).toEqual(config);
  });

  it('refuses manifests it does not understand', () => {
    expect(() => parseManifest(undefined)).toThrow(/no concord.manifest/);
    expect(() => parseManifest(JSON.stringify({ format: 'other' }))).toThrow(/not a Concord encoder/);
    expect(() => parseManifest(JSON.stringify({ ...model().manifest, formatVersion: 99 }))).toThrow(
      /not supported/,
    );
  });
});
