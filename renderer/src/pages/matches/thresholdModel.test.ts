import { describe, expect, it } from 'vitest';
import {
  chartRows,
  f1Of,
  labelsReadout,
  pointAt,
  previewSentence,
  type Curves,
  type ScoreCurve,
} from './thresholdModel';

/** A curve of `pairs` scored pairs, `matches` of them matches, with the counts above each threshold given. */
function curve(
  pairs: number,
  matches: number,
  above: (t: number) => { matchesAbove: number; nonMatchesAbove: number },
): ScoreCurve {
  const points = Array.from({ length: 101 }, (_, k) => {
    const threshold = k / 100;
    const { matchesAbove, nonMatchesAbove } = above(threshold);
    return {
      threshold,
      precision: matchesAbove + nonMatchesAbove > 0 ? matchesAbove / (matchesAbove + nonMatchesAbove) : null,
      recall: matches > 0 ? matchesAbove / matches : 0,
      matchesAbove,
      nonMatchesAbove,
    };
  });
  return { pairs, matches, points, histogram: [] };
}

/** 1,000 validation pairs, 400 matches: above 0.5, 396 matches and 4 non-matches. */
const validation = {
  ...curve(1000, 400, (t) =>
    t <= 0.5 ? { matchesAbove: 396, nonMatchesAbove: 4 } : { matchesAbove: 390, nonMatchesAbove: 1 },
  ),
  split: 'valid' as const,
  best: { threshold: 0.5, precision: 0.99, recall: 0.99, f1: 0.99 },
};

/** Three hand labels from the review queue: 1 match scored 0.45, 2 non-matches scored 0.55 and 0.6. */
const threeLabels = curve(3, 1, (t) => ({
  matchesAbove: t <= 0.45 ? 1 : 0,
  nonMatchesAbove: (t <= 0.55 ? 1 : 0) + (t <= 0.6 ? 1 : 0),
}));

describe('the threshold readout', () => {
  it('reads the validation pairs at the slider, agreeing with the valid F1, whatever the labels say', () => {
    const c: Curves = { validation, labels: threeLabels };
    const p = pointAt(c.validation, 0.5)!;
    expect(p).toMatchObject({ precision: 0.99, recall: 0.99 });
    expect(f1Of(p)).toBeCloseTo(0.99, 10);
    // Float slider values land on their step.
    expect(pointAt(c.validation, 0.30000000000000004)?.threshold).toBe(0.3);
  });

  it('tells a few labels as counts, never as "precision 0 %"', () => {
    const text = labelsReadout(threeLabels, 0.5);
    expect(text).toBe('3 labelled pairs: 0 of 1 matches kept, 2 of 2 non-matches let through');
    expect(text).not.toMatch(/%/);
  });

  it('gives percentages once there are enough labels', () => {
    const many = curve(40, 20, () => ({ matchesAbove: 15, nonMatchesAbove: 5 }));
    expect(labelsReadout(many, 0.5)).toBe('40 labelled pairs: precision 75%, recall 75%');
  });

  it('charts the validation curve with no labels, and the labels beside it when they have a match', () => {
    const rows = chartRows({ validation, labels: null });
    expect(rows).toHaveLength(101);
    expect(rows[50]).toEqual({
      threshold: 0.5,
      precision: 0.99,
      recall: 0.99,
      labelPrecision: null,
      labelRecall: null,
    });
    const withLabels = chartRows({ validation, labels: threeLabels });
    expect(withLabels[40]).toMatchObject({ labelPrecision: 1 / 3, labelRecall: 1 });
    expect(chartRows({ validation: null, labels: null })).toEqual([]);
  });
});

describe('previewSentence', () => {
  const preview = {
    threshold: 0.6,
    clusters: { before: 100, after: 103 },
    matchedRecords: { before: 250, after: 244 },
    merging: 0,
    mergedInto: 0,
    splitting: 0,
  };
  it('says how many products would merge and split', () => {
    expect(previewSentence({ ...preview, merging: 6, mergedInto: 3, splitting: 1 })).toBe(
      '6 products would merge into 3, 1 product would split.',
    );
    expect(previewSentence({ ...preview, splitting: 3 })).toBe('3 products would split.');
    expect(previewSentence(preview)).toBe('No product would change.');
  });
});
