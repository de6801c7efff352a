import { describe, expect, it } from 'vitest';
import {
  canTrain,
  MATCHER_FEATURES,
  MatcherFeatures,
  matcherFeatureNames,
  matcherPlan,
  STAGE1_FEATURES,
  trainMatcher,
} from './matcher.js';
import { contextFeatureNames, PAIR_FEATURES, RecordProfiles, type AlignRecord } from './recordPairs.js';
import { alignRecord } from '../test-support/alignRecord.js';

function rec(id: number, channel: number, title: string): AlignRecord {
  return alignRecord(id, channel, title, { currency: 'USD' });
}

/**
 * Two channels of 60 products, each a brand, a kind and a model code; channel 1 writes the title differently.
 * Candidate pairs: each product with its twin (a match) and with the next product of the same brand and kind,
 * whose code differs by one digit (a look-alike).
 */
function world(n = 60) {
  const brands = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark'];
  const kinds = ['kettle', 'toaster', 'blender', 'mixer', 'fan'];
  const records: AlignRecord[] = [];
  for (let i = 0; i < n; i++) {
    const b = brands[i % brands.length];
    const k = kinds[Math.floor(i / brands.length) % kinds.length];
    records.push(rec(i + 1, 0, `${b} ${k} ${b.slice(0, 2)}${1000 + i} white`));
  }
  for (let i = 0; i < n; i++) {
    const b = brands[i % brands.length];
    const k = kinds[Math.floor(i / brands.length) % kinds.length];
    records.push(rec(n + i + 1, 1, `${k} by ${b}, model ${b.slice(0, 2)}-${1000 + i}`));
  }
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    a.push(i);
    b.push(n + i);
    y.push(1);
    a.push(i);
    b.push(n + ((i + brands.length) % n));
    y.push(0);
  }
  const profiles = new RecordProfiles(records);
  const A = Int32Array.from(a);
  const B = Int32Array.from(b);
  const cosine = Float32Array.from(A, (x, e) => profiles.cosine(x, B[e]));
  return { profiles, A, B, cosine, y };
}

