/**
 * Gap detection against a ground truth such as the fixture generator's `truth.json` (`gaps`, `intendedAbsences`,
 * `clusters` + `clusterIds`): precision and recall per gap kind. Record gaps match on (kind, channel, recordId);
 * absences on (kind, channel, true product), the product found through the records the absence says the product is
 * present in. Intended absences are scored as one more row, `excluded`.
 */
import { readFile } from 'node:fs/promises';
import type { Gap } from '../api/contract.js';
import { GAP_KINDS } from '../api/contract.js';

interface TruthFile {
  clusters: { channel: string; recordId: string }[][];
  clusterIds: string[];
  gaps: Gap[];
  intendedAbsences: Gap[];
}

export interface KindScore {
  kind: string;
  truth: number;
  detected: number;
  truePositives: number;
  precision: number;
  recall: number;
}

export interface GapEvaluation {
  kinds: KindScore[];
  /** Every kind together (excluded absences not counted). */
  overall: KindScore;
  /** A few misses and false alarms per kind, for diagnosis. */
  examples: Record<string, { missed: string[]; falseAlarms: string[] }>;
}

const refKey = (channel: string, recordId: string): string => `${channel}\u0000${recordId}`;

export async function readGapTruth(file: string): Promise<TruthFile> {
  return JSON.parse(await readFile(file, 'utf8')) as TruthFile;
}

export function evaluateGaps(truth: TruthFile, detected: readonly Gap[], examples = 5): GapEvaluation {
  const productOf = new Map<string, string>();
  truth.clusters.forEach((c, i) => {
    for (const r of c) productOf.set(refKey(r.channel, r.recordId), truth.clusterIds[i]);
  });
  const keyOf = (g: Gap, kind: string): string => {
    if (g.recordId !== null) return `${kind}|${g.channel}|${g.recordId}`;
    const votes = new Map<string, number>();
    for (const r of g.presentIn) {
      const p = productOf.get(refKey(r.channel, r.recordId));
      if (p) votes.set(p, (votes.get(p) ?? 0) + 1);
    }
    let best = g.productId;
    let n = 0;
    for (const [p, v] of votes) if (v > n) [best, n] = [p, v];
    return `${kind}|${g.channel}|${best}`;
  };
  const kinds = [...GAP_KINDS, 'excluded'];
  const truthKeys = new Map<string, Set<string>>(kinds.map((k) => [k, new Set()]));
  const foundKeys = new Map<string, Set<string>>(kinds.map((k) => [k, new Set()]));
  for (const g of truth.gaps) truthKeys.get(g.kind)!.add(keyOf(g, g.kind));
  for (const g of truth.intendedAbsences) truthKeys.get('excluded')!.add(keyOf(g, 'excluded'));
  for (const g of detected) {
    const kind = g.status === 'excluded' ? 'excluded' : g.kind;
    foundKeys.get(kind)?.add(keyOf(g, kind));
  }
  const score = (kind: string, t: Set<string>, f: Set<string>): KindScore => {
    let tp = 0;
    for (const k of f) if (t.has(k)) tp++;
    return {
      kind,
      truth: t.size,
      detected: f.size,
      truePositives: tp,
      precision: f.size === 0 ? 1 : tp / f.size,
      recall: t.size === 0 ? 1 : tp / t.size,
    };
  };
  const out: KindScore[] = [];
  const ex: GapEvaluation['examples'] = {};
  let all = { truth: 0, detected: 0, tp: 0 };
  for (const kind of kinds) {
    const t = truthKeys.get(kind)!;
    const f = foundKeys.get(kind)!;
    const s = score(kind, t, f);
    out.push(s);
    if (kind !== 'excluded')
      all = { truth: all.truth + s.truth, detected: all.detected + s.detected, tp: all.tp + s.truePositives };
    ex[kind] = {
      missed: [...t].filter((k) => !f.has(k)).slice(0, examples),
      falseAlarms: [...f].filter((k) => !t.has(k)).slice(0, examples),
    };
  }
  return {
    kinds: out,
    overall: {
      kind: 'all',
      truth: all.truth,
      detected: all.detected,
      truePositives: all.tp,
      precision: all.detected === 0 ? 1 : all.tp / all.detected,
      recall: all.truth === 0 ? 1 : all.tp / all.truth,
    },
    examples: ex,
  };
}
