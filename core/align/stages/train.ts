/**
 * Stage `train`: the one matcher (core/align/matcher.ts) learns from the training pairs, stops early on the
 * validation pairs, and is Platt-calibrated there with its decision threshold — the same training
 * `concord bench match` measures. No matcher when there are too few sure pairs to learn from (no GTINs, one
 * channel).
 */
import { stage } from '../../jobs/pipeline.js';
import type { GbdtParams } from '../gbdt.js';
import { canTrain, trainMatcher, type MatcherFeatures, type TrainedMatcher } from '../matcher.js';

export interface TrainInput {
  features: MatcherFeatures;
  trainRows: number[];
  validRows: number[];
  yTrain: Float64Array;
  yValid: Float64Array;
  /** GTIN evidence per candidate pair (+1 same, -1 different, 0 none): pairs the matcher need not score. */
  sure: Int8Array;
  /** Per candidate pair: 1 when an identifier gave its label (identifierPairs), hidden while training. */
  identified?: Uint8Array;
  gbdt?: Partial<GbdtParams>;
  seed: number;
}

export interface TrainOutput {
  matcher: TrainedMatcher | null;
  positives: number;
}

export const trainStage = stage('train', 'training the matcher', (input: TrainInput): TrainOutput => {
  const { yTrain, yValid } = input;
  const positives = yTrain.reduce((s, y) => s + y, 0) + yValid.reduce((s, y) => s + y, 0);
  const matcher = canTrain(yTrain, yValid)
    ? trainMatcher(
        input.features,
        { pairs: input.trainRows, y: yTrain },
        { pairs: input.validRows, y: yValid },
        { seed: input.seed, gbdt: input.gbdt, decided: input.sure, blind: input.identified },
      )
    : null;
  return { matcher, positives };
});
