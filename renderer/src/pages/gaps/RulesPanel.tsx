/**
 * Assortment rules (intended absences) and the category mapping between channels' taxonomies. Rules are edited as
 * JSON; Concord refuses a bad rule with its index and problem, shown here as the server says it. Both apply at
 * the next detection.
 */
import { useAction } from '../../lib/useAction';
import { useEffect, useMemo, useState } from 'react';
import type { ApiError, AssortmentRule, CategoryMapping, RulesSettings } from '../../../../core/api/contract';
import { invoke } from '../../api/client';
import { toApiError } from '../../api/transport';
import { ErrorBlock } from '../../components/ErrorBlock';
import { formatCount } from '../../lib/format';
import { useStore } from '../../lib/store';
import { showToast } from '../../state/toasts';
import { workspace } from '../../state/workspace';
import { SearchField } from '../../components/Icon';

const EXAMPLE: AssortmentRule[] = [
  {
    name: 'feed exclusions',
    when: { channel: 'shopify', field: 'tags', op: 'contains', value: 'no-feed' },
    notExpectedIn: ['google'],
  },
];

function describeRule(r: AssortmentRule): string {
  const field = typeof r.when.field === 'string' ? r.when.field : `column “${r.when.field.column}”`;
  const when = `${r.when.channel} ${field} ${r.when.op} “${r.when.value}”`;
  const then = r.onlyIn
    ? `only on ${r.onlyIn.join(', ')}`
    : r.notExpectedIn
      ? `not expected on ${r.notExpectedIn.join(', ')}`
      : 'expected everywhere';
  return `When ${when}: ${then}`;
}

/** Where a JSON syntax error is, as line and column (browsers give a character position). */
function jsonProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const m = /position (\d+)/.exec(msg);
    if (!m) return msg;
    const pos = Number(m[1]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - before.lastIndexOf('\n');
    return `${msg.replace(/\s*\(line \d+ column \d+\)/, '')} — line ${line}, column ${column}`;
  }
}

