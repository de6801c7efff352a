/**
 * The fix-list round trip (issue 7): a generated store is imported, aligned and checked for gaps; each channel's
 * fix list is applied to that channel's export as the channel's own import would (apply.ts), the updated exports
 * are re-imported (replacing the originals), re-aligned and checked again. Every gap a fix list corrected must be
 * gone, no gap may appear, and every other gap must be exactly as before (compared by gap key:
 * kind|channel|recordId, or the anchor record for absences).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alignWorkspace } from '../../align/alignWorkspace.js';
import { GAP_KINDS, type GapKind } from '../../api/contract.js';
import { importFile } from '../../ingest/importFile.js';
import { openWorkspace } from '../../store/workspace.js';
import { useTempDir } from '../../test-support/tmp.js';
import { detectWorkspaceGaps } from '../runGaps.js';
import { applyFixList, type FixFormat } from './apply.js';
import { buildFixList } from './index.js';
import { importGeneratedStore } from '../../test-support/generatedStore.js';

interface GapState {
  key: string;
  kind: GapKind;
  channel: string;
  status: string;
  expected: string | null;
  actual: string | null;
}

function currentGaps(ws: string): Map<string, GapState> {
  const w = openWorkspace(ws);
  try {
    const rows = w.db
      .prepare(`SELECT key, kind, channel, status, expected, actual FROM gaps WHERE status != 'fixed'`)
      .all() as GapState[];
    return new Map(rows.map((g) => [g.key, g]));
  } finally {
    w.close();
  }
}

/** Kinds a fix list corrects: every kind but the absences (never in a fix list). */
const CORRECTABLE = GAP_KINDS.filter((k) => k !== 'missing_in_channel' && k !== 'variant_missing');

describe('fix-list round trip', () => {
  const tmp = useTempDir();

  it('apply every channel fix list, re-import, re-align, re-detect: corrected gaps gone, nothing else moved', async () => {
    const dir = tmp();
    // gmcFormat: the default XML feed (apply.ts rewrites its <item> elements).
    const ws = join(dir, 'ws.concord');
    const store = await importGeneratedStore(ws, { outDir: join(dir, 'store'), products: 300, seed: 7 });
    await alignWorkspace(ws);
    await detectWorkspaceGaps(ws);
    const before = currentGaps(ws);

    const corrected = new Set<string>();
    const fixedDir = join(dir, 'fixed');
    mkdirSync(fixedDir);
    const w = openWorkspace(ws);
    try {
      for (const c of store.channels) {
        const fl = buildFixList(w.db, { channel: c.name });
        const open = w.db
          .prepare(`SELECT id, key FROM gaps WHERE channel = ? AND status = 'open'`)
          .all(c.name) as { id: number; key: string }[];
        const skipped = new Set(fl.skipped.map((s) => s.id));
        const fixedHere = open.filter((g) => !skipped.has(g.id));
        expect(fl.gaps, c.name).toBe(fixedHere.length);
        expect(fl.skipped.length + fl.gaps, c.name).toBe(open.length);
        for (const g of fixedHere) corrected.add(g.key);
        const file = join(dir, fl.fileName);
        writeFileSync(file, fl.content);
        await applyFixList(c.path, file, c.format as FixFormat, join(fixedDir, c.file));
      }
    } finally {
      w.close();
    }
    // every kind a fix list corrects was exercised
    const kinds = new Set([...corrected].map((k) => before.get(k)!.kind));
    expect([...kinds].sort()).toEqual([...CORRECTABLE].sort());
    expect(corrected.size).toBeGreaterThan(200);

    for (const c of store.channels)
      await importFile({ workspace: ws, file: join(fixedDir, c.file), channel: c.name, replace: true });
    await alignWorkspace(ws);
    await detectWorkspaceGaps(ws);
    const after = currentGaps(ws);

    const describeGap = (g: GapState) => `${g.key} (${g.status}; expected ${g.expected}, actual ${g.actual})`;
    const stillThere = [...corrected].filter((k) => after.has(k)).map((k) => describeGap(after.get(k)!));
    const appeared = [...after.values()].filter((g) => !before.has(g.key)).map(describeGap);
    const moved = [...before.values()]
      .filter((g) => !corrected.has(g.key))
      .filter((g) => after.get(g.key)?.status !== g.status)
      .map((g) => `${describeGap(g)} -> ${after.get(g.key)?.status ?? 'gone'}`);
    expect(stillThere, 'corrected gaps still detected').toEqual([]);
    expect(appeared, 'gaps that appeared').toEqual([]);
    expect(moved, 'other gaps that changed').toEqual([]);
  });
});
