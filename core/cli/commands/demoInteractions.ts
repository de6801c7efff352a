/**
 * The demo's users: the generator's users and their sessions over the demo store, imported as a merchant would
 * (`concord import WS FILE --channel C --kind interactions`, one file per channel).
 */
import { generateInteractions, type GeneratedStore } from '../../../fixtures/generator/index.js';
import type { ImportResult } from '../../ingest/importFile.js';
import type { LocalApi } from '../api.js';

export interface DemoInteractions {
  users: number;
  interactions: number;
  byEvent: Record<string, number>;
  multiChannelUsers: number;
  coldStartUsers: number;
  coldStartItems: number;
  truth: string;
  seconds: number;
}

/** Generates `users` users (default: 5 per 10 products) over the store and imports their interactions. */
export async function importDemoInteractions(
  api: LocalApi,
  store: GeneratedStore,
  users: number | undefined,
): Promise<DemoInteractions> {
  const t = performance.now();
  const g = await generateInteractions({ store, users });
  let imported = 0;
  for (const f of g.files) {
    if (f.rows === 0) continue; // the importer refuses a file without data rows
    const r = await api.job<ImportResult>(
      'import.start',
      { file: { path: f.path }, channel: f.channel, kind: 'interactions' },
      { label: `importing ${f.channel} interactions` },
    );
    imported += r.rows;
  }
  const c = g.counts;
  return {
    users: c.users,
    interactions: imported,
    byEvent: c.byEvent,
    multiChannelUsers: c.multiChannelUsers,
    coldStartUsers: c.coldStartUsers,
    coldStartItems: c.coldStartItems,
    truth: g.truthPath,
    seconds: (performance.now() - t) / 1000,
  };
}

/** One line for the demo's summary. */
export function describeDemoInteractions(d: DemoInteractions): string {
  const n = (v: number): string => v.toLocaleString('en-US');
  const events = Object.entries(d.byEvent)
    .map(([e, v]) => `${n(v)} ${e}s`)
    .join(', ');
  return (
    `Imported ${n(d.interactions)} interactions (${events}) of ${n(d.users)} users in ${d.seconds.toFixed(1)} s: ` +
    `${n(d.multiChannelUsers)} users on several channels, ${n(d.coldStartUsers)} cold-start users, ` +
    `${n(d.coldStartItems)} products nobody touched`
  );
}
