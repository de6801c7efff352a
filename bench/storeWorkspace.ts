/**
 * What the store benchmarks share: importing a generated store's channel files into a workspace with the real
 * importer, the pairwise scores as they print them, and gap detection scored against the store's ground truth
 * (with the store's assortment rules set as a merchant would).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Gap } from '../core/api/contract.js';
import type { PairwiseScores } from '../core/align/truth.js';
import { currentGaps } from '../core/consistency/gapStore.js';
import { parseRules } from '../core/consistency/rules.js';
import { detectWorkspaceGaps } from '../core/consistency/runGaps.js';
import { setRulesSettings } from '../core/consistency/settings.js';
import { evaluateGaps, readGapTruth, type GapEvaluation } from '../core/consistency/truthEval.js';
import { importFile } from '../core/ingest/importFile.js';
import { openWorkspace } from '../core/store/workspace.js';

export const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

export interface StoreChannelFile {
  name: string;
  path: string;
  records?: number;
}

/** Imports the channel files, in priority order, into the workspace `ws` (which must exist). */
export async function importStore(
  ws: string,
  channels: readonly StoreChannelFile[],
  log: (m: string) => void,
): Promise<{ records: number; warnings: number; seconds: number }> {
  const t = performance.now();
  let records = 0;
  let warnings = 0;
  for (const ch of channels) {
    log(
      `importing ${ch.name}${ch.records === undefined ? '' : ` (${ch.records.toLocaleString('en-US')} records)`}`,
    );
    const r = await importFile({ workspace: ws, file: ch.path, channel: ch.name });
    records += r.records;
    warnings += r.warnings;
  }
  return { records, warnings, seconds: (performance.now() - t) / 1000 };
}

/** Imports generated interactions (`benchInteractions` in interactions.ts), one file per channel, as `--kind interactions`. */
export async function importInteractions(
  ws: string,
  files: readonly { channel: string; path: string; rows: number }[],
  log: (m: string) => void,
): Promise<{ rows: number; seconds: number }> {
  const t = performance.now();
  let rows = 0;
  for (const f of files) {
    if (f.rows === 0) continue; // the importer refuses a file without data rows
    log(`importing ${f.channel} interactions (${f.rows.toLocaleString('en-US')} rows)`);
    rows += (await importFile({ workspace: ws, file: f.path, channel: f.channel, kind: 'interactions' }))
      .rows;
  }
  return { rows, seconds: (performance.now() - t) / 1000 };
}

/** Pairwise scores as the benchmarks print them. */
export function pairwiseJson(t: PairwiseScores): {
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
} {
  return {
    precision: round(t.precision, 5),
    recall: round(t.recall, 5),
    f1: round(t.f1, 5),
    truePairs: t.truePairs,
    predictedPairs: t.predictedPairs,
    correctPairs: t.correctPairs,
  };
}

export interface ScoredGaps {
  detect: { seconds: number; cpuSeconds: number; peakRssMB: number; rssBeforeMB: number };
  summary: Awaited<ReturnType<typeof detectWorkspaceGaps>>;
  gaps: Gap[];
  evaluation: GapEvaluation;
}

/**
 * Sets the store's rules (`storeDir/rules.json`), detects gaps on the aligned workspace `ws` and scores them against
 * `storeDir/truth.json`.
 */
export async function scoreGaps(ws: string, storeDir: string, log: (m: string) => void): Promise<ScoredGaps> {
  const w = openWorkspace(ws);
  setRulesSettings(w.db, {
    rules: parseRules(JSON.parse(readFileSync(join(storeDir, 'rules.json'), 'utf8')), 'rules.json'),
  });
  const records = w.db.prepare('SELECT count(*) FROM records').pluck().get() as number;
  w.close();

  log(`detecting gaps over ${records.toLocaleString('en-US')} records`);
  const rssBefore = process.memoryUsage().rss;
  const t = performance.now();
  const cpu = process.cpuUsage();
  const summary = await detectWorkspaceGaps(ws, { onProgress: (p) => log(`${p.phase}: ${p.message}`) });
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const peakRssMB = process.resourceUsage().maxRSS / 1024;

  log('scoring against the ground truth');
  const r = openWorkspace(ws);
  const gaps = [...currentGaps(r.db, { includeExcluded: true })];
  r.close();
  const evaluation = evaluateGaps(await readGapTruth(join(storeDir, 'truth.json')), gaps);
  return {
    detect: {
      seconds: round(seconds),
      cpuSeconds: round((used.user + used.system) / 1e6),
      peakRssMB: Math.round(peakRssMB),
      rssBeforeMB: Math.round(rssBefore / 2 ** 20),
    },
    summary,
    gaps,
    evaluation,
  };
}

/** Precision / recall per gap kind as the benchmarks print them. */
export function gapScoresJson(evaluation: GapEvaluation): {
  overall: { precision: number; recall: number };
  kinds: { kind: string; truth: number; detected: number; precision: number; recall: number }[];
} {
  return {
    overall: {
      precision: round(evaluation.overall.precision, 4),
      recall: round(evaluation.overall.recall, 4),
    },
    kinds: evaluation.kinds.map((k) => ({
      kind: k.kind,
      truth: k.truth,
      detected: k.detected,
      precision: round(k.precision, 4),
      recall: round(k.recall, 4),
    })),
  };
}
