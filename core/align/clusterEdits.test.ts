import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importGeneratedStore } from '../test-support/generatedStore.js';
import { openWorkspace } from '../store/workspace.js';
import { alignWorkspace, latestRun } from './alignWorkspace.js';
import type { HandlerContext } from '../app/context.js';
import { WorkspaceSession } from '../app/session.js';
import { JobRunner } from '../jobs/jobRunner.js';
import type { RecordView } from '../api/contract.js';
import { mergeClusters, mergePreview, splitCluster, undoClusterEdit } from './clusterEdits.js';
import { alignHandlers, differingFields } from './handlers.js';

/** A generated store (3 channels × 80 products, variants included), imported and aligned once; tests use copies. */
let dir: string;
let base: string;
let copies = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concord-edits-'));
  base = join(dir, 'base.concord');
  await importGeneratedStore(base, {
    outDir: join(dir, 'store'),
    products: 80,
    seed: 5,
    channels: ['shopify', 'woocommerce', 'google'],
  });
  await alignWorkspace(base);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `fn` on a copy of the aligned workspace. */
function withCopy(fn: (db: Database.Database) => void): void {
  const file = join(dir, `ws${++copies}.concord`);
  copyFileSync(base, file);
  const ws = openWorkspace(file);
  try {
    fn(ws.db);
  } finally {
    ws.close();
  }
}

/** Runs `fn` with handler context on the aligned workspace (read only). */
async function withContext(fn: (ctx: HandlerContext) => Promise<void>): Promise<void> {
  const session = new WorkspaceSession();
  session.open(base);
  try {
    await fn({ mode: 'test', session, jobs: new JobRunner() });
  } finally {
    session.close();
  }
}

/** Every stored row alignment's edits touch: clusters, golden records, products and labels. */
function storedRows(db: Database.Database) {
  const all = (sql: string) => db.prepare(sql).raw(true).all();
  return {
    clusters: all('SELECT record_id, cluster_id FROM clusters ORDER BY record_id'),
    golden: all('SELECT * FROM golden_records ORDER BY cluster_id'),
    products: all('SELECT cluster_id, product_id, family_id FROM products ORDER BY cluster_id'),
    labels: all('SELECT * FROM match_labels ORDER BY seq'),
  };
}

/** Two clusters of one family (sibling variants), each with a shopify record. */
function siblingClusters(db: Database.Database): [number, number] {
  const rows = db
    .prepare(
      `SELECT p.family_id AS family, p.cluster_id AS cluster FROM products p
       JOIN golden_records g ON g.cluster_id = p.cluster_id
       WHERE p.product_id = p.cluster_id AND g.channels LIKE '%shopify%' AND g.size >= 2
       ORDER BY p.family_id, p.cluster_id`,
    )
    .all() as { family: number; cluster: number }[];
  for (let i = 1; i < rows.length; i++)
    if (rows[i].family === rows[i - 1].family) return [rows[i - 1].cluster, rows[i].cluster];
  throw new Error('no family with two variants in the generated store');
}

/** A cluster of three records or more, and one of its records that is not the cluster's smallest id. */
function clusterOfThree(db: Database.Database): { cluster: number; record: number } {
  const row = db
    .prepare(
      `SELECT cluster_id AS cluster, max(record_id) AS record FROM clusters GROUP BY cluster_id
       HAVING count(*) >= 3 ORDER BY cluster_id LIMIT 1`,
    )
    .get() as { cluster: number; record: number };
  return row;
}

describe('merge and split, undone', () => {
  it('merge -> undo leaves every stored cluster, golden record, product and label as before', () => {
    withCopy((db) => {
      const [a, b] = siblingClusters(db);
      const before = storedRows(db);
      const { editId, clusterOf } = mergeClusters(db, [a, b]);
      expect(new Set(clusterOf.values()).size).toBe(1);
      expect(storedRows(db)).not.toEqual(before);
      const undone = undoClusterEdit(db, editId);
      expect(undone.kind).toBe('merge');
      expect(undone.clusterIds.sort()).toEqual([a, b].sort());
      expect(storedRows(db)).toEqual(before);
      // Whatever reads alignment runs sees that clusters changed.
      expect(latestRun(db)?.kind).toBe('undo');
      // Undone once: not again.
      expect(() => undoClusterEdit(db, editId)).toThrow(/cannot be undone any more/);
    });
  });

  it('split -> undo likewise; a chain of edits undoes newest first', () => {
    withCopy((db) => {
      const { cluster, record } = clusterOfThree(db);
      const before = storedRows(db);
      const split = splitCluster(db, cluster, [record]);
      expect(split.clusterOf.get(record)).toBe(record);
      const afterSplit = storedRows(db);
      const merge = mergeClusters(db, [cluster, record]);
      // The split cannot be undone while the merge holds its records.
      expect(() => undoClusterEdit(db, split.editId)).toThrow(/changed since this split/);
      undoClusterEdit(db, merge.editId);
      expect(storedRows(db)).toEqual(afterSplit);
      expect(undoClusterEdit(db, split.editId).kind).toBe('split');
      expect(storedRows(db)).toEqual(before);
    });
  });

  it('refuses undo after a full alignment', async () => {
    const file = join(dir, `ws${++copies}.concord`);
    copyFileSync(base, file);
    const ws = openWorkspace(file);
    const { cluster, record } = clusterOfThree(ws.db);
    const { editId } = splitCluster(ws.db, cluster, [record]);
    ws.close();
    await alignWorkspace(file);
    const again = openWorkspace(file);
    try {
      expect(() => undoClusterEdit(again.db, editId)).toThrow(/aligned again since this split/);
    } finally {
      again.close();
    }
  }, 60_000);
});

