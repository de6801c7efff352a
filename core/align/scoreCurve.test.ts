import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateStore } from '../../fixtures/generator/index.js';
import type { HandlerContext } from '../app/context.js';
import { WorkspaceSession } from '../app/session.js';
import { importFile } from '../ingest/importFile.js';
import { JobRunner } from '../jobs/jobRunner.js';
import { openWorkspace } from '../store/workspace.js';
import { useSuiteTempDir } from '../test-support/tmp.js';
import { alignWorkspace, recluster, type AlignOutcome } from './alignWorkspace.js';
import { alignHandlers } from './handlers.js';
import { scoreCurve, scoreHistogram, SCORE_BINS } from './scoreCurve.js';

describe('scoreCurve', () => {
  const scores = [0.05, 0.29, 0.29, 0.5, 0.74, 0.9, 1, NaN];
  const labels = [0, 0, 1, 0, 1, 1, 1, 1];
  const curve = scoreCurve(scoreHistogram(scores, labels));
  const at = (t: number) => curve.points.find((p) => Math.abs(p.threshold - t) < 1e-9)!;

  it('counts the scored pairs by outcome (unscored ones left out)', () => {
    expect(curve.pairs).toBe(7);
    expect(curve.matches).toBe(4);
    expect(curve.points.map((p) => p.threshold)).toEqual(Array.from({ length: 101 }, (_, k) => k / 100));
  });

  it('puts a pair scored exactly at a threshold above it, as clustering does', () => {
    expect(at(0.29)).toEqual({
      threshold: 0.29,
      precision: 4 / 6,
      recall: 1,
      matchesAbove: 4,
      nonMatchesAbove: 2,
    });
    expect(at(0.3)).toEqual({
      threshold: 0.3,
      precision: 3 / 4,
      recall: 3 / 4,
      matchesAbove: 3,
      nonMatchesAbove: 1,
    });
    expect(at(0.75)).toMatchObject({ precision: 1, recall: 2 / 4 });
    expect(at(1)).toMatchObject({ precision: 1, recall: 1 / 4 });
    expect(at(0)).toMatchObject({ precision: 4 / 7, recall: 1 });
  });

  it('has no precision where nothing scores above the threshold', () => {
    const none = scoreCurve(scoreHistogram([0.2], [1]));
    expect(none.points.find((p) => p.threshold === 0.5)).toMatchObject({ precision: null, recall: 0 });
  });

  it('draws the scores in 20 buckets by outcome', () => {
    expect(curve.histogram).toHaveLength(20);
    expect(curve.histogram[0]).toEqual({ from: 0, to: 0.05, matches: 0, nonMatches: 0 });
    expect(curve.histogram[1]).toEqual({ from: 0.05, to: 0.1, matches: 0, nonMatches: 1 });
    expect(curve.histogram[5]).toMatchObject({ matches: 1, nonMatches: 1 });
    expect(curve.histogram[18]).toMatchObject({ matches: 1, nonMatches: 0 });
    expect(curve.histogram[19]).toMatchObject({ matches: 1, nonMatches: 0 });
    expect(scoreHistogram([0], [0]).nonMatches).toHaveLength(SCORE_BINS);
  });
});