function RulesEditor({
  settings,
  onSaved,
}: {
  settings: RulesSettings;
  onSaved: (s: RulesSettings) => void;
}) {
  const initial = JSON.stringify(settings.rules, null, 2);
  const [text, setText] = useState(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const syntax = jsonProblem(text);
  const changed = text !== initial;

  const save = async () => {
    if (syntax) return;
    setSaving(true);
    try {
      const saved = await invoke('rules.set', { rules: JSON.parse(text) as unknown });
      setError(null);
      onSaved(saved);
      showToast('success', 'Assortment rules saved', 'They apply at the next detection.');
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="rules-editor">
      <label htmlFor="rules-json" className="filter-label">
        Rules as JSON
      </label>
      <textarea
        id="rules-json"
        className="rules-json"
        value={text}
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        rows={Math.min(24, Math.max(8, text.split('\n').length + 1))}
        aria-invalid={!!syntax || !!error}
        aria-describedby="rules-help"
        data-testid="rules-json"
      />
      <p id="rules-help" className="side-note">
        A list of rules:{' '}
        <code>{'{ "name", "when": { "channel", "field", "op", "value" }, "notExpectedIn" | "onlyIn" }'}</code>
        . <code>op</code> is equals, contains, startsWith or matches (regex); <code>field</code> a normalized
        field (tags, category, status, brand, title…) or <code>{'{ "column": "<raw header>" }'}</code>.
      </p>
      {syntax && (
        <p className="text-danger" role="alert">
          Not valid JSON: {syntax}
        </p>
      )}
      {error && <ErrorBlock title="Concord refused the rules" error={error} />}
      <div className="card-actions">
        <button
          type="button"
          className="btn btn-primary btn-sm"
          disabled={!!syntax || !changed || saving}
          onClick={() => void save()}
          data-testid="rules-save"
        >
          {saving ? 'Saving…' : 'Save rules'}
        </button>
        <button
          type="button"
          className="btn btn-sm"
          disabled={!changed}
          onClick={() => {
            setText(initial);
            setError(null);
          }}
        >
          Revert
        </button>
        {settings.rules.length === 0 && (
          <button
            type="button"
            className="btn btn-sm btn-ghost"
            onClick={() => setText(JSON.stringify(EXAMPLE, null, 2))}
          >
            Insert an example
          </button>
        )}
      </div>
    </div>
  );
}

function Rules() {
  const [state, setState] = useState<{ data: RulesSettings | null; error: ApiError | null }>({
    data: null,
    error: null,
  });
  const [toggling, runToggle] = useAction('Could not change the built-in rule');
  useEffect(() => {
    let live = true;
    invoke('rules.get', {}).then(
      (data) => live && setState({ data, error: null }),
      (err: unknown) => live && setState({ data: null, error: toApiError(err) }),
    );
    return () => {
      live = false;
    };
  }, []);

  if (state.error) return <ErrorBlock title="Could not load the assortment rules" error={state.error} />;
  const data = state.data;
  if (!data) return <div className="rules-loading" aria-busy="true" />;

  const toggle = async (on: boolean) => {
    await runToggle(async () => {
      const saved = await invoke('rules.set', { rules: data.rules, builtinStatusRule: on });
      setState({ data: saved, error: null });
    });
  };

  return (
    <>
      <ul className="boxed-list rules-list" data-testid="rules-list">
        <li className="rule-item">
          <label className="rule-toggle">
            <input
              type="checkbox"
              checked={data.builtinStatusRule}
              disabled={toggling}
              onChange={(e) => void toggle(e.target.checked)}
              data-testid="builtin-rule"
            />
            <span>
              <strong>Built in: unpublished Shopify products</strong>
              <span className="rule-desc">
                A Shopify product whose Status is draft or archived is not published: it is expected on
                Shopify only.
              </span>
            </span>
          </label>
        </li>
        {data.rules.map((r, i) => (
          <li key={i} className="rule-item">
            <span className="rule-index num">#{i}</span>
            <span>
              <strong>{r.name}</strong>
              <span className="rule-desc">{describeRule(r)}</span>
            </span>
          </li>
        ))}
        {data.rules.length === 0 && <li className="rule-item text-muted">No rules of your own yet.</li>}
      </ul>
      <RulesEditor
        key={JSON.stringify(data.rules)}
        settings={data}
        onSaved={(s) => setState({ data: s, error: null })}
      />
    </>
  );
}

function MappingRow({ m, onSaved }: { m: CategoryMapping; onSaved: (m: CategoryMapping) => void }) {
  const [text, setText] = useState(m.mapsTo ?? '');
  const [saving, runSave] = useAction('Could not change the mapping');
  const value = text.trim();
  const changed = value !== (m.mapsTo ?? '');
  const save = async () => {
    if (!changed) return;
    await runSave(async () => {
      const saved = await invoke('categories.setMapping', {
        channel: m.channel,
        category: m.category,
        mapsTo: value === '' ? null : value,
      });
      onSaved(saved);
    });
  };
  return (
    <tr>
      <td>
        <span className="channel-chip">{m.channel}</span>
      </td>
      <td className="cell-wrap" title={m.category}>
        {m.category}
      </td>
      <td className="mapping-cell">
        <input
          type="text"
          value={text}
          placeholder="not mapped (never compared)"
          onChange={(e) => setText(e.target.value)}
          onBlur={() => void save()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void save();
            if (e.key === 'Escape') setText(m.mapsTo ?? '');
          }}
          disabled={saving}
          aria-label={`${m.channel} category ${m.category} maps to`}
        />
      </td>
      <td className="num-col num">{formatCount(m.support)}</td>
      <td>
        <span className={`pill ${m.source === 'user' ? 'pill-accent' : 'pill-muted'}`}>
          {m.source === 'user' ? 'edited' : 'learned'}
        </span>
      </td>
    </tr>
  );
}

const MAX_MAPPINGS_SHOWN = 300;

function Categories() {
  const ws = useStore(workspace);
  const [channel, setChannel] = useState('');
  const [query, setQuery] = useState('');
  const [state, setState] = useState<{ key: string; data: CategoryMapping[] | null; error: ApiError | null }>(
    {
      key: '',
      data: null,
      error: null,
    },
  );
  useEffect(() => {
    let live = true;
    invoke('categories.map', channel ? { channel } : {}).then(
      (data) => live && setState({ key: channel, data, error: null }),
      (err: unknown) => live && setState({ key: channel, data: null, error: toApiError(err) }),
    );
    return () => {
      live = false;
    };
  }, [channel]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = state.data ?? [];
    return q ? all.filter((m) => `${m.category} ${m.mapsTo ?? ''}`.toLowerCase().includes(q)) : all;
  }, [state.data, query]);

  const replace = (saved: CategoryMapping) =>
    setState((s) => ({
      ...s,
      data: (s.data ?? []).map((m) =>
        m.channel === saved.channel && m.category === saved.category ? saved : m,
      ),
    }));

  return (
    <>
      <div className="gaps-filters">
        <label className="filter">
          <span className="filter-label">Channel</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">All channels</option>
            {(ws.data?.channels ?? []).map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <SearchField
          className="gaps-search"
          value={query}
          onChange={setQuery}
          placeholder="Filter categories…"
          label="Filter categories"
        />
        <span className="section-meta num">
          {state.data ? `${formatCount(shown.length)} of ${formatCount(state.data.length)}` : ''}
        </span>
      </div>
      {state.error && <ErrorBlock title="Could not load the category mapping" error={state.error} />}
      {state.data && state.data.length === 0 && (
        <p className="text-muted">
          No categories mapped yet: they are learned from matched products at detection.
        </p>
      )}
      {shown.length > 0 && (
        <div className="table-scroll mapping-scroll">
          <table className="data-table" data-testid="category-map">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Category</th>
                <th scope="col">Maps to</th>
                <th scope="col" className="num-col" title="Matched products the mapping was learned from">
                  Support
                </th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, MAX_MAPPINGS_SHOWN).map((m) => (
                <MappingRow key={`${m.channel}|${m.category}|${m.mapsTo ?? ''}`} m={m} onSaved={replace} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown.length > MAX_MAPPINGS_SHOWN && (
        <p className="side-note">
          Showing the first {MAX_MAPPINGS_SHOWN} of {formatCount(shown.length)}: filter to find a category.
        </p>
      )}
    </>
  );
}

export function RulesPanel() {
  return (
    <div className="rules-layout">
      <section className="card" aria-labelledby="rules-title">
        <header className="section-header">
          <h2 id="rules-title">Assortment rules</h2>
          <span className="section-meta">intended absences: products not expected on every channel</span>
        </header>
        <Rules />
      </section>
      <section className="card" aria-labelledby="categories-title">
        <header className="section-header">
          <h2 id="categories-title">Category mapping</h2>
          <span className="section-meta">
            each channel&apos;s categories and the reference category they map to
          </span>
        </header>
        <Categories />
      </section>
    </div>
  );
}
