/**
 * The Graph page's state: the view (graphView.ts, kept while the user visits other pages), the selected node, the
 * path's ends and the paths found, the hidden types; and the actions that ask the API (graph.neighbourhood,
 * graph.path, graph.query) and hand each change to the canvas as a diff.
 */
import {
  EDGE_TYPES,
  NODE_TYPES,
  type EdgeType,
  type GraphNode,
  type GraphPath,
  type GraphStats,
  type JobState,
  type NodeType,
  type PatternQuery,
} from '../../../../core/api/contract';
import { invoke, onReconnected, subscribe } from '../../api/client';
import { loadable, loadInto, type Loadable } from '../../lib/loadable';
import { once } from '../../lib/once';
import { createStore } from '../../lib/store';
import { finishedOnce } from '../../state/jobMerge';
import { NO_JOB, startTracked, type JobTrack } from '../../state/jobs';
import { showError, showToast } from '../../state/toasts';
import { emptyDiff, GraphView, joinDiff, type ViewDiff } from './graphView';

/** Neighbours asked for per expansion: beyond them, "show N more". */
export const NEIGHBOUR_PAGE = 100;
/** The most nodes the page shows (DESIGN.md: 5,000 elements stay interactive). */
export const MAX_VIEW_NODES = 5000;

export const view = new GraphView();

/** Bumped on every view change: the panels re-read the view (the canvas gets the diff itself). */
export const viewVersion = createStore(0);
export const selected = createStore<string | null>(null);
/** The node the view was last opened on (a search pick, the address). */
export const openedOn = createStore<string | null>(null);
/** The other end of the path from the selected node (shift-click, or "Path from here" then a click). */
export const pathEnd = createStore<string | null>(null);
/** "Path from here" pressed on this node: the next node picked is the path's other end. */
export const pathStart = createStore<string | null>(null);
export const paths = createStore<{
  from: string;
  to: string;
  found: GraphPath[];
  shown: number;
} | null>(null);
export const hiddenNodeTypes = createStore<ReadonlySet<NodeType>>(new Set());
export const hiddenEdgeTypes = createStore<ReadonlySet<EdgeType>>(new Set());
export const busy = createStore<string | null>(null);

type Relayout = 'full' | 'incremental' | 'none';
type DiffListener = (diff: ViewDiff, relayout: Relayout, near?: string) => void;
let canvasListener: DiffListener | null = null;

/** The canvas registers here; it is handed the whole view when it (re)mounts. */
export function attachCanvas(listener: DiffListener): () => void {
  canvasListener = listener;
  const all = view.toJson();
  listener({ addedNodes: all.nodes, addedEdges: all.edges, removedNodes: [], removedEdges: [] }, 'full');
  return () => {
    if (canvasListener === listener) canvasListener = null;
  };
}

function changed(diff: ViewDiff, relayout: Relayout, near?: string): void {
  canvasListener?.(diff, relayout, near);
  viewVersion.set((v) => v + 1);
}

/** The types the neighbourhood is asked for: only those shown, when some are hidden. */
function typeFilter() {
  const nodes = hiddenNodeTypes.get();
  const edges = hiddenEdgeTypes.get();
  return {
    ...(nodes.size > 0 ? { nodeTypes: allBut(NODE_TYPES, nodes) } : {}),
    ...(edges.size > 0 ? { edgeTypes: allBut(EDGE_TYPES, edges) } : {}),
  };
}

function allBut<T>(all: readonly T[], hidden: ReadonlySet<T>): T[] {
  return all.filter((t) => !hidden.has(t));
}

async function task(label: string, failTitle: string, run: () => Promise<void>): Promise<void> {
  busy.set(label);
  try {
    await run();
  } catch (err) {
    showError(failTitle, err);
  } finally {
    busy.set(null);
  }
}

function neighbourhood(key: string, offset: number) {
  return invoke('graph.neighbourhood', {
    key,
    depth: 1,
    limit: NEIGHBOUR_PAGE,
    offset,
    ...typeFilter(),
  });
}

/** Starts a new view on one node and its neighbourhood (a search pick, the Gaps drawer's "Graph view"). */
export function openNode(key: string): Promise<void> {
  return task('Loading…', 'Could not show the node', async () => {
    const sub = await neighbourhood(key, 0);
    const centre = sub.nodes.some((n) => n.key === key) ? null : await invoke('graph.node', { key });
    const diff = view.clear();
    if (centre) joinDiff(diff, view.addRoots([centre]));
    joinDiff(diff, view.mergeNeighbourhood(key, sub, 0));
    paths.set(null);
    pathEnd.set(null);
    selected.set(key);
    openedOn.set(key);
    changed(diff, 'full');
  });
}

