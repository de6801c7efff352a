/**
 * Actions that need records: what each lacks on the open workspace, in one sentence. The handlers refuse with it
 * (so the CLI and the API say the same) and `workspace.current` carries it, so the UI disables the button and
 * shows why before anyone presses it.
 */
import type Database from 'better-sqlite3';
import type { WorkspaceInfo } from '../api/contract.js';
import { ConcordError } from '../model/errors.js';

/** Per action, why it cannot run on this workspace yet, or null when it can. */
export type BlockedActions = WorkspaceInfo['blocked'];
export type WorkspaceAction = keyof BlockedActions;

/** The encoder learns from record titles: fewer than this leaves it nothing to contrast. */
const MIN_TITLED_RECORDS = 2;

export function blockedActions(db: Database.Database): BlockedActions {
  const channels = db
    .prepare(
      `SELECT channel FROM sources WHERE kind = 'products' GROUP BY channel HAVING sum(records) > 0 ORDER BY channel`,
    )
    .pluck()
    .all() as string[];
  const titled = db
    .prepare(
      `SELECT count(*) FROM (SELECT 1 FROM records r JOIN sources s ON s.id = r.source_id
         WHERE s.kind = 'products' AND coalesce(r.title, '') <> '' LIMIT ${MIN_TITLED_RECORDS})`,
    )
    .pluck()
    .get() as number;
  const acrossChannels = (what: string, doing: string): string | null => {
    if (channels.length === 0)
      return `there are no product records to ${what} yet: import the exports of at least two channels first`;
    if (channels.length === 1)
      return `${doing}, and only one channel (${channels[0]}) has product records: import another channel’s export first`;
    return null;
  };
  return {
    align: acrossChannels('align', 'alignment matches records across channels'),
    detectGaps: acrossChannels('compare', 'gap detection compares channels'),
    trainEncoder:
      titled < MIN_TITLED_RECORDS
        ? `training the encoder needs at least ${MIN_TITLED_RECORDS} product records with a title, and this workspace has ${titled}: import a channel export first`
        : null,
  };
}

/** Throws CONFLICT with the reason when `action` cannot run on this workspace yet. */
export function requireReady(db: Database.Database, action: WorkspaceAction): void {
  const reason = blockedActions(db)[action];
  if (reason !== null) throw new ConcordError('CONFLICT', reason, { action });
}
