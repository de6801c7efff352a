/**
 * Assortment rules (intended absences) and the category mapping between channels' taxonomies. Rules are edited as
 * a form beside their JSON; Concord refuses a bad rule with its index and problem, shown at its field. The mapping
 * is listed as learned, or per channel over every category its records carry. Both apply at the next detection.
 */
import { useAction } from '../../lib/useAction';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type {
  ApiError,
  AssortmentRule,
  CategoryMapping,
  Result,
  RulesSettings,
} from '../../../../core/api/contract';
import { invoke } from '../../api/client';
import { toApiError } from '../../api/transport';
import { ErrorBlock } from '../../components/ErrorBlock';
import { formatCount } from '../../lib/format';
import { useStore } from '../../lib/store';
import { showToast } from '../../state/toasts';
import { workspace } from '../../state/workspace';
import { SearchField } from '../../components/Icon';
import {
  draftOf,
  newDraft,
  problemOf,
  readRules,
  ruleOf,
  RULE_FIELDS,
  RULE_OPS,
  withRule,
  writeRules,
  type FormField,
  type RuleDraft,
  type RuleProblem,
  type Scope,
} from './ruleForm';

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

const FIELD_LABEL: Record<string, string> = { recordId: 'record id', parentId: 'parent id' };

/** A problem shown at its field: the message, referenced by the input's aria-describedby. */
function FieldError({ id, problem }: { id: string; problem: string | null }) {
  if (!problem) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {problem}
    </span>
  );
}

/** One rule as form fields: name, the condition (channel, field or raw column, op, value) and where it applies. */
function RuleFields({
  index,
  draft,
  problem,
  channels,
  onChange,
  onRemove,
}: {
  index: number;
  draft: RuleDraft;
  problem: RuleProblem | null;
  channels: readonly string[];
  onChange: (d: RuleDraft) => void;
  onRemove: () => void;
}) {
  const at = (field: FormField) => (problem?.field === field ? problem.message : null);
  const id = (field: FormField) => `rule-${index}-${field}`;
  const input = (field: FormField) => ({
    id: id(field),
    'aria-invalid': at(field) !== null,
    'aria-describedby': at(field) !== null ? `${id(field)}-error` : undefined,
  });
  const set = (patch: Partial<RuleDraft>) => onChange({ ...draft, ...patch });
  const channelChoices = [...new Set([...channels, ...draft.channels].filter((c) => c !== ''))];
  const whenChoices = [...new Set([...channels, draft.channel])];
  const textField = (field: 'name' | 'value', label: string) => (
    <label className={`rule-field rule-field-${field}`}>
      <span className="filter-label">{label}</span>
      <input
        type="text"
        value={draft[field]}
        onChange={(e) => set({ [field]: e.target.value })}
        {...input(field)}
      />
      <FieldError id={`${id(field)}-error`} problem={at(field)} />
    </label>
  );
  return (
    <fieldset className="rule-form" data-testid={`rule-form-${index}`}>
      <legend className="sr-only">Rule {index}</legend>
      <div className="rule-form-head">
        <span className="rule-index num">#{index}</span>
        {textField('name', 'Name')}
        <button
          type="button"
          className="btn btn-sm btn-ghost"
          onClick={onRemove}
          aria-label={`Remove rule ${index}`}
        >
          Remove
        </button>
      </div>
      <FieldError id={`${id('rule')}-error`} problem={at('rule')} />
      <div className="rule-form-when">
        <label className="rule-field">
          <span className="filter-label">When on</span>
          <select
            value={draft.channel}
            onChange={(e) => set({ channel: e.target.value })}
            {...input('channel')}
          >
            {whenChoices.map((c) => (
              <option key={c} value={c}>
                {c === '' ? 'choose a channel' : c}
              </option>
            ))}
          </select>
          <FieldError id={`${id('channel')}-error`} problem={at('channel')} />
        </label>
        <label className="rule-field">
          <span className="filter-label">Field</span>
          <select
            value={draft.fieldKind === 'column' ? COLUMN_CHOICE : draft.field}
            onChange={(e) =>
              e.target.value === COLUMN_CHOICE
                ? set({ fieldKind: 'column' })
                : set({ fieldKind: 'field', field: e.target.value })
            }
            {...input('field')}
          >
            {!(RULE_FIELDS as readonly string[]).includes(draft.field) && draft.fieldKind === 'field' && (
              <option value={draft.field}>{draft.field || 'choose a field'}</option>
            )}
            {RULE_FIELDS.map((f) => (
              <option key={f} value={f}>
                {FIELD_LABEL[f] ?? f}
              </option>
            ))}
            <option value={COLUMN_CHOICE}>raw column…</option>
          </select>
          <FieldError id={`${id('field')}-error`} problem={at('field')} />
        </label>
        {draft.fieldKind === 'column' && (
          <label className="rule-field">
            <span className="filter-label">Column header</span>
            <input
              type="text"
              value={draft.column}
              placeholder="e.g. Body (HTML)"
              onChange={(e) => set({ column: e.target.value })}
              aria-invalid={at('field') !== null}
            />
          </label>
        )}
        <label className="rule-field">
          <span className="filter-label">Test</span>
          <select value={draft.op} onChange={(e) => set({ op: e.target.value })} {...input('op')}>
            {!(RULE_OPS as readonly string[]).includes(draft.op) && (
              <option value={draft.op}>{draft.op || 'choose'}</option>
            )}
            {RULE_OPS.map((op) => (
              <option key={op} value={op}>
                {OP_LABEL[op]}
              </option>
            ))}
          </select>
          <FieldError id={`${id('op')}-error`} problem={at('op')} />
        </label>
        {textField('value', 'Value')}
      </div>
      <div className="rule-form-then">
        <label className="rule-field">
          <span className="filter-label">Then</span>
          <select value={draft.scope} onChange={(e) => set({ scope: e.target.value as Scope })}>
            <option value="notExpectedIn">not expected on</option>
            <option value="onlyIn">expected only on</option>
          </select>
        </label>
        <div
          className="rule-channels"
          role="group"
          aria-label={`Rule ${index}: channels`}
          aria-invalid={at('channels') !== null}
          aria-describedby={at('channels') !== null ? `${id('channels')}-error` : undefined}
        >
          {channelChoices.map((c) => (
            <label key={c} className="rule-channel">
              <input
                type="checkbox"
                checked={draft.channels.includes(c)}
                onChange={(e) =>
                  set({
                    channels: e.target.checked
                      ? channelChoices.filter((x) => x === c || draft.channels.includes(x))
                      : draft.channels.filter((x) => x !== c),
                  })
                }
              />
              {c}
            </label>
          ))}
          <FieldError id={`${id('channels')}-error`} problem={at('channels')} />
        </div>
      </div>
    </fieldset>
  );
}

