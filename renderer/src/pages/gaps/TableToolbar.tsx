/**
 * Above the gap table: filters (channel, kind, severity, status), the debounced text search, the count, and the
 * bulk actions on the selection (Accept / Ignore / Reopen, fix-list export).
 */
import { useEffect, useState, type RefObject } from 'react';
import type { GapFacets, GapFilter, GapKind, GapStatus, Severity } from '../../../../core/api/contract';
import { invoke } from '../../api/client';
import { Kbd } from '../../components/Kbd';
import { formatCount } from '../../lib/format';
import { useStore } from '../../lib/store';
import { workspace } from '../../state/workspace';
import { SearchIcon } from '../../components/Icon';
import {
  changeStatus,
  clearSelection,
  dataVersion,
  replaceFilter,
  setFilter,
  table,
  type UserStatus,
} from './gapsState';
import {
  DEFAULT_STATUSES,
  GRADE_LIST,
  KIND_LABEL,
  KINDS,
  SEVERITY_LABEL,
  SEVERITY_LIST,
  STATUS_LABEL,
} from './labels';
import type { GapPages } from './pageCache';
import { PICK_FIRST, statusTarget } from './tableModel';

const SEARCH_DELAY_MS = 250;
type Grade = (typeof GRADE_LIST)[number];
const STATUS_CHOICES: readonly GapStatus[] = ['open', 'accepted', 'ignored', 'fixed', 'excluded'];

function single<T extends string>(list: readonly T[] | undefined): T | '' {
  return list && list.length === 1 ? list[0] : '';
}

/** An option's label with its count, when the counts are known. */
function counted(label: string, n: number | undefined): string {
  return n === undefined ? label : `${label} (${formatCount(n)})`;
}

/**
 * A filter whose options show how many gaps each would list, under the other filters (gaps.facets counts them in SQL);
 * `allCounts` are the values the "all" option sums (statuses: only the live ones).
 */
function FilterSelect<T extends string>({
  label,
  value,
  allLabel,
  options,
  onChange,
  testId,
  counts,
  allCounts,
}: {
  label: string;
  value: T | '';
  allLabel: string;
  options: readonly { value: T; label: string }[];
  onChange: (v: T | '') => void;
  testId: string;
  counts: Record<string, number> | undefined;
  allCounts?: readonly string[];
}) {
  const all = counts && (allCounts ?? Object.keys(counts)).reduce((n, v) => n + (counts[v] ?? 0), 0);
  return (
    <label className="filter">
      <span className="filter-label">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as T | '')} data-testid={testId}>
        <option value="">{counted(allLabel, all)}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value} data-count={counts ? (counts[o.value] ?? 0) : undefined}>
            {counted(o.label, counts ? (counts[o.value] ?? 0) : undefined)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The facet counts for the filter, reloaded when it or the gaps change; undefined until they arrive. */
function useFacets(filter: GapFilter): GapFacets | undefined {
  const version = useStore(dataVersion);
  const key = JSON.stringify(filter);
  const [state, setState] = useState<{ key: string; facets: GapFacets } | null>(null);
  useEffect(() => {
    let live = true;
    invoke('gaps.facets', { filter: JSON.parse(key) as GapFilter }).then(
      (facets) => live && setState({ key, facets }),
      // Counts are a help: the filters work without them.
      () => live && setState(null),
    );
    return () => {
      live = false;
    };
  }, [key, version]);
  // The previous filter's counts stay shown until the new ones arrive (no flicker while typing a search).
  return state?.facets;
}

export function SearchBox({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const { filter } = useStore(table);
  const applied = filter.query ?? '';
  const [typed, setTyped] = useState({ base: applied, text: applied });
  // The box follows the applied query when it changes elsewhere (a cleared filter).
  const text = typed.base === applied ? typed.text : applied;

  useEffect(() => {
    if (text.trim() === applied) return;
    const t = setTimeout(() => setFilter({ query: text.slice(0, 200) }), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [text, applied]);

  return (
    <div className="search-field gaps-search">
      <SearchIcon />
      <input
        ref={inputRef}
        type="text"
        value={text}
        onChange={(e) => setTyped({ base: applied, text: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && text) {
            e.preventDefault();
            setTyped({ base: applied, text: '' });
          }
        }}
        placeholder="Search record id, product, values…"
        aria-label="Search gaps"
        maxLength={200}
        data-testid="gap-search"
      />
      <span className="search-kbd" aria-hidden="true">
        <Kbd keys="/" />
      </span>
    </div>
  );
}

export function FilterBar({ searchRef }: { searchRef: RefObject<HTMLInputElement | null> }) {
  const { filter } = useStore(table);
  const ws = useStore(workspace);
  const channels = (ws.data?.channels ?? []).map((c) => c.name);
  const filtered = Object.keys(filter).length > 0;
  const facets = useFacets(filter);
  return (
    <div className="gaps-filters" role="group" aria-label="Filter gaps">
      <SearchBox inputRef={searchRef} />
      <FilterSelect<string>
        label="Channel"
        value={single(filter.channels)}
        allLabel="All channels"
        options={channels.map((c) => ({ value: c, label: c }))}
        onChange={(v) => setFilter({ channels: v ? [v] : undefined })}
        testId="filter-channel"
        counts={facets?.channels}
      />
      <FilterSelect<GapKind>
        label="Kind"
        value={single(filter.kinds)}
        allLabel="All kinds"
        options={KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] }))}
        onChange={(v) => setFilter({ kinds: v ? [v] : undefined })}
        testId="filter-kind"
        counts={facets?.kinds}
      />
      <FilterSelect<Severity>
        label="Severity"
        value={single(filter.severities)}
        allLabel="All severities"
        options={SEVERITY_LIST.map((s) => ({ value: s, label: SEVERITY_LABEL[s] }))}
        onChange={(v) => setFilter({ severities: v ? [v] : undefined })}
        testId="filter-severity"
        counts={facets?.severities}
      />
      <FilterSelect<GapStatus>
        label="Status"
        value={single(filter.statuses)}
        allLabel="Open, accepted, ignored"
        options={STATUS_CHOICES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))}
        onChange={(v) => setFilter({ statuses: v ? [v] : undefined })}
        testId="filter-status"
        counts={facets?.statuses}
        allCounts={DEFAULT_STATUSES}
      />
      <FilterSelect<Grade>
        label="Grade"
        value={single(filter.grades)}
        allLabel="All grades"
        options={GRADE_LIST.map((g) => ({ value: g, label: `Grade ${g}` }))}
        onChange={(v) => setFilter({ grades: v ? [v] : undefined })}
        testId="filter-grade"
        counts={facets?.grades}
      />
      {filtered && (
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => replaceFilter({})}>
          Clear filters
        </button>
      )}
    </div>
  );
}

