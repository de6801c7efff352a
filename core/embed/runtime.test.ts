import { describe, expect, it } from 'vitest';
import { exportEncoder, readEncoder } from '../../models/encoder/graph.js';
import { makeManifest } from '../../models/encoder/manifest.js';
import { encodeTexts, initEncoder, type EncoderConfig } from './encoder.js';
import { EncoderRuntime } from './runtime.js';
import { syntheticProducts } from './synthetic.js';
import { trainEncoder } from './train.js';

const config: EncoderConfig = {
  featurizer: { version: 1, buckets: 1 << 14, minN: 3, maxN: 5, maxFeatures: 256 },
  dim: 32,
  outDim: 24,
};

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const texts = [
  ...syntheticProducts(300, 11, 2).flatMap((p) => p.titles),
  '',
  '   ',
  'Ünïcödé — 微软 キーボード 64 GB',
  'x'.repeat(2000),
];

describe('encoder runtime (onnxruntime) vs the TypeScript forward pass', () => {
  it('agree to 1e-5 on random weights with a bias', async () => {
    const w = initEncoder(config, 9);
    for (let e = 0; e < w.bias.length; e++) w.bias[e] = 0.01 * (e - 12);
    const bytes = exportEncoder(
      w,
      makeManifest({ name: 'parity', version: 1, dim: 32, outDim: 24, featurizer: config.featurizer }),
    );
    const rt = await EncoderRuntime.open(bytes, { providers: ['cpu'] });
    expect(rt.choice.provider).toBe('cpu');
    const ort = await rt.embed(texts, { batchSize: 97 });
    const ts = encodeTexts(w, texts);
    expect(maxAbsDiff(ort, ts)).toBeLessThanOrEqual(1e-5);
    // rows are unit length
    for (let r = 0; r < texts.length; r++) {
      let ss = 0;
      for (let e = 0; e < 24; e++) ss += ort[r * 24 + e] ** 2;
      expect(Math.abs(Math.sqrt(ss) - 1)).toBeLessThan(1e-5);
    }
    await rt.close();
  });

  it('agree to 1e-5 on trained weights read back from the ONNX file', async () => {
    const train = syntheticProducts(400, 12, 2).flatMap((p) => p.titles);
    const r = await trainEncoder(
      { texts: train },
      { config, seed: 2, epochs: 2, batchSize: 64, evalSample: 0 },
    );
    const bytes = exportEncoder(
      r.weights,
      makeManifest({ name: 'parity', version: 2, dim: 32, outDim: 24, featurizer: config.featurizer }),
    );
    const { weights } = readEncoder(bytes);
    const rt = await EncoderRuntime.open(bytes, { providers: ['cpu'] });
    const ort = await rt.embed(texts);
    expect(maxAbsDiff(ort, encodeTexts(weights, texts))).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(ort, encodeTexts(r.weights, texts))).toBeLessThanOrEqual(1e-5);
    await rt.close();
  });

  it('refuses a model made by another featurizer version', async () => {
    const w = initEncoder({ ...config, featurizer: { ...config.featurizer, buckets: 64 } }, 1);
    const featurizer = { ...config.featurizer, buckets: 64, version: 999 };
    const bytes = exportEncoder(
      { ...w, config: { ...w.config, featurizer } },
      makeManifest({ name: 'old', version: 1, dim: 32, outDim: 24, featurizer }),
    );
    await expect(EncoderRuntime.open(bytes, { providers: ['cpu'] })).rejects.toThrow(
      /featurizer version 999/,
    );
  });
});