describe('the threshold tool on an aligned workspace', () => {
  const tmp = useSuiteTempDir('concord-threshold-');
  let base: string;
  let aligned: AlignOutcome;
  let copies = 0;

  beforeAll(async () => {
    const store = await generateStore({
      outDir: join(tmp(), 'store'),
      products: 200,
      seed: 5,
      channels: ['shopify', 'woocommerce', 'google'],
    });
    base = join(tmp(), 'base.concord');
    openWorkspace(base, { create: true }).close();
    for (const ch of store.channels) await importFile({ workspace: base, file: ch.path, channel: ch.name });
    aligned = await alignWorkspace(base);
  }, 180_000);

  function context(): { ctx: HandlerContext; file: string } {
    const file = join(tmp(), `ws${++copies}.concord`);
    copyFileSync(base, file);
    const session = new WorkspaceSession();
    session.open(file);
    return { ctx: { mode: 'test', session, jobs: new JobRunner() }, file };
  }

  it('draws the curve from the validation pairs with no labels, agreeing with the valid F1 of the summary', async () => {
    const { ctx } = context();
    try {
      const curve = await alignHandlers['matches.curve']({}, ctx);
      expect(curve.labels).toBeNull();
      const v = curve.validation!;
      expect(v.split).toBe('valid');
      expect(v.pairs).toBe(aligned.model.validPairs);
      expect(v.matches).toBeGreaterThan(0);
      expect(v.matches).toBeLessThan(v.pairs);
      expect(Math.round(v.best.f1 * 1000) / 1000).toBe(aligned.summary.model.validF1);
      // At the slider step nearest the matcher's threshold, the curve's F1 is the summary's valid F1.
      const near = v.points.reduce((a, b) =>
        Math.abs(b.threshold - v.best.threshold) < Math.abs(a.threshold - v.best.threshold) ? b : a,
      );
      const f1 = (2 * near.precision! * near.recall) / (near.precision! + near.recall);
      expect(Math.abs(f1 - aligned.summary.model.validF1!)).toBeLessThan(0.02);
      expect(v.histogram.reduce((s, b) => s + b.matches + b.nonMatches, 0)).toBe(v.pairs);
    } finally {
      ctx.session.close();
    }
  });

  it('keeps hand labels a source of their own beside the validation pairs', async () => {
    const { ctx } = context();
    try {
      const queue = await alignHandlers['matches.queue']({ limit: 3 }, ctx);
      for (const [k, pair] of queue.entries())
        await alignHandlers['matches.label'](
          { a: pair.a.id, b: pair.b.id, label: k === 0 ? 'match' : 'no_match' },
          ctx,
        );
      const curve = await alignHandlers['matches.curve']({}, ctx);
      expect(curve.labels).toMatchObject({ pairs: 3, matches: 1 });
      expect(curve.validation?.pairs).toBe(aligned.model.validPairs);
    } finally {
      ctx.session.close();
    }
  });

  it('previews what a threshold would merge and split, as align.recluster then does, writing nothing', async () => {
    const { ctx, file } = context();
    const runs = () => {
      const ws = openWorkspace(file);
      try {
        return ws.db.prepare('SELECT count(*) FROM align_runs').pluck().get();
      } finally {
        ws.close();
      }
    };
    try {
      const same = await alignHandlers['align.previewThreshold'](
        { threshold: aligned.summary.threshold },
        ctx,
      );
      expect(same).toMatchObject({ merging: 0, mergedInto: 0, splitting: 0 });
      expect(same.clusters).toEqual({ before: aligned.summary.clusters, after: aligned.summary.clusters });

      const runsBefore = runs();
      const strict = await alignHandlers['align.previewThreshold']({ threshold: 0.99 }, ctx);
      expect(runs()).toBe(runsBefore);
      expect(strict.splitting).toBeGreaterThan(0);
      expect(strict).toMatchObject({ merging: 0, mergedInto: 0 });

      const ws = openWorkspace(file);
      try {
        const applied = recluster(ws.db, { threshold: 0.99 }).summary;
        expect(strict.clusters).toEqual({ before: aligned.summary.clusters, after: applied.clusters });
        expect(strict.matchedRecords.after).toBe(applied.matchedRecords);
      } finally {
        ws.close();
      }
      // Back to the first threshold: the products split at 0.99 would merge again.
      const back = await alignHandlers['align.previewThreshold'](
        { threshold: aligned.summary.threshold },
        ctx,
      );
      expect(back.merging).toBeGreaterThan(back.mergedInto);
      expect(back.mergedInto).toBe(strict.splitting);
      expect(back.splitting).toBe(0);
      expect(back.clusters.after).toBe(aligned.summary.clusters);
    } finally {
      ctx.session.close();
    }
  });
});