function describeFilter(f: GapFilter): string {
  const parts: string[] = [];
  if (f.channels?.length) parts.push(f.channels.join(', '));
  if (f.kinds?.length) parts.push(f.kinds.map((k) => KIND_LABEL[k]).join(', '));
  if (f.severities?.length) parts.push(f.severities.join(', '));
  if (f.statuses?.length) parts.push(f.statuses.join(', '));
  if (f.grades?.length) parts.push(`grade ${f.grades.join(', ')}`);
  if (f.query) parts.push(`“${f.query}”`);
  return parts.join(' · ');
}

export function SelectionBar({ pages, onExport }: { pages: GapPages; onExport: () => void }) {
  const { selection, filter } = useStore(table);
  const total = pages.total;
  const count = selection.mode === 'all' ? (total ?? 0) : selection.ids.size;
  const target = statusTarget(selection, filter);
  const run = (status: UserStatus) => {
    if (target) void changeStatus(target, status);
  };
  const what =
    selection.mode === 'all' ? `All ${formatCount(count)} matching` : `${formatCount(count)} selected`;
  const hint = (verb: string) => (target ? `${verb} (${what.toLowerCase()})` : PICK_FIRST);
  return (
    <div className="gaps-selection" role="toolbar" aria-label="Selected gaps">
      <span className="gaps-total num" data-testid="gap-total">
        {total === null ? 'Loading…' : `${formatCount(total)} gap${total === 1 ? '' : 's'}`}
        {Object.keys(filter).length > 0 && <span className="text-muted"> · {describeFilter(filter)}</span>}
      </span>
      <span className="spacer" />
      <span className="gaps-selected num" data-testid="gap-selected">
        {target ? what : <span className="text-muted">Nothing selected</span>}
      </span>
      {(count > 0 || selection.mode === 'all') && (
        <button type="button" className="btn btn-sm btn-ghost" onClick={clearSelection}>
          Clear
        </button>
      )}
      <button
        type="button"
        className="btn btn-sm"
        disabled={!target}
        onClick={() => run('accepted')}
        title={hint('Accept: an intended difference')}
      >
        Accept <Kbd keys="a" />
      </button>
      <button
        type="button"
        className="btn btn-sm"
        disabled={!target}
        onClick={() => run('ignored')}
        title={hint('Ignore: not worth fixing')}
      >
        Ignore <Kbd keys="i" />
      </button>
      <button
        type="button"
        className="btn btn-sm"
        disabled={!target}
        onClick={() => run('open')}
        title={hint('Reopen')}
      >
        Reopen <Kbd keys="o" />
      </button>
      <button type="button" className="btn btn-sm btn-primary" onClick={onExport} data-testid="export-open">
        Export fix list…
      </button>
    </div>
  );
}
