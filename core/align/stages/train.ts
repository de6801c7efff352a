/**
 * Stage `train`: the matcher's gradient-boosted trees (core/align/gbdt.ts, reached only through `trainModel`),
 * learned from the training pairs and stopped early on the validation pairs. No model when there are too few sure
 * pairs to learn from (no GTINs, one channel).
 */
import { stage } from '../../jobs/pipeline.js';
import { Gbdt, type GbdtParams } from '../gbdt.js';
import { MODEL_FEATURES } from './features.js';

const GBDT_DEFAULTS: Partial<GbdtParams> = {
  nTrees: 250,
  learningRate: 0.1,
  maxDepth: 6,
  minSamplesLeaf: 5,
  subsample: 0.8,
  colsample: 0.8,
  earlyStoppingRounds: 30,
};

export interface TrainInput {
  xTrain: Float32Array;
  yTrain: Float64Array;
  xValid: Float32Array;
  yValid: Float64Array;
  gbdt?: Partial<GbdtParams>;
  seed: number;
}

export interface TrainOutput {
  model: Gbdt | null;
  /** The validation pairs can calibrate (enough of them, both classes). */
  hasValid: boolean;
  positives: number;
}

/** Feature rows as one view per pair. */
export function rowViews(x: Float32Array): Float32Array[] {
  const width = MODEL_FEATURES.length;
  return Array.from({ length: x.length / width }, (_, r) => x.subarray(r * width, (r + 1) * width));
}

function trainModel(input: TrainInput, hasValid: boolean): Gbdt {
  return Gbdt.train(
    rowViews(input.xTrain),
    input.yTrain,
    { ...GBDT_DEFAULTS, seed: input.seed, ...input.gbdt },
    hasValid ? { valid: { x: rowViews(input.xValid), y: input.yValid } } : {},
  );
}

export const trainStage = stage('train', 'training the matcher', (input: TrainInput): TrainOutput => {
  const { yTrain, yValid } = input;
  const positives = yTrain.reduce((s, y) => s + y, 0) + yValid.reduce((s, y) => s + y, 0);
  const negatives = yTrain.length + yValid.length - positives;
  const hasValid = yValid.length >= 20 && yValid.some((y) => y === 1) && yValid.some((y) => y === 0);
  if (!(positives >= 10 && negatives >= 10 && yTrain.length >= 20))
    return { model: null, hasValid, positives };
  return { model: trainModel(input, hasValid), hasValid, positives };
});
