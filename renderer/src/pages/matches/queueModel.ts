/**
 * The review queue's state and how it changes (pure; matchesState.ts keeps the store and makes the calls): the
 * pairs still to review, the session's counters and the history an undo brings a pair back from.
 */
import type { ApiError, PairView } from '../../../../core/api/contract';

export type Decision = 'match' | 'no_match' | 'skip';

export interface QueueState {
  /** Pairs still to review; the first is on screen. */
  pairs: PairView[];
  loading: boolean;
  loaded: boolean;
  error: ApiError | null;
  /** The last batch was full: more pairs wait beyond those loaded. */
  more: boolean;
  /** This session's decisions. */
  labelled: number;
  skipped: number;
  /** Labels stored in the workspace (from the last label or undo answer), null until one was sent. */
  totalLabels: number | null;
  /** This session's decisions, newest last, to bring a pair back on undo. */
  history: { pair: PairView; decision: Decision }[];
}

/** Nothing fetched or decided yet. */
export const EMPTY_QUEUE: QueueState = {
  pairs: [],
  loading: false,
  loaded: false,
  error: null,
  more: false,
  labelled: 0,
  skipped: 0,
  totalLabels: null,
  history: [],
};

export function pairKey(p: { a: { id: number }; b: { id: number } }): string {
  return p.a.id < p.b.id ? `${p.a.id}-${p.b.id}` : `${p.b.id}-${p.a.id}`;
}

/**
 * The queue with a fetched batch: replacing the pairs, or appended to them. Pairs already decided (or on their
 * way) and pairs already queued are left out. `full`: the batch was as large as asked, more wait beyond it.
 */
export function withBatch(
  q: QueueState,
  batch: readonly PairView[],
  opts: { replace: boolean; decided: ReadonlySet<string>; full: boolean },
): QueueState {
  const keep = opts.replace ? [] : q.pairs;
  const seen = new Set(keep.map(pairKey));
  const fresh = batch.filter((p) => !opts.decided.has(pairKey(p)) && !seen.has(pairKey(p)));
  return { ...q, pairs: [...keep, ...fresh], loading: false, loaded: true, error: null, more: opts.full };
}

/** The queue after deciding the pair on screen (the first); unchanged when the queue is empty. */
export function afterDecision(q: QueueState, decision: Decision): QueueState {
  const pair = q.pairs[0];
  if (!pair) return q;
  return {
    ...q,
    pairs: q.pairs.slice(1),
    labelled: q.labelled + (decision === 'skip' ? 0 : 1),
    skipped: q.skipped + (decision === 'skip' ? 1 : 0),
    history: [...q.history, { pair, decision }],
  };
}

/** The state with the pair `key` out of the history and back on top of the queue; null if not in the history. */
export function takeBack(q: QueueState, key: string): QueueState | null {
  let i = q.history.length - 1;
  while (i >= 0 && pairKey(q.history[i].pair) !== key) i--;
  if (i < 0) return null;
  const { pair, decision } = q.history[i];
  return {
    ...q,
    pairs: [pair, ...q.pairs.filter((p) => pairKey(p) !== key)],
    labelled: q.labelled - (decision === 'skip' ? 0 : 1),
    skipped: q.skipped - (decision === 'skip' ? 1 : 0),
    history: [...q.history.slice(0, i), ...q.history.slice(i + 1)],
  };
}