/** Adds nodes to the view as they are (query results), without their neighbourhoods. */
export function addNodes(nodes: GraphNode[]): void {
  const room = MAX_VIEW_NODES - view.nodes.size;
  if (nodes.length > room)
    showToast('info', 'View full', `Only ${room} more nodes fit in the view (at most ${MAX_VIEW_NODES}).`);
  changed(view.addRoots(nodes.slice(0, Math.max(0, room))), 'incremental');
}

/** Expands a node (double-click), or shows the next page of its neighbours ("show N more"). */
export function expand(key: string): Promise<void> {
  const offset = view.expansion(key)?.next ?? 0;
  if (view.expansion(key) && view.expansion(key)!.more === 0) return Promise.resolve();
  if (view.nodes.size >= MAX_VIEW_NODES) {
    showToast('info', 'View full', `The view holds ${MAX_VIEW_NODES} nodes: collapse or remove some first.`);
    return Promise.resolve();
  }
  return task('Expanding…', 'Could not expand the node', async () => {
    const sub = await neighbourhood(key, offset);
    changed(view.mergeNeighbourhood(key, sub, offset), 'incremental', key);
  });
}

export function collapse(key: string): void {
  changed(view.collapse(key), 'none');
  dropGone();
}

export function removeNode(key: string): void {
  changed(view.remove(key), 'none');
  dropGone();
}

/** Forgets the selection, the path end and the paths that name nodes no longer in view. */
function dropGone(): void {
  const sel = selected.get();
  if (sel && !view.nodes.has(sel)) selected.set(null);
  const end = pathEnd.get();
  if (end && !view.nodes.has(end)) pathEnd.set(null);
  const start = pathStart.get();
  if (start && !view.nodes.has(start)) pathStart.set(null);
  const p = paths.get();
  if (p && (!view.nodes.has(p.from) || !view.nodes.has(p.to))) paths.set(null);
}

export function pick(key: string, extend: boolean): void {
  const start = pathStart.get();
  if (start && start !== key) {
    pathStart.set(null);
    void findPath(start, key);
    return;
  }
  const current = selected.get();
  if (extend && current && current !== key) {
    void findPath(current, key);
    return;
  }
  selected.set(key);
}

/** The shortest paths between two nodes (graph.path): their nodes come into the view, the first is highlighted. */
export function findPath(from: string, to: string): Promise<void> {
  pathEnd.set(to);
  selected.set(from);
  return task('Finding the path…', 'Could not find a path', async () => {
    const found = await invoke('graph.path', { from, to, max: 3 });
    const diff = emptyDiff();
    for (const p of found)
      joinDiff(
        diff,
        view.addRoots(
          p.nodes.filter((n) => !view.nodes.has(n.key)),
          p.edges,
        ),
      );
    paths.set({ from, to, found, shown: 0 });
    changed(diff, 'incremental', from);
  });
}

export function showPath(index: number): void {
  paths.set((p) => (p ? { ...p, shown: index } : p));
}

export function clearPath(): void {
  paths.set(null);
  pathEnd.set(null);
  pathStart.set(null);
}

export function runQuery(query: PatternQuery) {
  return invoke('graph.query', query);
}

export function toggleNodeType(type: NodeType): void {
  hiddenNodeTypes.set((s) => toggled(s, type));
}

export function toggleEdgeType(type: EdgeType): void {
  hiddenEdgeTypes.set((s) => toggled(s, type));
}

function toggled<T>(set: ReadonlySet<T>, item: T): ReadonlySet<T> {
  const next = new Set(set);
  if (!next.delete(item)) next.add(item);
  return next;
}

/** Empties the page (another workspace was opened). */
export function resetGraph(): void {
  changed(view.clear(), 'none');
  selected.set(null);
  openedOn.set(null);
  clearPath();
}

/** The last build's stats; null before the graph is built. */
export const stats = createStore<Loadable<GraphStats | null>>(loadable(null, true));
export const buildJob = createStore<JobTrack>(NO_JOB);

export function refreshStats(): Promise<GraphStats | null> {
  return loadInto(stats, () => invoke('graph.stats', {}));
}

export function isGraphJob(job: JobState): boolean {
  return /graph/i.test(job.kind);
}

export function startBuild(): Promise<void> {
  return startTracked(buildJob, () => invoke('graph.build', {}));
}

/** Reloads the stats after a build (alignment builds the graph as its last stage, and so does the demo). */
export const startGraphSync = once(() => {
  const firstFinish = finishedOnce();
  subscribe((e) => {
    if (e.event === 'notice') void refreshStats();
    else if (firstFinish(e.job) && e.job.status === 'done' && /graph|align|demo|import/i.test(e.job.kind))
      void refreshStats();
  });
  onReconnected(() => void refreshStats());
  void refreshStats();
});
