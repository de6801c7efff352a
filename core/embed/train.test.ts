import { describe, expect, it } from 'vitest';
import type { Progress } from '../jobs/progress.js';
import { noisyView } from './augment.js';
import { encodeTexts, type EncoderConfig } from './encoder.js';
import { Rng } from './rng.js';
import { syntheticProducts } from './synthetic.js';
import { trainEncoder } from './train.js';

const config: EncoderConfig = {
  featurizer: { version: 1, buckets: 1 << 15, minN: 3, maxN: 5, maxFeatures: 256 },
  dim: 32,
  outDim: 32,
};

function cos(a: Float32Array, i: number, b: Float32Array, j: number, E: number): number {
  let s = 0;
  for (let e = 0; e < E; e++) s += a[i * E + e] * b[j * E + e];
  return s;
}

describe('noisy views', () => {
  it('never drop or change identity tokens and are reproducible', () => {
    const title = 'Acme Ultra 128GB microSDXC Memory Card with Adapter XL';
    for (let s = 0; s < 50; s++) {
      const v = noisyView(title, new Rng(s)).toLowerCase().replace(/[\s-]/g, '');
      expect(v).toContain('128gb');
      expect(v).toContain('xl');
      expect(noisyView(title, new Rng(s))).toBe(noisyView(title, new Rng(s)));
    }
  });
});

describe('trainEncoder', () => {
  const products = syntheticProducts(1500, 3, 3);
  const texts = products.flatMap((p) => p.titles);
  const groups = products.flatMap((_, i) => [i, i, -1]);

  it('lowers the loss and puts noisy views of a title nearer than other titles', async () => {
    const seen: Progress[] = [];
    const r = await trainEncoder(
      { texts, groups },
      { config, seed: 4, minSteps: 150, batchSize: 128, onProgress: (p) => seen.push(p) },
    );
    expect(r.lastLoss).toBeLessThan(r.firstLoss * 0.8);
    expect(r.after!.viewTop1).toBeGreaterThan(r.before!.viewTop1);
    expect(r.after!.viewTop1).toBeGreaterThan(0.8);
    expect(r.after!.groupTop1).toBeGreaterThan(r.before!.groupTop1);
    expect(r.after!.positiveCosine).toBeGreaterThan(r.after!.negativeCosine + 0.5);
    expect(seen.some((p) => p.phase === 'train' && p.done > 0)).toBe(true);
    expect(seen.at(-1)!.phase).toBe('done');

    // directly: a view of each title is nearer to it than to any other product's title
    const sample = products.slice(0, 200).map((p) => p.titles[0]);
    const rng = new Rng(99);
    const views = sample.map((t) => noisyView(t, rng));
    const a = encodeTexts(r.weights, sample);
    const b = encodeTexts(r.weights, views);
    let nearer = 0;
    for (let i = 0; i < sample.length; i++) {
      const own = cos(b, i, a, i, 32);
      let best = -Infinity;
      for (let j = 0; j < sample.length; j++)
        if (j !== i && sample[j] !== sample[i]) best = Math.max(best, cos(b, i, a, j, 32));
      if (own > best) nearer++;
    }
    expect(nearer / sample.length).toBeGreaterThan(0.85);
  });

  it('is deterministic for a seed', async () => {
    const small = texts.slice(0, 300);
    const tiny: EncoderConfig = {
      ...config,
      featurizer: { ...config.featurizer, buckets: 4096 },
      dim: 16,
      outDim: 16,
    };
    const opts = { config: tiny, seed: 7, epochs: 1, batchSize: 64, evalSample: 0 };
    const [x, y] = [await trainEncoder({ texts: small }, opts), await trainEncoder({ texts: small }, opts)];
    expect(x.weights.proj).toEqual(y.weights.proj);
    expect(x.weights.table).toEqual(y.weights.table);
    expect(x.epochLosses).toEqual(y.epochLosses);
  });

  it('stops with CANCELLED when its signal aborts', async () => {
    const controller = new AbortController();
    const run = trainEncoder(
      { texts },
      {
        config,
        epochs: 50,
        batchSize: 64,
        evalSample: 0,
        onProgress: (p) => {
          if (p.phase === 'train' && p.done >= 3) controller.abort();
        },
        signal: controller.signal,
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
