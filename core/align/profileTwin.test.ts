import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importGeneratedStore } from '../test-support/generatedStore.js';
import { useSuiteTempDir } from '../test-support/tmp.js';
import { openWorkspace } from '../store/workspace.js';
import { alignWorkspace } from './alignWorkspace.js';
import { blockPairs, blockPairsShared, DEFAULT_BLOCKING } from './blocking.js';
import { MatcherFeatures } from './matcher.js';
import { buildTextPart, ProfileTwin } from './profileTwin.js';
import { loadStage } from './stages/load.js';

const ctx = { signal: undefined, progress() {}, seconds: () => ({}) };
const dir = useSuiteTempDir('concord-twin-');
let base: string;

beforeAll(async () => {
  base = join(dir(), 'base.concord');
  await importGeneratedStore(base, {
    outDir: join(dir(), 'store'),
    products: 300,
    seed: 5,
    channels: ['shopify', 'woocommerce', 'google'],
  });
}, 120_000);

/** Every record's cluster (records.id of its representative), in records.id order. */
function clusters(file: string): number[] {
  const ws = openWorkspace(file, { readonly: true });
  try {
    return ws.db.prepare('SELECT cluster_id FROM clusters ORDER BY record_id').pluck().all() as number[];
  } finally {
    ws.close();
  }
}

describe('the profile twin (alignment on two threads)', () => {
  it('builds the same profiles and the same candidate pairs as one thread', async () => {
    const ws = openWorkspace(base, { readonly: true });
    const twin = ProfileTwin.start({ file: base, blocking: DEFAULT_BLOCKING });
    try {
      const one = (await loadStage.run({ ws }, ctx)).profiles;
      const two = (await loadStage.run({ ws, twin }, ctx)).profiles;
      expect(two.n).toBeGreaterThan(1000);
      expect({ ...two, grams: two.grams.data }).toEqual({ ...one, grams: one.grams.data });
      expect(buildTextPart(ws.db).tokId).toEqual(one.tokId);
      const sequential = blockPairs(one);
      const shared = await blockPairsShared(two, {}, null, undefined, null, (queries) =>
        twin.textTopK({ channel: two.channel, channelCount: two.channelCount, queries }),
      );
      expect(shared.a.length).toBeGreaterThan(1000);
      expect([shared.a, shared.b, shared.via, shared.cosine]).toEqual([
        sequential.a,
        sequential.b,
        sequential.via,
        sequential.cosine,
      ]);
      // Pair features: the twin's, once it has the key part, are the aligning thread's.
      twin.shareKeys({ ...two, n: two.n });
      const rows = await twin.pairRows(shared.a, shared.b);
      const features = new MatcherFeatures(one, sequential.a, sequential.b, sequential.cosine);
      const all = Array.from({ length: sequential.a.length }, (_, e) => e);
      expect(rows).toEqual(features.pairRows(all));
    } finally {
      twin.close();
      ws.close();
    }
  }, 60_000);

  it('aligns a workspace exactly as one thread does', async () => {
    const a = join(dir(), 'one.concord');
    const b = join(dir(), 'two.concord');
    copyFileSync(base, a);
    copyFileSync(base, b);
    const one = await alignWorkspace(a, { twin: false });
    const two = await alignWorkspace(b, { twin: true });
    expect(two.summary.clusters).toBe(one.summary.clusters);
    expect(two.blocking.candidatePairs).toBe(one.blocking.candidatePairs);
    expect(clusters(b)).toEqual(clusters(a));
  }, 120_000);

  it('fails clearly when its thread cannot read the workspace, and closes twice', async () => {
    const twin = ProfileTwin.start({ file: join(dir(), 'missing.concord'), blocking: DEFAULT_BLOCKING });
    await expect(twin.textPart()).rejects.toThrow(/profile thread: .*missing\.concord: no such workspace/);
    twin.close();
    twin.close();
  });

  it('is cancelled with the alignment', async () => {
    const twin = ProfileTwin.start({ file: base, blocking: DEFAULT_BLOCKING });
    const abort = new AbortController();
    const part = twin.textPart(abort.signal);
    abort.abort();
    await expect(part).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(twin.textPart()).rejects.toThrow(/profile thread closed/);
  });
});
