/**
 * The review queue: the most uncertain pair first, its two records side by side, decided with y / n / s and
 * taken back with u. The next pair is already loaded, so it shows the moment a key is pressed.
 */
import { EmptyState } from '../../components/EmptyState';
import { typingIn } from '../../lib/keyboard';
import { useEffect, useMemo } from 'react';
import type { AlignSummary, PairView } from '../../../../core/api/contract';
import { ErrorBlock } from '../../components/ErrorBlock';
import { Icon, type IconName } from '../../components/Icon';
import { Kbd } from '../../components/Kbd';
import { RecordHeading } from '../../components/RecordHeading';
import { formatCount } from '../../lib/format';
import { useStore } from '../../lib/store';
import { isLongText, orderedFields } from './fields';
import { decide, ensureQueue, pairKey, queue, undo, type Decision } from './matchesState';
import { CompareRow, CompareTable, FieldValue, ProbabilityBar } from './parts';
import { RetrainCard } from './RetrainCard';
import { diffPair } from '../../lib/tokenDiff';

const DECISION_TEXT: Record<Decision, string> = { match: 'Match', no_match: 'No match', skip: 'Skipped' };

/** y / n / s / u anywhere on the page while the queue shows (not while typing, not under a dialog). */
function useDecisionKeys(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || e.defaultPrevented) return;
      if (typingIn(e.target) || document.querySelector('dialog[open]')) return;
      const key = e.key.toLowerCase();
      const decision: Decision | null =
        key === 'y' ? 'match' : key === 'n' ? 'no_match' : key === 's' ? 'skip' : null;
      if (decision) {
        e.preventDefault();
        decide(decision);
      } else if (key === 'u') {
        e.preventDefault();
        undo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

function PairTable({ pair }: { pair: PairView }) {
  const rows = useMemo(() => {
    const differing = new Set(pair.differing);
    return orderedFields([pair.a.fields, pair.b.fields]).map((field) => {
      const a = pair.a.fields[field] ?? null;
      const b = pair.b.fields[field] ?? null;
      const differs = differing.has(field);
      const [sa, sb] = differs && a && b ? diffPair(a, b) : [null, null];
      return { field, a, b, differs, sa, sb };
    });
  }, [pair]);
  return (
    <CompareTable
      className="compare-table"
      testId="pair-table"
      caption={`The two records side by side; ${pair.differing.length} differing field${pair.differing.length === 1 ? '' : 's'} highlighted`}
      columns={
        <>
          <col className="col-field" />
          <col />
          <col />
        </>
      }
      heads={
        <>
          <th scope="col">
            <RecordHeading record={pair.a} />
          </th>
          <th scope="col">
            <RecordHeading record={pair.b} />
          </th>
        </>
      }
    >
      {rows.map((r) => (
        <CompareRow key={r.field} field={r.field} differs={r.differs}>
          <td>
            <FieldValue value={r.a} segments={r.sa} clamp={isLongText(r.field)} />
          </td>
          <td>
            <FieldValue value={r.b} segments={r.sb} clamp={isLongText(r.field)} />
          </td>
        </CompareRow>
      ))}
    </CompareTable>
  );
}

/** The decision keys, in the order they show. */
const DECISION_BUTTONS: {
  decision: Decision;
  label: string;
  key: string;
  icon: IconName;
  className: string;
}[] = [
  { decision: 'match', label: 'Match', key: 'y', icon: 'check', className: 'btn decision decision-match' },
  {
    decision: 'no_match',
    label: 'No match',
    key: 'n',
    icon: 'x',
    className: 'btn decision decision-no-match',
  },
  { decision: 'skip', label: 'Skip', key: 's', icon: 'chevronRight', className: 'btn decision' },
];

function KeyButton({
  className,
  onClick,
  disabled,
  keys,
  icon,
  label,
}: {
  className: string;
  onClick: () => void;
  disabled: boolean;
  keys: string;
  icon: IconName;
  label: string;
}) {
  return (
    <button
      type="button"
      className={className}
      onClick={onClick}
      disabled={disabled}
      aria-keyshortcuts={keys}
    >
      <Icon name={icon} />
      {label}
      <Kbd keys={keys} />
    </button>
  );
}

function DecisionButtons({ disabled, canUndo }: { disabled: boolean; canUndo: boolean }) {
  return (
    <div className="decision-bar" role="group" aria-label="Decision">
      {DECISION_BUTTONS.map((d) => (
        <KeyButton
          key={d.decision}
          className={d.className}
          onClick={() => decide(d.decision)}
          disabled={disabled}
          keys={d.key}
          icon={d.icon}
          label={d.label}
        />
      ))}
      <span className="spacer" />
      <KeyButton
        className="btn btn-ghost decision"
        onClick={() => undo()}
        disabled={!canUndo}
        keys="u"
        icon="retry"
        label="Undo"
      />
    </div>
  );
}

function Counters({ summary }: { summary: AlignSummary }) {
  const q = useStore(queue);
  const total = q.totalLabels ?? summary.labels;
  return (
    <section className="card side-card" aria-labelledby="session-title">
      <h3 id="session-title" className="side-title">
        Session
      </h3>
      <dl className="counters">
        <div className="counter">
          <dt>Labelled this session</dt>
          <dd className="num" data-testid="count-session">
            {formatCount(q.labelled)}
          </dd>
        </div>
        <div className="counter">
          <dt>Skipped</dt>
          <dd className="num" data-testid="count-skipped">
            {formatCount(q.skipped)}
          </dd>
        </div>
        <div className="counter">
          <dt>Total labels</dt>
          <dd className="num" data-testid="count-total">
            {formatCount(total)}
          </dd>
        </div>
        <div className="counter">
          <dt>Remaining in queue</dt>
          <dd className="num" data-testid="count-remaining">
            {formatCount(q.pairs.length)}
            {q.more ? '+' : ''}
          </dd>
        </div>
      </dl>
    </section>
  );
}

function LastDecision() {
  const q = useStore(queue);
  const last = q.history[q.history.length - 1];
  // Announced to screen readers; shown as one quiet line under the buttons.
  return (
    <div className="last-decision" aria-live="polite" data-testid="last-decision">
      {last && (
        <>
          <span className={`decision-tag decision-tag-${last.decision}`}>{DECISION_TEXT[last.decision]}</span>
          <span className="text-muted">
            {last.pair.a.channel} <code>{last.pair.a.recordId}</code> · {last.pair.b.channel}{' '}
            <code>{last.pair.b.recordId}</code>
          </span>
        </>
      )}
    </div>
  );
}

export function ReviewQueue({ summary }: { summary: AlignSummary }) {
  const q = useStore(queue);
  useEffect(() => ensureQueue(), []);
  const pair = q.pairs[0];
  useDecisionKeys(true);

  let main;
  if (q.error && !pair) {
    main = <ErrorBlock title="Could not load the review queue" error={q.error} />;
  } else if (!pair && (q.loading || !q.loaded)) {
    main = <div className="card pair-card pair-loading" aria-busy="true" />;
  } else if (!pair) {
    main = (
      <EmptyState icon="check" title="No uncertain pairs left" testId="queue-empty">
        Every pair the matcher was unsure about is labelled. Retrain to learn from the labels; the queue fills
        again with the pairs the new model is unsure about.
      </EmptyState>
    );
  } else {
    main = (
      <section
        className="card pair-card"
        aria-labelledby="pair-title"
        data-testid="pair-card"
        key={pairKey(pair)}
      >
        <header className="pair-header">
          <div className="pair-title-block">
            <h2 id="pair-title">Same product?</h2>
            {pair.possible && (
              <span
                className="badge badge-possible"
                data-testid="possible-match"
                title={`Gap detection found no ${pair.b.channel} record for this product, but this one is close. It is not reported as missing until you decide.`}
              >
                possible match — review
              </span>
            )}
            <span className="pair-sub">
              {pair.possible ? 'Seemed missing from a channel' : 'Most uncertain first'} ·{' '}
              <span className="num">
                {pair.differing.length} differing field{pair.differing.length === 1 ? '' : 's'}
              </span>
            </span>
          </div>
          <ProbabilityBar probability={pair.probability} threshold={summary.threshold} />
        </header>
        <DecisionButtons
          disabled={false}
          canUndo={q.history.length > 0 || (q.totalLabels ?? summary.labels) > 0}
        />
        <PairTable pair={pair} />
      </section>
    );
  }

  return (
    <div className="aside-layout review-layout">
      <div className="review-main">
        {main}
        {!pair && q.loaded && (
          <DecisionButtons disabled canUndo={q.history.length > 0 || (q.totalLabels ?? summary.labels) > 0} />
        )}
        <LastDecision />
      </div>
      <aside className="review-side" aria-label="Session and model">
        <Counters summary={summary} />
        <RetrainCard summary={summary} />
      </aside>
    </div>
  );
}
