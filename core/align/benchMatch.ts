/**
 * The benchmark protocol of `concord bench match` (shared data/em/README.md) on the matcher alignment runs
 * (matcher.ts): the labelled pair files' records become the records alignment matches (left file side = channel
 * 0, right = channel 1; equal records one record), every pair of the three files is a candidate pair, the matcher
 * is fit on the train pairs, the valid pairs serve early stopping, calibration and the decision threshold (the
 * middle of the near-best F1 range there, metrics.ts steadyThreshold), and the test pairs are predicted once:
 * precision / recall / F1 of the positive class. The records' text (never a label) fits the IDF tables and the
 * candidate context, as alignment's whole workspace does.
 */
import { readDittoFile, type DittoPair, type DittoRecord } from './ditto.js';
import { MatcherFeatures, trainMatcher, type MatcherOptions } from './matcher.js';
import { applyThreshold, precisionRecallF1 } from './metrics.js';
import { RecordProfiles, type AlignRecord } from './recordPairs.js';
import { squash } from './text.js';

export interface BenchMatchOptions extends MatcherOptions {
  /** Candidate-context features (default true). */
  context?: boolean;
}

export interface BenchMatchResult {
  precision: number;
  recall: number;
  f1: number;
  threshold: number;
  trainSeconds: number;
  predictSeconds: number;
  train: number;
  valid: number;
  test: number;
}

export interface BenchMatchOutput {
  result: BenchMatchResult;
  /** 0/1 per test pair, in file order. */
  predictions: Uint8Array;
  /** Calibrated probability per test pair. */
  probabilities: Float64Array;
}

export async function benchMatchFiles(
  files: { train: string; valid: string; test: string },
  options: BenchMatchOptions = {},
): Promise<BenchMatchOutput> {
  const [train, valid, test] = await Promise.all([
    readDittoFile(files.train),
    readDittoFile(files.valid),
    readDittoFile(files.test),
  ]);
  return benchMatch(train, valid, test, options);
}

const TITLE = /^(title|name)$/i;
const BRAND = /^(brand|manufacturer|maker|vendor)$/i;
const PRICE = /^price$/i;

/**
 * A pair file's record as alignment's record: the title (the `title` / `name` attribute, else the first one), the
 * brand (`brand` / `manufacturer`), the price (in cents, one currency), and any other text attribute (a
 * description) as the description.
 */
export function benchRecord(r: DittoRecord, id: number, channel: number): AlignRecord {
  const names = Object.keys(r);
  const titleName = names.find((k) => TITLE.test(k)) ?? names[0];
  const brandName = names.find((k) => BRAND.test(k));
  const priceName = names.find((k) => PRICE.test(k));
  const value = (name: string | undefined) => {
    const v = name === undefined ? '' : r[name].trim();
    return v.length > 0 ? v : null;
  };
  const price = Number((value(priceName) ?? '').replace(/[^0-9.]/g, ''));
  const brand = value(brandName);
  const description = names
    .filter((k) => k !== titleName && k !== brandName && k !== priceName)
    .map((k) => r[k].trim())
    .filter((v) => v.length > 0)
    .join(' ');
  return {
    id,
    channel,
    recordId: String(id),
    title: value(titleName),
    brandKey: brand === null ? null : squash(brand) || null,
    gtin: null,
    mpn: null,
    sku: null,
    priceMinor: Number.isFinite(price) && price > 0 ? Math.round(price * 100) : null,
    salePriceMinor: null,
    currency: 'USD',
    weightG: null,
    category: null,
    options: null,
    description: description.length > 0 ? description : null,
  };
}

/** The records of labelled pairs (equal records of one side are one record) and each pair's positions. */
export function benchPairs(pairs: readonly DittoPair[]): {
  records: AlignRecord[];
  a: Int32Array;
  b: Int32Array;
} {
  const records: AlignRecord[] = [];
  const seen = new Map<string, number>();
  const position = (r: DittoRecord, channel: number) => {
    const key = `${channel}\u0001${JSON.stringify(r)}`;
    let i = seen.get(key);
    if (i === undefined) {
      i = records.length;
      seen.set(key, i);
      records.push(benchRecord(r, i + 1, channel));
    }
    return i;
  };
  const a = Int32Array.from(pairs, (p) => position(p.left, 0));
  const b = Int32Array.from(pairs, (p) => position(p.right, 1));
  return { records, a, b };
}

export function benchMatch(
  train: readonly DittoPair[],
  valid: readonly DittoPair[],
  test: readonly DittoPair[],
  options: BenchMatchOptions = {},
): BenchMatchOutput {
  const t0 = performance.now();
  const all = [...train, ...valid, ...test];
  const { records, a, b } = benchPairs(all);
  const profiles = new RecordProfiles(records);
  const cosine = Float32Array.from(a, (x, e) => profiles.cosine(x, b[e]));
  const features = new MatcherFeatures(profiles, a, b, cosine, { context: options.context });
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  const labelled = (pairs: readonly DittoPair[], from: number) => ({
    pairs: range(from, from + pairs.length),
    y: pairs.map((p) => p.label),
  });
  const matcher = trainMatcher(features, labelled(train, 0), labelled(valid, train.length), options);
  const t1 = performance.now();
  const probabilities = matcher.probabilities(range(train.length + valid.length, all.length));
  const predictions = applyThreshold(probabilities, matcher.best.threshold);
  const t2 = performance.now();
  const scores = precisionRecallF1(
    predictions,
    test.map((p) => p.label),
  );
  return {
    result: {
      precision: scores.precision,
      recall: scores.recall,
      f1: scores.f1,
      threshold: matcher.best.threshold,
      trainSeconds: (t1 - t0) / 1000,
      predictSeconds: (t2 - t1) / 1000,
      train: train.length,
      valid: valid.length,
      test: test.length,
    },
    predictions,
    probabilities,
  };
}