const COLUMN_CHOICE = '\u0000column';
const OP_LABEL: Record<string, string> = {
  equals: 'equals',
  contains: 'contains',
  startsWith: 'starts with',
  matches: 'matches (regex)',
};

const CHECK_DELAY_MS = 150;

/** The problem rules.check finds in the rules text (null: none, or not checked yet), placed at its form field. */
function useRuleCheck(text: string | null): RuleProblem | null {
  const [result, setResult] = useState<{ text: string; problem: RuleProblem | null } | null>(null);
  useEffect(() => {
    if (text === null) return;
    let live = true;
    const t = setTimeout(() => {
      invoke('rules.check', { rules: JSON.parse(text) as unknown }).then(
        (r) =>
          live &&
          setResult({
            text,
            problem: r.problem && problemOf({ message: r.problem.message, details: r.problem }),
          }),
        // The check is a help: saving still reports any problem.
        () => live && setResult(null),
      );
    }, CHECK_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [text]);
  // A problem stays shown at its field while the next check runs (no flicker while typing).
  return text === null ? null : (result?.problem ?? null);
}

/**
 * The rules as a form beside their JSON: both edit the same text, so either shows the other's changes at once.
 * The form needs the JSON to be a valid list; problems show at their field, as the server would name them.
 */
function RulesEditor({
  settings,
  onSaved,
}: {
  settings: RulesSettings;
  onSaved: (s: RulesSettings) => void;
}) {
  const ws = useStore(workspace);
  const channels = (ws.data?.channels ?? []).map((c) => c.name);
  const initial = writeRules(settings.rules);
  const [text, setText] = useState(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const syntax = jsonProblem(text);
  const list = syntax ? null : readRules(text);
  const checked = useRuleCheck(list === null ? null : text);
  // The server's refusal of the saved text is shown at its field until the text changes.
  const problem =
    error && error.code === 'BAD_INPUT' && error.details.index !== undefined ? problemOf(error) : checked;
  const changed = text !== initial;
  const edit = (next: string) => {
    setText(next);
    setError(null);
  };

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
      <div className="rules-form" data-testid="rules-form">
        <span className="filter-label">Rules as a form</span>
        {list === null ? (
          <p className="side-note">
            {syntax
              ? 'Fix the JSON to edit the rules here.'
              : 'The JSON must be a list of rules to edit them here.'}
          </p>
        ) : (
          <>
            {list.length === 0 && <p className="side-note">No rules yet: add one.</p>}
            {list.map((raw, i) => (
              <RuleFields
                key={i}
                index={i}
                draft={draftOf(raw)}
                problem={problem?.index === i ? problem : null}
                channels={channels}
                onChange={(d) => edit(withRule(list, i, d))}
                onRemove={() => edit(writeRules(list.filter((_, j) => j !== i)))}
              />
            ))}
            <div>
              <button
                type="button"
                className="btn btn-sm"
                onClick={() =>
                  edit(
                    writeRules([
                      ...list,
                      ruleOf(
                        newDraft(
                          channels,
                          list.map((r) => draftOf(r).name),
                        ),
                      ),
                    ]),
                  )
                }
                data-testid="rule-add"
              >
                Add a rule
              </button>
            </div>
          </>
        )}
      </div>
      <div className="rules-json-pane">
        <label htmlFor="rules-json" className="filter-label">
          Rules as JSON
        </label>
        <textarea
          id="rules-json"
          className="rules-json"
          value={text}
          spellCheck={false}
          onChange={(e) => edit(e.target.value)}
          rows={Math.min(28, Math.max(8, text.split('\n').length + 1))}
          aria-invalid={!!syntax || !!problem}
          aria-describedby="rules-help"
          data-testid="rules-json"
        />
        <p id="rules-help" className="side-note">
          A list of rules:{' '}
          <code>
            {'{ "name", "when": { "channel", "field", "op", "value" }, "notExpectedIn" | "onlyIn" }'}
          </code>
          . <code>op</code> is equals, contains, startsWith or matches (regex); <code>field</code> a
          normalized field (tags, category, status, brand, title…) or{' '}
          <code>{'{ "column": "<raw header>" }'}</code>.
        </p>
        {syntax && (
          <p className="text-danger" role="alert">
            Not valid JSON: {syntax}
          </p>
        )}
        {!syntax && problem && !error && (
          <p className="text-danger" data-testid="rules-problem">
            Rule {problem.index}: {problem.message}
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
          <button type="button" className="btn btn-sm" disabled={!changed} onClick={() => edit(initial)}>
            Revert
          </button>
          {settings.rules.length === 0 && (
            <button type="button" className="btn btn-sm btn-ghost" onClick={() => edit(writeRules(EXAMPLE))}>
              Insert an example
            </button>
          )}
        </div>
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

/** One channel category and the reference category it maps to, edited in place (Enter or leaving the field). */
function MappingRow({
  m,
  count,
  listId,
  onSaved,
}: {
  m: Pick<CategoryMapping, 'channel' | 'category' | 'mapsTo'> & { source: CategoryMapping['source'] | null };
  count: number;
  listId?: string;
  onSaved: (m: CategoryMapping) => void;
}) {
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
          list={listId}
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
      <td className="num-col num">{formatCount(count)}</td>
      <td>
        {m.source === null ? (
          <span className="pill pill-muted">not learned</span>
        ) : (
          <span className={`pill ${m.source === 'user' ? 'pill-accent' : 'pill-muted'}`}>
            {m.source === 'user' ? 'edited' : 'learned'}
          </span>
        )}
      </td>
    </tr>
  );
}

const MAX_MAPPINGS_SHOWN = 300;
/** The channel's own categories shown at once; search finds the others. */
const CATEGORY_PAGE = 200;
const SEARCH_DELAY_MS = 200;

function MappingTable({
  countLabel,
  countTitle,
  children,
}: {
  countLabel: string;
  countTitle: string;
  children: ReactNode;
}) {
  return (
    <div className="table-scroll mapping-scroll">
      <table className="data-table" data-testid="category-map">
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Category</th>
            <th scope="col">Maps to</th>
            <th scope="col" className="num-col" title={countTitle}>
              {countLabel}
            </th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/**
 * One channel's own category values, from its records (core counts them), searched on the server and shown
 * CATEGORY_PAGE at a time: each can be mapped, learned or not. The reference categories are offered as you type.
 */
function ChannelCategoryPicker({ channel }: { channel: string }) {
  const [query, setQuery] = useState('');
  const [applied, setApplied] = useState('');
  const [state, setState] = useState<{
    key: string;
    data: Result<'categories.values'> | null;
    error: ApiError | null;
  }>({ key: '', data: null, error: null });
  useEffect(() => {
    const t = setTimeout(() => setApplied(query.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [query]);
  const key = `${channel}\u0000${applied}`;
  useEffect(() => {
    let live = true;
    invoke('categories.values', { channel, query: applied || undefined, limit: CATEGORY_PAGE }).then(
      (data) => live && setState({ key, data, error: null }),
      (err: unknown) => live && setState({ key, data: null, error: toApiError(err) }),
    );
    return () => {
      live = false;
    };
  }, [channel, applied, key]);
  const data = state.data;
  const listId = `references-${channel}`;
  const replace = (saved: CategoryMapping) =>
    setState((s) =>
      s.data
        ? {
            ...s,
            data: {
              ...s.data,
              values: s.data.values.map((v) =>
                v.category === saved.category ? { ...v, mapsTo: saved.mapsTo, source: saved.source } : v,
              ),
            },
          }
        : s,
    );
  return (
    <>
      <div className="gaps-filters">
        <SearchField
          className="gaps-search"
          value={query}
          onChange={setQuery}
          placeholder={`Search ${channel}'s categories…`}
          label={`Search ${channel}'s categories`}
        />
        <span className="section-meta num" data-testid="category-count">
          {data
            ? `${formatCount(Math.min(data.values.length, data.total))} of ${formatCount(data.total)} ${channel} categor${data.total === 1 ? 'y' : 'ies'}${applied ? ` matching “${applied}”` : ''}`
            : ''}
        </span>
      </div>
      {state.error && <ErrorBlock title="Could not load the channel's categories" error={state.error} />}
      {data && data.total === 0 && (
        <p className="text-muted">
          {applied ? `No ${channel} category contains “${applied}”.` : `No ${channel} record has a category.`}
        </p>
      )}
      {data && data.values.length > 0 && (
        <>
          <datalist id={listId}>
            {data.references.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
          <MappingTable countLabel="Records" countTitle={`${channel} records filed under the category`}>
            {data.values.map((v) => (
              <MappingRow
                key={`${v.category}|${v.mapsTo ?? ''}|${v.source ?? ''}`}
                m={{ channel, ...v }}
                count={v.records}
                listId={listId}
                onSaved={replace}
              />
            ))}
          </MappingTable>
        </>
      )}
      {data && data.total > data.values.length && (
        <p className="side-note">
          Showing the {formatCount(data.values.length)} with the most records of {formatCount(data.total)}:
          search to find another.
        </p>
      )}
    </>
  );
}

/** Every channel's learned and edited mappings, filtered in place. */
function AllMappings() {
  const [query, setQuery] = useState('');
  const [state, setState] = useState<{ data: CategoryMapping[] | null; error: ApiError | null }>({
    data: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    invoke('categories.map', {}).then(
      (data) => live && setState({ data, error: null }),
      (err: unknown) => live && setState({ data: null, error: toApiError(err) }),
    );
    return () => {
      live = false;
    };
  }, []);

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
        <MappingTable countLabel="Support" countTitle="Matched products the mapping was learned from">
          {shown.slice(0, MAX_MAPPINGS_SHOWN).map((m) => (
            <MappingRow
              key={`${m.channel}|${m.category}|${m.mapsTo ?? ''}`}
              m={m}
              count={m.support}
              onSaved={replace}
            />
          ))}
        </MappingTable>
      )}
      {shown.length > MAX_MAPPINGS_SHOWN && (
        <p className="side-note">
          Showing the first {MAX_MAPPINGS_SHOWN} of {formatCount(shown.length)}: filter to find a category.
        </p>
      )}
    </>
  );
}

function Categories() {
  const ws = useStore(workspace);
  const [channel, setChannel] = useState('');
  return (
    <>
      <label className="filter category-channel">
        <span className="filter-label">Channel</span>
        <select value={channel} onChange={(e) => setChannel(e.target.value)} data-testid="category-channel">
          <option value="">All channels: the learned mapping</option>
          {(ws.data?.channels ?? []).map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}: every category of its records
            </option>
          ))}
        </select>
      </label>
      {channel ? <ChannelCategoryPicker key={channel} channel={channel} /> : <AllMappings />}
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
