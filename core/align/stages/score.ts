/**
 * Stage `score`: the trained matcher's calibrated probability of every pair left to score (the text cosine stands in when
 * there is no model), then each pair's final probability and its evidence: a label, else the sure GTIN evidence,
 * else the model.
 */
import { stage } from '../../jobs/pipeline.js';
import type { TrainedMatcher } from '../matcher.js';
import { sameCode, type RecordProfiles } from '../recordPairs.js';
import type { VariantOptions } from '../variants.js';

/** Evidence of a stored pair probability. */
export const EVIDENCE_MODEL = 0;
export const EVIDENCE_SAME_GTIN = 1;
export const EVIDENCE_GTIN_CONFLICT = 2;
export const EVIDENCE_LABEL = 3;
/** Both records state a variant option with values that cannot be the same (variants.ts): a sure non-match. */
export const EVIDENCE_VARIANT_CONFLICT = 4;
/** An equal identifier (SKU, MPN, a feed id that is the shop's SKU) of at least six characters with a letter. */
export const EVIDENCE_SAME_CODE = 5;

/**
 * What an equal identifier makes a pair at least (the matcher may say more; a conflict still says no). A code the
 * two records share with no other record of each other's channel (identifierPairs) is as sure as a GTIN: the title
 * may have been changed, the merchant's own key was not.
 */
const SAME_CODE_FLOOR = 0.97;

export interface ScoreInput {
  matcher: TrainedMatcher | null;
  labelOf: (e: number) => number | undefined;
  scoreRows: number[];
  m: number;
  cosine: Float32Array;
  sure: Int8Array;
  A: Int32Array;
  B: Int32Array;
  variants: VariantOptions;
  profiles: RecordProfiles;
  /** Pairs whose records share a code and no other record of the other's channel does (identifierPairs). */
  sameCode: Uint8Array;
}

export interface ScoreOutput {
  /** The model's calibrated probability (NaN: not scored). */
  modelProb: Float32Array;
  /** What clustering uses. */
  probability: Float32Array;
  evidence: Uint8Array;
}

const CHUNK = 32768;

export const scoreStage = stage('score', 'scoring pairs', (input: ScoreInput, ctx): ScoreOutput => {
  const { matcher, labelOf, scoreRows, m, cosine, sure, A, B, variants, profiles } = input;
  ctx.progress(`scoring ${scoreRows.length.toLocaleString('en-US')} pairs`, 0, scoreRows.length);
  const modelProb = new Float32Array(m).fill(NaN);
  if (matcher) {
    for (let s = 0; s < scoreRows.length; s += CHUNK) {
      ctx.progress('scoring pairs', s, scoreRows.length);
      const idx = scoreRows.slice(s, s + CHUNK);
      const prob = matcher.probabilities(idx);
      for (let r = 0; r < idx.length; r++) modelProb[idx[r]] = prob[r];
    }
  } else {
    // Not enough sure pairs to learn from (no GTINs, one channel): the text cosine stands in for a probability.
    for (const e of scoreRows) modelProb[e] = cosine[e];
  }
  const probability = new Float32Array(m);
  const evidence = new Uint8Array(m);
  for (let e = 0; e < m; e++) {
    const l = labelOf(e);
    if (l !== undefined) {
      probability[e] = l;
      evidence[e] = EVIDENCE_LABEL;
    } else if (sure[e] > 0) {
      probability[e] = 1;
      evidence[e] = EVIDENCE_SAME_GTIN;
    } else if (sure[e] < 0) {
      probability[e] = 0;
      evidence[e] = EVIDENCE_GTIN_CONFLICT;
    } else if (variants.conflict(A[e], B[e])) {
      probability[e] = 0;
      evidence[e] = EVIDENCE_VARIANT_CONFLICT;
    } else if (input.sameCode[e] === 1) {
      probability[e] = 1;
      evidence[e] = EVIDENCE_SAME_CODE;
    } else if (modelProb[e] < SAME_CODE_FLOOR && sameCode(profiles.ids, A[e], B[e])) {
      probability[e] = SAME_CODE_FLOOR;
      evidence[e] = EVIDENCE_SAME_CODE;
    } else {
      probability[e] = modelProb[e];
      evidence[e] = EVIDENCE_MODEL;
    }
  }
  return { modelProb, probability, evidence };
});
