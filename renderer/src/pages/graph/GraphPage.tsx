/**
 * Graph (DESIGN.md "Knowledge graph"): search first — find a product, brand, user or category, show it with its
 * neighbourhood, expand (double-click), collapse or remove nodes, filter types with the legend, read a node's
 * properties and provenance, and the shortest path between two nodes in words. The canvas (graphCanvas.ts) is
 * driven imperatively; React renders the panels around it.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { NODE_TYPES, type GraphNode, type NodeType } from '../../../../core/api/contract';
import { invoke } from '../../api/client';
import { NoWorkspaceOpen, NothingYet } from '../../components/EmptyState';
import { ErrorBlock } from '../../components/ErrorBlock';
import { SearchIcon } from '../../components/Icon';
import { JobButton, JobStatusCard } from '../../components/JobProgress';
import { Kbd } from '../../components/Kbd';
import { PageHeader } from '../../components/PageHeader';
import { Tabs } from '../../components/Tabs';
import { formatCount } from '../../lib/format';
import { typingIn } from '../../lib/keyboard';
import { useStore } from '../../lib/store';
import { useRunningJob } from '../../state/jobs';
import { showError } from '../../state/toasts';
import { themeChoice } from '../../state/theme';
import { workspace } from '../../state/workspace';
import { saveBlob, saveTextFile } from '../gaps/download';
import { GraphCanvas } from './graphCanvas';
import { graphHref, nodeInHash } from './graphLink';
import {
  attachCanvas,
  buildJob,
  busy,
  collapse,
  expand,
  hiddenEdgeTypes,
  hiddenNodeTypes,
  isGraphJob,
  openedOn,
  openNode,
  pathEnd,
  paths,
  pick,
  removeNode,
  resetGraph,
  selected,
  startBuild,
  startGraphSync,
  stats,
  view,
  viewVersion,
} from './graphState';
import { NODE_LOOK } from './graphStyle';
import { Legend, NodeSwatch } from './Legend';
import { NodePanel, PathPanel } from './NodePanel';
import { QueryBuilder } from './QueryBuilder';
import '../../styles/graph.css';

/** The types the search box offers first (any type can be searched). */
const SEARCH_TYPES: NodeType[] = ['product', 'brand', 'user', 'category'];

const SIDE_TABS = [
  { id: 'node', label: 'Node' },
  { id: 'path', label: 'Path' },
  { id: 'query', label: 'Query' },
] as const;
type SideTab = (typeof SIDE_TABS)[number]['id'];

