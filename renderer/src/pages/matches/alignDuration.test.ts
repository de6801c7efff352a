import { describe, expect, it } from 'vitest';
import type { AlignSummary, JobState } from '../../../../core/api/contract';
import { alignDurationSeconds } from './alignDuration';

/** A run's seconds as the pipeline records them: each stage, the wall-time total and the CPU seconds. */
const seconds = {
  load: 1.2,
  block: 2.1,
  features: 1.5,
  train: 5,
  score: 1.4,
  cluster: 0.6,
  save: 1.3,
  total: 13.3,
  cpu: 18.1,
};

const summary = {
  records: 10,
  clusters: 5,
  matchedRecords: 8,
  threshold: 0.5,
  labels: 0,
  blocking: { candidatePairs: 20, keptFraction: 0.1, recall: null },
  model: { trainingPairs: 12, positives: 6, validF1: 0.99 },
  seconds,
  alignedAt: '2026-12-07T20:00:13.900Z',
} satisfies AlignSummary;

function alignJob(patch: Partial<JobState>): JobState {
  return {
    id: 'j1',
    kind: 'align',
    title: 'Align products across channels',
    status: 'done',
    progress: { done: 1, total: 1, phase: 'done', message: '' },
    startedAt: '2026-12-07T20:00:00.000Z',
    finishedAt: '2026-12-07T20:00:14.000Z',
    result: summary,
    ...patch,
  };
}

describe('alignDurationSeconds', () => {
  it("is the run's wall time, not the stages, the total and the CPU seconds added up", () => {
    expect(alignDurationSeconds(summary, [])).toBe(13.3);
  });

  it('is the duration of the job that produced the alignment when the jobs list has it', () => {
    expect(alignDurationSeconds(summary, [alignJob({})])).toBe(14);
    // Another alignment's job does not count.
    const other = alignJob({ result: { ...summary, alignedAt: '2026-12-07T19:00:00.000Z' } });
    expect(alignDurationSeconds(summary, [other])).toBe(13.3);
  });

  it('adds up the stages of a run without a total', () => {
    expect(alignDurationSeconds({ ...summary, seconds: { recluster: 0.25 } }, [])).toBe(0.25);
  });
});