describe('the matcher', () => {
  it('names its features: pair features, then the candidate context of the cosine', () => {
    expect(matcherFeatureNames(false)).toEqual(PAIR_FEATURES);
    expect(MATCHER_FEATURES.slice(PAIR_FEATURES.length)).toEqual([
      'cosine.leftRank',
      'cosine.leftMargin',
      'cosine.rightRank',
      'cosine.rightMargin',
    ]);
    const w = world();
    const f = new MatcherFeatures(w.profiles, w.A, w.B, w.cosine);
    expect(f.width).toBe(MATCHER_FEATURES.length);
    const x = f.rows([0, 1]);
    expect(x.length).toBe(2 * f.width);
    // The twin is the best candidate of its left record by cosine, the look-alike the second.
    expect(x[PAIR_FEATURES.length]).toBe(1);
    expect(x[f.width + PAIR_FEATURES.length]).toBe(2);
    expect(new MatcherFeatures(w.profiles, w.A, w.B, w.cosine, { context: false }).width).toBe(
      PAIR_FEATURES.length,
    );
  });

  it('learns twins from look-alikes, calibrated, deterministically', () => {
    const w = world();
    const f = new MatcherFeatures(w.profiles, w.A, w.B, w.cosine);
    const idx = w.y.map((_, e) => e);
    const train = { pairs: idx.filter((e) => e % 4 < 2), y: idx.filter((e) => e % 4 < 2).map((e) => w.y[e]) };
    const valid = {
      pairs: idx.filter((e) => e % 4 >= 2),
      y: idx.filter((e) => e % 4 >= 2).map((e) => w.y[e]),
    };
    expect(canTrain(train.y, valid.y)).toBe(true);
    expect(canTrain([1, 0, 1])).toBe(false);
    const m = trainMatcher(f, train, valid, { gbdt: { minSamplesLeaf: 2 } });
    expect(m.validated).toBe(true);
    expect(m.features).toEqual(MATCHER_FEATURES);
    expect(m.best.f1).toBeGreaterThan(0.9);
    const p = m.probabilities(valid.pairs);
    for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
    let right = 0;
    valid.pairs.forEach((_, r) => (right += (p[r] >= m.best.threshold ? 1 : 0) === valid.y[r] ? 1 : 0));
    expect(right / valid.pairs.length).toBeGreaterThan(0.9);
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    expect(json.features).toEqual(m.features);
    expect(json.calibration.kind).toBe('platt');
    const again = trainMatcher(f, train, valid, { gbdt: { minSamplesLeaf: 2 } });
    expect([...again.probabilities(valid.pairs)]).toEqual([...p]);
  });

  it('without a validation split calibrates on the training pairs', () => {
    const w = world();
    const f = new MatcherFeatures(w.profiles, w.A, w.B, w.cosine);
    const pairs = w.y.map((_, e) => e);
    const m = trainMatcher(f, { pairs, y: w.y }, { pairs: [], y: [] }, { gbdt: { minSamplesLeaf: 2 } });
    expect(m.validated).toBe(false);
    expect(Number.isFinite(m.best.threshold)).toBe(true);
  });

  it('with enough training pairs stacks an out-of-fold stage and averages bagged models', () => {
    const w = world(500);
    const f = new MatcherFeatures(w.profiles, w.A, w.B, w.cosine);
    const { train, valid } = halves(w.y);
    const m = trainMatcher(f, train, valid, { gbdt: { minSamplesLeaf: 2 } });
    expect(m.features).toEqual([...MATCHER_FEATURES, ...STAGE1_FEATURES]);
    expect(STAGE1_FEATURES).toEqual(['stage1', ...contextFeatureNames(['stage1'])]);
    expect(m.model.gain.length).toBe(m.features.length);
    const json = m.toJSON();
    const plan = matcherPlan(train.pairs.length);
    expect(json.stage1.length).toBe(plan.folds);
    expect(json.gbdt.length).toBe(plan.bag);
    expect(m.best.f1).toBeGreaterThan(0.9);
    const p = m.probabilities(valid.pairs);
    const again = trainMatcher(f, train, valid, { gbdt: { minSamplesLeaf: 2 } });
    expect([...again.probabilities(valid.pairs)]).toEqual([...p]);
    const single = trainMatcher(f, train, valid, { folds: 0, bag: 1, gbdt: { minSamplesLeaf: 2 } });
    expect(single.features).toEqual(MATCHER_FEATURES);
    expect(single.toJSON().stage1).toEqual([]);
    expect(single.toJSON().gbdt.length).toBe(1);
  });

  it('stacks in fewer folds than planned when the rarer class does not fill them', () => {
    const w = world(300);
    const f = new MatcherFeatures(w.profiles, w.A, w.B, w.cosine);
    const { train, valid } = halves(w.y);
    // 150 pairs of each class: 3 folds of 50, fewer than the plan's.
    expect(matcherPlan(train.pairs.length).folds).toBeGreaterThan(3);
    const m = trainMatcher(f, train, valid, { gbdt: { minSamplesLeaf: 2 } });
    expect(m.toJSON().stage1.length).toBe(3);
    expect(m.features).toEqual([...MATCHER_FEATURES, ...STAGE1_FEATURES]);
  });

  it('plans fewer models for large training sets, each on a sample', () => {
    const small = matcherPlan(5_000);
    const large = matcherPlan(45_000);
    expect(small.folds).toBeGreaterThan(large.folds);
    expect(small.bag).toBeGreaterThan(large.bag);
    expect(large.folds).toBeGreaterThanOrEqual(2);
    expect(large.maxFitRows).toBeLessThan(45_000);
    expect(large.averageFolds).toBe(false);
  });

  it('does not score pairs known beforehand in stage 1, and still gives them a probability', () => {
    const w = world(500);
    const f = new MatcherFeatures(w.profiles, w.A, w.B, w.cosine);
    const { train, valid } = halves(w.y, (e) => e % 8 < 6);
    // A quarter of the pairs is neither training nor validation: known the same product / different ones.
    const decided = Int8Array.from(w.y, (y, e) => (e % 8 >= 6 ? (y ? 1 : -1) : 0));
    const m = trainMatcher(f, train, valid, { decided, gbdt: { minSamplesLeaf: 2 } });
    expect(m.features).toEqual([...MATCHER_FEATURES, ...STAGE1_FEATURES]);
    const known = w.y.map((_, e) => e).filter((e) => decided[e] !== 0);
    const p = m.probabilities(known);
    let right = 0;
    known.forEach((e, r) => (right += (p[r] >= m.best.threshold ? 1 : 0) === w.y[e] ? 1 : 0));
    expect(right / known.length).toBeGreaterThan(0.9);
    const again = trainMatcher(f, train, valid, { decided, gbdt: { minSamplesLeaf: 2 } });
    expect([...again.probabilities(known)]).toEqual([...p]);
  });
});

/** Training and validation pairs (alternating pairs of pairs) among the pairs that `use` keeps. */
function halves(y: number[], use: (e: number) => boolean = () => true) {
  const idx = y.map((_, e) => e).filter(use);
  const split = (keep: (e: number) => boolean) => {
    const pairs = idx.filter(keep);
    return { pairs, y: pairs.map((e) => y[e]) };
  };
  return { train: split((e) => e % 4 < 2), valid: split((e) => e % 4 >= 2) };
}