function GraphSearch({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const [text, setText] = useState('');
  const [type, setType] = useState<NodeType | ''>('');
  // The answer with the search it answers: shown only while the box still asks that.
  const [found, setFound] = useState<{ asked: string; nodes: GraphNode[] } | null>(null);
  const asked = `${type}|${text.trim()}`;
  const results = text.trim() !== '' && found?.asked === asked ? found.nodes : null;
  useEffect(() => {
    const q = text.trim();
    if (q === '') return;
    let live = true;
    const timer = setTimeout(() => {
      invoke('graph.search', { text: q, limit: 20, ...(type ? { types: [type] } : {}) }).then(
        (nodes) => live && setFound({ asked: `${type}|${q}`, nodes }),
        (err: unknown) => live && showError('Search failed', err),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, type]);

  const choose = (node: GraphNode) => {
    setFound(null);
    window.history.replaceState(null, '', graphHref(node.key));
    void openNode(node.key);
  };

  return (
    <form
      className="graph-search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (results?.[0]) choose(results[0]);
      }}
    >
      <div className="graph-search-row">
        <div className="search-field">
          <SearchIcon />
          <input
            ref={inputRef}
            type="text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Find a product, brand, user…"
            aria-label="Search the graph"
            data-testid="graph-search"
          />
        </div>
        <select
          value={type}
          onChange={(e) => setType(e.target.value as NodeType | '')}
          aria-label="Node type"
          data-testid="graph-search-type"
        >
          <option value="">Any type</option>
          {[...SEARCH_TYPES, ...NODE_TYPES.filter((t) => !SEARCH_TYPES.includes(t))].map((t) => (
            <option key={t} value={t}>
              {NODE_LOOK[t].label}
            </option>
          ))}
        </select>
      </div>
      {results && (
        <ul className="graph-result-list" aria-label="Search results" data-testid="graph-search-results">
          {results.length === 0 && <li className="text-muted">Nothing found.</li>}
          {results.map((n) => (
            <li key={n.key}>
              <button type="button" className="graph-result" onClick={() => choose(n)} title={n.key}>
                <NodeSwatch type={n.type} />
                <span className="graph-result-label">{n.label}</span>
                <span className="graph-result-type">{NODE_LOOK[n.type].label}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

/** The canvas: created once per visit, fed diffs and store changes without a React render. */
function Stage({ onCanvas }: { onCanvas: (c: GraphCanvas | null) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const canvas = new GraphCanvas(ref.current!, {
      onPick: pick,
      onExpand: (key) => void expand(key),
      onClear: () => selected.set(null),
    });
    onCanvas(canvas);
    const mark = () => canvas.select(selected.get(), pathEnd.get());
    const filter = () => canvas.setHidden(hiddenNodeTypes.get(), hiddenEdgeTypes.get());
    const restyle = () => requestAnimationFrame(() => canvas.restyle());
    const path = () => {
      const p = paths.get();
      canvas.highlightPath(p?.found[p.shown] ?? null);
    };
    const detach = attachCanvas((diff, relayout, near) => {
      canvas.apply(diff, relayout, near);
      filter();
      mark();
    });
    filter();
    mark();
    path();
    const offs = [
      selected.subscribe(mark),
      pathEnd.subscribe(mark),
      paths.subscribe(path),
      hiddenNodeTypes.subscribe(filter),
      hiddenEdgeTypes.subscribe(filter),
      // After the theme is applied to the page (the store's own listener runs first).
      themeChoice.subscribe(restyle),
    ];
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', restyle);
    return () => {
      media.removeEventListener('change', restyle);
      for (const off of offs) off();
      detach();
      onCanvas(null);
      canvas.destroy();
    };
  }, [onCanvas]);
  return <div ref={ref} className="graph-canvas" data-testid="graph-canvas" />;
}

function StageOverlay() {
  useStore(viewVersion);
  const working = useStore(busy);
  const nodes = view.nodes.size;
  return (
    <>
      <div className="graph-counts num" aria-live="polite" data-testid="graph-counts">
        {formatCount(nodes)} node{nodes === 1 ? '' : 's'} · {formatCount(view.edges.size)} edge
        {view.edges.size === 1 ? '' : 's'}
        {working && <span className="graph-busy"> · {working}</span>}
      </div>
      {nodes === 0 && !working && (
        <p className="graph-stage-empty">Search for a product, brand, user or category to start.</p>
      )}
    </>
  );
}

function BuildButton({ primary }: { primary: boolean }) {
  const track = useStore(buildJob);
  const running = useRunningJob(track.jobId, isGraphJob);
  return (
    <JobButton
      primary={primary}
      busy={track.starting || !!running}
      onClick={() => void startBuild()}
      title="Build the knowledge graph from the aligned products, the gaps and the interactions (only what changed)"
      label="Build graph"
      busyLabel="Building…"
      testId="graph-build"
      needs="align"
    />
  );
}

function exportJson(canvas: GraphCanvas | null): void {
  const json = { ...view.toJson(), positions: canvas?.positions() ?? {} };
  saveTextFile('concord-graph-view.json', 'application/json', `${JSON.stringify(json, null, 2)}\n`);
}

export default function GraphPage() {
  useEffect(() => startGraphSync(), []);
  const ws = useStore(workspace);
  const s = useStore(stats);
  const track = useStore(buildJob);
  const [tab, setTab] = useState<SideTab>('node');
  const [canvas, setCanvas] = useState<GraphCanvas | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const built = s.data;

  // Another workspace: the view was of the old one.
  const wsPath = ws.data?.path ?? null;
  const seenPath = useRef(wsPath);
  useEffect(() => {
    if (seenPath.current !== wsPath) resetGraph();
    seenPath.current = wsPath;
  }, [wsPath]);

  // `#/graph?node=<key>` (the Gaps drawer's "Graph view") opens that node.
  useEffect(() => {
    const openFromHash = () => {
      const key = nodeInHash(window.location.hash);
      if (key && key !== openedOn.get()) void openNode(key);
    };
    openFromHash();
    window.addEventListener('hashchange', openFromHash);
    return () => window.removeEventListener('hashchange', openFromHash);
  }, []);

  // A path found shows in the Path tab.
  useEffect(() => paths.subscribe(() => paths.get() && setTab('path')), []);

  // Page keys: / search, e expand, c collapse, Delete remove, Esc clears the selection.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (typingIn(e.target) || document.querySelector('dialog[open]')) return;
      const key = selected.get();
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (key && e.key === 'e') void expand(key);
      else if (key && e.key === 'c') collapse(key);
      else if (key && (e.key === 'Delete' || e.key === 'Backspace')) removeNode(key);
      else if (e.key === 'Escape') selected.set(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  let body;
  if (ws.loaded && !ws.data && !ws.error) body = <NoWorkspaceOpen then="align and build the graph" />;
  else if (s.error && !built) body = <ErrorBlock title="Could not read the graph" error={s.error} />;
  else if (!s.loaded) body = <div className="graph-loading" aria-busy="true" />;
  else if (!built)
    body = (
      <NothingYet
        importFirst="The knowledge graph joins every channel's records, the aligned products, the gaps and the interactions. Import the channels' exports first."
        icon="graph"
        title="No graph built yet"
        action={<BuildButton primary />}
        testId="graph-empty"
      >
        Alignment builds the graph as its last stage; build it here if it has not run since.
      </NothingYet>
    );
  else
    body = (
      <div className="graph-layout">
        <aside className="graph-left" aria-label="Search and types">
          <GraphSearch inputRef={searchRef} />
          <Legend />
        </aside>
        <div className="graph-stage">
          <Stage onCanvas={setCanvas} />
          <StageOverlay />
        </div>
        <aside className="graph-side" aria-label="Details">
          <Tabs tabs={SIDE_TABS} current={tab} onSelect={setTab} label="Details" idPrefix="graph-" />
          <div
            className="tab-panel graph-side-panel"
            role="tabpanel"
            id={`graph-panel-${tab}`}
            aria-labelledby={`graph-tab-${tab}`}
          >
            {tab === 'node' && <NodePanel />}
            {tab === 'path' && <PathPanel />}
            {tab === 'query' && <QueryBuilder />}
          </div>
        </aside>
      </div>
    );

  return (
    <div className="page-inner graph-page">
      <PageHeader
        title="Graph"
        actions={
          built ? (
            <>
              <span className="text-muted num graph-stats" data-testid="graph-stats">
                {formatCount(Object.values(built.nodes).reduce((a, b) => a + b, 0))} nodes ·{' '}
                {formatCount(Object.values(built.edges).reduce((a, b) => a + b, 0))} edges
              </span>
              <button type="button" className="btn" disabled={!canvas} onClick={() => canvas?.fit()}>
                Fit
              </button>
              <button
                type="button"
                className="btn"
                disabled={!canvas}
                onClick={() => canvas && saveBlob('concord-graph.png', canvas.png())}
                data-testid="export-png"
              >
                Export PNG
              </button>
              <button
                type="button"
                className="btn"
                onClick={() => exportJson(canvas)}
                data-testid="export-json"
              >
                Export JSON
              </button>
              <BuildButton primary={false} />
            </>
          ) : undefined
        }
      >
        The products, offers, channels, brands, categories and customers as one graph: search, expand, and see
        how two things connect.
      </PageHeader>
      <JobStatusCard
        track={track}
        running={useRunningJob(track.jobId, isGraphJob)}
        startTitle="Could not start the graph build"
        failTitle="The graph build failed"
        testId="graph-build-progress"
      />
      {body}
      {built && (
        <p className="side-note graph-keys" aria-label="Keyboard">
          <Kbd keys="/" /> search · click selects · double-click or <Kbd keys="e" /> expands ·{' '}
          <Kbd keys="c" /> collapses · <Kbd keys="Delete" /> removes · <Kbd keys="Shift" />
          -click a second node: the path between them · <Kbd keys="Esc" /> clears the selection
        </p>
      )}
    </div>
  );
}
