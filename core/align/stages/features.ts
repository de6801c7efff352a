/**
 * Stage `features`: the candidate context of each pair's cosine, the training and validation pairs (sure
 * cross-channel pairs, sampled, and the labelled pairs) with their features, and the pairs left to score. The
 * matcher's features are built by the one matcher (core/align/matcher.ts `MatcherFeatures`).
 */
import { stage } from '../../jobs/pipeline.js';
import { rng } from '../gbdt.js';
import type { ResolvedLabels } from '../labels.js';
import { MATCHER_FEATURES, MatcherFeatures, scoredPairs } from '../matcher.js';
import { PAIR_FEATURES, sameCode, type RecordProfiles } from '../recordPairs.js';
import type { ProfileTwin } from '../profileTwin.js';

/** Feature names of the model (the matcher's, with the candidate context). */
export const MODEL_FEATURES = MATCHER_FEATURES;

export interface FeaturesInput {
  profiles: RecordProfiles;
  n: number;
  A: Int32Array;
  B: Int32Array;
  m: number;
  cosine: Float32Array;
  sure: Int8Array;
  labels: ResolvedLabels;
  seed: number;
  /** Sure pairs sampled for training + validation (default 60,000). */
  maxTrainingPairs?: number;
  /** Alignment's second thread, when it has one: it computes half the pair features the matcher needs. */
  twin?: ProfileTwin | null;
}

export interface FeaturesOutput {
  features: MatcherFeatures;
  /** The label of a pair, undefined when unlabelled. */
  labelOf: (e: number) => number | undefined;
  trainRows: number[];
  validRows: number[];
  /** Every pair the GTIN does not decide, and the labelled ones (for the curve). */
  scoreRows: number[];
  yTrain: Float64Array;
  yValid: Float64Array;
  /** Per candidate pair: 1 when identifiers gave its training label (identifierPairs). */
  identified: Uint8Array;
  /** Per candidate pair: 1 when the two records share a code, each the other's only such match (identifierPairs). */
  sameCode: Uint8Array;
}

/**
 * Training pairs that identifiers decide, among the candidate pairs no GTIN decides: two records of different
 * channels that share an identifier (an equal SKU, MPN or id), each the other's only such candidate in its
 * channel, are one product; then every other candidate of either record in the other's channel is another
 * product (a channel lists a product once). They give the matcher pairs of the channels that carry no GTIN.
 */
export function identifierPairs(
  profiles: RecordProfiles,
  A: Int32Array,
  B: Int32Array,
  sure: Int8Array,
): { pairs: number[]; same: Uint8Array } {
  const m = A.length;
  const C = profiles.channelCount;
  const ch = profiles.channel;
  const same = new Uint8Array(m);
  // Per record and channel: the candidate there sharing an identifier (-1 none, -2 more than one).
  const partner = new Map<number, number>();
  const note = (x: number, y: number): void => {
    const k = x * C + ch[y];
    const had = partner.get(k);
    partner.set(k, had === undefined ? y : -2);
  };
  const shared: number[] = [];
  for (let e = 0; e < m; e++) {
    if (sure[e] !== 0 || ch[A[e]] === ch[B[e]] || !sameCode(profiles.ids, A[e], B[e], profiles.wholeIds))
      continue;
    shared.push(e);
    note(A[e], B[e]);
    note(B[e], A[e]);
  }
  const pairs: number[] = [];
  for (const e of shared)
    if (partner.get(A[e] * C + ch[B[e]]) === B[e] && partner.get(B[e] * C + ch[A[e]]) === A[e]) {
      same[e] = 1;
      pairs.push(e);
    }
  if (pairs.length === 0) return { pairs, same };
  const matchedIn = (x: number, c: number): number => {
    const y = partner.get(x * C + c);
    return y !== undefined && y >= 0 ? y : -1;
  };
  for (let e = 0; e < m; e++) {
    const a = A[e];
    const b = B[e];
    if (same[e] === 1 || sure[e] !== 0 || ch[a] === ch[b]) continue;
    const pa = matchedIn(a, ch[b]);
    const pb = matchedIn(b, ch[a]);
    if ((pa >= 0 && pa !== b && mutual(pa, a)) || (pb >= 0 && pb !== a && mutual(pb, b))) pairs.push(e);
  }
  return { pairs, same };

  function mutual(y: number, x: number): boolean {
    return partner.get(y * C + ch[x]) === x;
  }
}

function shuffle<T>(a: T[], random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
}

export const featuresStage = stage(
  'features',
  'candidate context',
  async (input: FeaturesInput, ctx): Promise<FeaturesOutput> => {
    const { profiles, n, A, B, m, cosine, sure, labels, seed } = input;
    const ch = profiles.channel;
    const labelOf = (e: number): number | undefined =>
      labels.count > 0 ? labels.byPair.get(A[e] * n + B[e]) : undefined;
    const features = new MatcherFeatures(profiles, A, B, cosine);

    // Training and validation rows: sure cross-channel pairs (sampled) and labelled pairs.
    const random = rng(seed ^ 0xa11c);
    const surePairs: number[] = [];
    const labelled: number[] = [];
    for (let e = 0; e < m; e++) {
      if (labelOf(e) !== undefined) labelled.push(e);
      else if (sure[e] !== 0 && ch[A[e]] !== ch[B[e]]) surePairs.push(e);
    }
    // Where no GTIN decides (a channel without them), an identifier both records share does (identifierPairs).
    const identified = identifierPairs(profiles, A, B, sure);
    const identifiedPair = new Uint8Array(m);
    for (const e of identified.pairs)
      if (labelOf(e) === undefined) {
        surePairs.push(e);
        identifiedPair[e] = 1;
      }
    shuffle(surePairs, random);
    const maxTraining = input.maxTrainingPairs ?? 60_000;
    if (surePairs.length > maxTraining) surePairs.length = maxTraining;
    const nValid = Math.floor(surePairs.length * 0.25);
    const validRows = surePairs.slice(0, nValid);
    const trainRows = [...surePairs.slice(nValid), ...labelled];
    const yOf = (e: number): number => labelOf(e) ?? (sure[e] > 0 || identified.same[e] === 1 ? 1 : 0);
    const scoreRows: number[] = [];
    for (let e = 0; e < m; e++) if (sure[e] === 0 || labelOf(e) !== undefined) scoreRows.push(e);

    ctx.progress(
      `features of ${(trainRows.length + validRows.length).toLocaleString('en-US')} training pairs`,
    );
    // The matcher computes the features of the pairs it scores (trainMatcher); with a twin, half are computed
    // there meanwhile, and kept. The twin has no embeddings (load stage): with them, the matcher does it all.
    if (input.twin && !profiles.embeddings) {
      const pairs = scoredPairs(sure, trainRows, validRows);
      const half = pairs.length >> 1;
      const theirs = pairs.slice(half);
      const rows = input.twin.pairRows(
        Int32Array.from(theirs, (e) => A[e]),
        Int32Array.from(theirs, (e) => B[e]),
        ctx.signal,
      );
      rows.catch(() => {}); // awaited below; not unhandled should this thread throw first
      const mine = features.pairRows(pairs.slice(0, half));
      const all = new Float32Array(mine.length + theirs.length * PAIR_FEATURES.length);
      all.set(mine);
      all.set(await rows, mine.length);
      features.keep(pairs, all);
    }
    return {
      features,
      labelOf,
      trainRows,
      validRows,
      scoreRows,
      yTrain: Float64Array.from(trainRows, yOf),
      yValid: Float64Array.from(validRows, yOf),
      identified: identifiedPair,
      sameCode: identified.same,
    };
  },
);