describe('mergePreview', () => {
  it('says what merging two variants breaks: two records of a channel, two GTINs, two sizes or colours', () => {
    withCopy((db) => {
      const [a, b] = siblingClusters(db);
      const before = storedRows(db);
      const preview = mergePreview(db, [a, b]);
      expect(storedRows(db)).toEqual(before);
      const messages = preview.conflicts.map((c) => c.message);
      expect(messages).toContain('2 shopify records');
      expect(messages).toContain('2 different GTINs');
      // Sizes and colours by name, other options (a flavour) by theirs: `2 different flavor values: White, Mint`.
      const option = preview.conflicts.find((c) => c.kind === 'option');
      expect(option?.kind === 'option' && option.values).toHaveLength(2);
      expect(option?.message).toMatch(/^2 different (sizes|colours|\S+ values): [^,]+, [^,]+$/);
      expect(preview.clusters).toBe(2);
    });
  });

  it('finds nothing wrong in putting a split-off record back, nor in what a cluster had alone', () => {
    withCopy((db) => {
      const { cluster, record } = clusterOfThree(db);
      splitCluster(db, cluster, [record]);
      expect(mergePreview(db, [cluster, record]).conflicts).toEqual([]);
    });
  });

  it('refuses fewer than two clusters and unknown ones', () => {
    withCopy((db) => {
      const { cluster } = clusterOfThree(db);
      expect(() => mergePreview(db, [cluster, cluster])).toThrow(/two different clusters/);
      expect(() => mergePreview(db, [cluster, 99_999_999])).toThrow(/no cluster c99999999/);
    });
  });
});

describe('the Clusters view', () => {
  it('lists each cluster with its variant options, so look-alike titles differ', async () => {
    await withContext(async (ctx) => {
      const list = await alignHandlers['clusters.list']({ offset: 0, limit: 500, multiOnly: true }, ctx);
      const byTitle = new Map<string, (string | null)[]>();
      for (const c of list.items)
        byTitle.set(c.title ?? '', [...(byTitle.get(c.title ?? '') ?? []), c.options]);
      const alike = [...byTitle.values()].filter((options) => options.length > 1);
      expect(alike.length).toBeGreaterThan(0);
      for (const options of alike) {
        expect(options.every((o) => o !== null && o.includes(': '))).toBe(true);
        expect(new Set(options).size).toBe(options.length);
      }
    });
  });

  it("shows every price with its currency: the store's where an export names none", async () => {
    await withContext(async (ctx) => {
      const list = await alignHandlers['clusters.list']({ offset: 0, limit: 20, multiOnly: true }, ctx);
      const cluster = await alignHandlers['clusters.get']({ clusterId: list.items[0].clusterId }, ctx);
      expect(cluster.records.map((r) => r.channel)).toContain('shopify');
      for (const r of cluster.records) expect(r.fields.price).toMatch(/^\d+\.\d\d USD$/);
      expect(cluster.golden.price.value).toMatch(/^\d+\.\d\d USD$/);
    });
  });

  it('does not mark a price written without its currency as differing in the review queue', () => {
    const view = (price: string): RecordView => ({
      id: 1,
      channel: 'c',
      recordId: 'r',
      sourceId: 1,
      file: 'f',
      line: 2,
      fields: { price },
    });
    expect(differingFields(view('21.95'), view('21.95 USD'))).toEqual([]);
    expect(differingFields(view('21.95 USD'), view('21.95 EUR'))).toEqual(['price']);
    expect(differingFields(view('21.95'), view('22.95 USD'))).toEqual(['price']);
  });
});
