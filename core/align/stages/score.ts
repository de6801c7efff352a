/**
 * Stage `score`: the trained matcher's calibrated probability of every pair left to score (the text cosine stands in when
 * there is no model), then each pair's final probability and its evidence: a label, else the sure GTIN evidence,
 * else the model.
 */
import { stage } from '../../jobs/pipeline.js';
import type { TrainedMatcher } from '../matcher.js';

/** Evidence of a stored pair probability. */
export const EVIDENCE_MODEL = 0;
export const EVIDENCE_SAME_GTIN = 1;
export const EVIDENCE_GTIN_CONFLICT = 2;
export const EVIDENCE_LABEL = 3;

export interface ScoreInput {
  matcher: TrainedMatcher | null;
  labelOf: (e: number) => number | undefined;
  scoreRows: number[];
  m: number;
  cosine: Float32Array;
  sure: Int8Array;
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
  const { matcher, labelOf, scoreRows, m, cosine, sure } = input;
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
    } else {
      probability[e] = modelProb[e];
      evidence[e] = EVIDENCE_MODEL;
    }
  }
  return { modelProb, probability, evidence };
});
