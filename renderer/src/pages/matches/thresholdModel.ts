/**
 * What the threshold tool says at a threshold (pure; ThresholdPanel draws it): the matcher's validation pairs give
 * precision, recall and F1 (the same pairs as the summary's valid F1); hand labels stay a source of their own,
 * told in counts while there are too few of them for a percentage to mean anything (the review queue picks the
 * hardest pairs, near the threshold); and what applying a threshold would change.
 */
import type { Result } from '../../../../core/api/contract';
import { formatCount, formatPercent } from '../../lib/format';

export type Curves = Result<'matches.curve'>;
export type ScoreCurve = NonNullable<Curves['labels']>;
export type CurvePoint = ScoreCurve['points'][number];
export type ThresholdPreview = Result<'align.previewThreshold'>;

/** Fewer hand-labelled pairs than this are told as counts, not percentages. */
export const LABELS_FOR_PERCENT = 30;

/** The point at a slider position (thresholds step by 0.01), or null without one. */
export function pointAt(curve: ScoreCurve | null, threshold: number): CurvePoint | null {
  if (!curve || curve.points.length === 0) return null;
  const step = Math.round(threshold * 100);
  return curve.points.find((p) => Math.round(p.threshold * 100) === step) ?? null;
}

export function f1Of(point: CurvePoint): number | null {
  if (point.precision === null) return null;
  const { precision: p, recall: r } = point;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/** One line per curve and source for the chart: validation precision/recall, and the labels' where they exist. */
export interface ChartRow {
  threshold: number;
  precision: number | null;
  recall: number | null;
  labelPrecision: number | null;
  labelRecall: number | null;
}

export function chartRows(curves: Curves): ChartRow[] {
  const { validation, labels } = curves;
  const thresholds = (validation ?? labels)?.points.map((p) => p.threshold) ?? [];
  return thresholds.map((threshold) => {
    const v = pointAt(validation, threshold);
    const l = labels && labels.matches > 0 ? pointAt(labels, threshold) : null;
    return {
      threshold,
      precision: v?.precision ?? null,
      recall: v && validation && validation.matches > 0 ? v.recall : null,
      labelPrecision: l?.precision ?? null,
      labelRecall: l ? l.recall : null,
    };
  });
}

/** What the hand labels say at a threshold, in words. */
export function labelsReadout(labels: ScoreCurve, threshold: number): string {
  const p = pointAt(labels, threshold);
  if (!p) return '';
  const nonMatches = labels.pairs - labels.matches;
  const pairs = `${labels.pairs} labelled pair${labels.pairs === 1 ? '' : 's'}`;
  if (labels.pairs < LABELS_FOR_PERCENT) {
    const parts: string[] = [];
    if (labels.matches > 0) parts.push(`${p.matchesAbove} of ${labels.matches} matches kept`);
    if (nonMatches > 0)
      parts.push(
        `${p.nonMatchesAbove} of ${nonMatches} non-match${nonMatches === 1 ? '' : 'es'} let through`,
      );
    return `${pairs}: ${parts.join(', ')}`;
  }
  const precision = p.precision === null ? '—' : formatPercent(p.precision);
  const recall = labels.matches > 0 ? formatPercent(p.recall) : '—';
  return `${pairs}: precision ${precision}, recall ${recall}`;
}

/** What applying the threshold would do, in words. */
export function previewSentence(preview: ThresholdPreview): string {
  const { merging, mergedInto, splitting } = preview;
  if (merging === 0 && splitting === 0) return 'No product would change.';
  const parts: string[] = [];
  if (merging > 0) parts.push(`${formatCount(merging)} products would merge into ${formatCount(mergedInto)}`);
  if (splitting > 0) parts.push(`${formatCount(splitting)} product${splitting === 1 ? '' : 's'} would split`);
  return `${parts.join(', ')}.`;
}
