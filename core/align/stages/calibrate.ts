/**
 * Stage `calibrate`: Platt scaling of the model's scores (core/align/calibration.ts, reached only through
 * `calibrateModel`) on the validation pairs (the training pairs when there are too few), with the best threshold
 * and the average precision there.
 */
import { stage } from '../../jobs/pipeline.js';
import { fitPlatt, plattCalibrator, type PlattJson } from '../calibration.js';
import type { Gbdt } from '../gbdt.js';
import { averagePrecision, bestThreshold } from '../metrics.js';
import { rowViews } from './train.js';

export interface CalibrateInput {
  model: Gbdt | null;
  hasValid: boolean;
  xTrain: Float32Array;
  yTrain: Float64Array;
  xValid: Float32Array;
  yValid: Float64Array;
}

export interface CalibrateOutput {
  calibration: PlattJson | null;
  best: ReturnType<typeof bestThreshold> | null;
  averagePrecision: number | null;
}

function calibrateModel(model: Gbdt, x: Float32Array, y: Float64Array): CalibrateOutput {
  const raw = model.predictAll(rowViews(x));
  const calibration = fitPlatt(raw, y);
  const prob = Float64Array.from(raw, plattCalibrator(calibration));
  return { calibration, best: bestThreshold(prob, y), averagePrecision: averagePrecision(prob, y) };
}

export const calibrateStage = stage(
  'calibrate',
  'calibrating the matcher',
  ({ model, hasValid, xTrain, yTrain, xValid, yValid }: CalibrateInput): CalibrateOutput =>
    model
      ? calibrateModel(model, hasValid ? xValid : xTrain, hasValid ? yValid : yTrain)
      : { calibration: null, best: null, averagePrecision: null },
);
