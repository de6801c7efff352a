import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphStatsSchema } from '../../api/contract.js';
import { alignWorkspace } from '../../align/alignWorkspace.js';
import { openWorkspace } from '../../store/workspace.js';
import { concord } from '../../test-support/cli.js';
import { importGeneratedStore } from '../../test-support/generatedStore.js';
import { useTempDir } from '../../test-support/tmp.js';

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('concord graph build / stats', () => {
  const tmp = useTempDir();

  it('refuses a workspace that is not aligned (exit 2, workspace unchanged), then builds and reports once aligned', async () => {
    const dir = tmp();
    const ws = join(dir, 'ws.concord');
    await importGeneratedStore(ws, {
      outDir: join(dir, 'store'),
      products: 40,
      seed: 3,
      channels: ['shopify', 'google'],
    });
    const before = sha(ws);
    const early = concord('graph', 'build', ws, '--json');
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('records are not aligned yet');
    expect(early.stdout).toBe('');
    expect(sha(ws)).toBe(before);
    const noStats = concord('graph', 'stats', ws);
    expect(noStats.code).toBe(2);
    expect(noStats.stderr).toContain('no knowledge graph yet');

    await alignWorkspace(ws);
    const built = concord('graph', 'build', ws, '--json');
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const stats = GraphStatsSchema.parse(JSON.parse(built.stdout));
    expect(stats.full).toBe(true);
    const w = openWorkspace(ws, { readonly: true });
    const records = w.db.prepare('SELECT count(*) FROM records').pluck().get() as number;
    w.close();
    expect(stats.nodes.offer).toBe(records);
    expect(stats.edges.offered_as).toBe(records);
    expect(stats.nodes.channel).toBe(2);

    const read = concord('graph', 'stats', ws, '--json');
    expect(read.code).toBe(0);
    expect(JSON.parse(read.stdout)).toEqual(stats);
    const text = concord('graph', 'stats', ws);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/offer nodes\s+[\d,]+/);
    expect(text.stdout).toMatch(/components\s+\d+/);

    // Nothing changed since: an update rebuilds no part.
    const again = concord('graph', 'build', ws, '--json');
    expect(again.code).toBe(0);
    expect(GraphStatsSchema.parse(JSON.parse(again.stdout)).full).toBe(false);
  }, 120_000);

  it('says what is wrong with the arguments (exit 2)', () => {
    const missing = concord('graph', 'build', join(tmp(), 'none.concord'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/none\.concord/);
    const sub = concord('graph', 'draw', 'ws.concord');
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/unknown subcommand "draw" \(one of build, stats/);
    const option = concord('graph', 'stats', 'ws.concord', '--full');
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/graph stats does not take --full/);
    const noWs = concord('graph', 'build');
    expect(noWs.code).toBe(2);
    expect(noWs.stderr).toMatch(/missing the workspace file/);
  });
});
