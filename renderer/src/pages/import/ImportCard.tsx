import { useId } from 'react';
import {
  CHANNEL_FORMATS,
  ImportResultSchema,
  type ApiError,
  type ChannelFormat,
  type JobState,
  type OnDuplicate,
} from '../../../../core/api/contract';
import { ErrorBlock } from '../../components/ErrorBlock';
import { Icon } from '../../components/Icon';
import { JobProgress } from '../../components/JobProgress';
import { ProgressBar } from '../../components/ProgressBar';
import { formatBytes, formatCount, formatPercent, formatSeconds } from '../../lib/format';
import {
  editAgain,
  ENCODINGS,
  FORMAT_LABELS,
  ON_DUPLICATE_HINTS,
  ON_DUPLICATE_LABELS,
  removeItem,
  retryPreview,
  setChannel,
  setEncoding,
  setFormat,
  setOnDuplicate,
  setReplace,
  startImport,
  type ImportItem,
} from '../../state/imports';
import { cancelJob, useJob } from '../../state/jobs';
import { PreviewTable } from './PreviewTable';

function errorLine(error: ApiError | null | undefined): number | null {
  const line = error?.details.line;
  return typeof line === 'number' ? line : null;
}

function formatName(f: string | null): string {
  return f ? (FORMAT_LABELS[f] ?? f) : 'Unknown';
}

function Confidence({ value }: { value: number }) {
  const level = value >= 0.8 ? 'high' : value >= 0.5 ? 'medium' : 'low';
  return (
    <span className={`confidence confidence-${level} num`} title={`${(value * 100).toFixed(1)}% confidence`}>
      {formatPercent(value)}
    </span>
  );
}

type Status = { label: string; tone: 'muted' | 'accent' | 'success' | 'danger' | 'warning' };

function statusOf(item: ImportItem, job: JobState | undefined): Status {
  if (job?.status === 'done') return { label: 'Imported', tone: 'success' };
  if (job?.status === 'failed') return { label: 'Failed', tone: 'danger' };
  if (job?.status === 'cancelled') return { label: 'Cancelled', tone: 'muted' };
  if (item.stage === 'started' || item.stage === 'starting') return { label: 'Importing', tone: 'accent' };
  if (item.stage === 'uploading') return { label: 'Uploading', tone: 'accent' };
  if (item.stage === 'previewing') return { label: 'Reading', tone: 'accent' };
  if (item.previewError) return { label: 'Problem', tone: 'danger' };
  return { label: 'Ready to import', tone: 'warning' };
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <div className="stat-value num">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

function Outcome({ item, job }: { item: ImportItem; job: JobState }) {
  if (job.status === 'running') {
    return (
      <div className="card-progress">
        <JobProgress job={job} />
        <button type="button" className="btn btn-sm" onClick={() => void cancelJob(job.id)}>
          <Icon name="stop" />
          Cancel
        </button>
      </div>
    );
  }
  if (job.status === 'done') {
    const r = ImportResultSchema.safeParse(job.result);
    if (!r.success) return <div className="card-note">Imported.</div>;
    const res = r.data;
    return (
      <div className="outcome outcome-done" role="status">
        <div className="stats">
          <Stat label="rows" value={formatCount(res.rows)} />
          <Stat label="records" value={formatCount(res.records)} />
          <Stat label={res.warnings === 1 ? 'warning' : 'warnings'} value={formatCount(res.warnings)} />
          <Stat label="time" value={formatSeconds(res.seconds)} />
        </div>
        <div className="card-note">
          Imported into channel <strong>{res.channel}</strong> as {formatName(res.format)}, {res.encoding}
          {res.duplicates > 0 && (
            <>
              {' '}
              · {formatCount(res.duplicates)} row{res.duplicates === 1 ? '' : 's'} repeated a record id
            </>
          )}
          {res.replaced.length > 0 && (
            <>
              {' '}
              · replaced {res.replaced.length} earlier import{res.replaced.length === 1 ? '' : 's'}
            </>
          )}
        </div>
      </div>
    );
  }
  const error: ApiError = job.error ?? {
    code: 'INTERNAL',
    message: 'The import stopped without saying why.',
    details: {},
  };
  return (
    <div className="outcome">
      {job.status === 'failed' ? (
        <ErrorBlock title="Import failed — the workspace is unchanged" error={error} />
      ) : (
        <div className="card-note" role="status">
          Import cancelled — the workspace is unchanged.
        </div>
      )}
      <div className="card-actions">
        <button type="button" className="btn btn-sm" onClick={() => editAgain(item.key)}>
          <Icon name="retry" />
          Change options and retry
        </button>
      </div>
    </div>
  );
}

function Options({ item }: { item: ImportItem }) {
  const id = useId();
  const p = item.preview;
  const busy = item.stage !== 'ready';
  const runnersUp = p ? p.ranking.filter((r) => r.format !== p.format).slice(0, 3) : [];
  return (
    <div className="import-options">
      <div className="field">
        <label htmlFor={`${id}-format`}>Format</label>
        <select
          id={`${id}-format`}
          value={item.format}
          disabled={busy}
          onChange={(e) => setFormat(item.key, e.target.value as ChannelFormat | '')}
        >
          <option value="">{p?.format ? `Detected: ${formatName(p.format)}` : 'Detect'}</option>
          {CHANNEL_FORMATS.map((f) => (
            <option key={f} value={f}>
              {formatName(f)}
            </option>
          ))}
        </select>
        {p && (
          <div className="field-hint">
            {p.format ? (
              <>
                {formatName(p.format)} <Confidence value={p.formatConfidence} />
              </>
            ) : (
              'No format recognised: choose one'
            )}
          </div>
        )}
        {runnersUp.length > 0 && (
          <div className="field-hint ranking" title="Other formats the header resembles">
            Runner-up:{' '}
            {runnersUp.map((r, i) => (
              <span key={r.format}>
                {i > 0 && ' · '}
                {formatName(r.format)} <span className="num">{formatPercent(r.confidence)}</span>
              </span>
            ))}
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-encoding`}>Encoding</label>
        <select
          id={`${id}-encoding`}
          value={item.encoding}
          disabled={busy}
          onChange={(e) => setEncoding(item.key, e.target.value)}
        >
          <option value="">{p && !item.encoding ? `Detected: ${p.encoding}` : 'Detect'}</option>
          {ENCODINGS.map((enc) => (
            <option key={enc} value={enc}>
              {enc}
            </option>
          ))}
        </select>
        {p && (
          <div className="field-hint">
            {p.encoding} <Confidence value={p.encodingConfidence} />
            {item.encoding ? ' · chosen by you' : ' · detected'}
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-channel`}>Channel</label>
        <input
          id={`${id}-channel`}
          type="text"
          value={item.channel}
          disabled={busy}
          placeholder="e.g. shopify"
          maxLength={100}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setChannel(item.key, e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void startImport(item.key);
          }}
        />
        <div className="field-hint">Records are compared per channel</div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-duplicates`}>Repeated record ids</label>
        <select
          id={`${id}-duplicates`}
          value={item.onDuplicate}
          title={ON_DUPLICATE_HINTS[item.onDuplicate]}
          disabled={busy}
          onChange={(e) => setOnDuplicate(item.key, e.target.value as OnDuplicate)}
        >
          {(Object.keys(ON_DUPLICATE_LABELS) as OnDuplicate[]).map((d) => (
            <option key={d} value={d}>
              {ON_DUPLICATE_LABELS[d]}
            </option>
          ))}
        </select>
        <div className="field-hint" title={ON_DUPLICATE_HINTS[item.onDuplicate]}>
          When a row repeats an id
        </div>
      </div>
      <div className="field field-check">
        <label className="check">
          <input
            type="checkbox"
            checked={item.replace}
            disabled={busy}
            onChange={(e) => setReplace(item.key, e.target.checked)}
          />
          <span>Replace earlier import</span>
        </label>
        <div className="field-hint">of this file into the channel</div>
      </div>
      <div className="field field-action">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || !item.fileRef}
          onClick={() => void startImport(item.key)}
        >
          {item.stage === 'starting' ? 'Starting…' : 'Import'}
        </button>
      </div>
    </div>
  );
}

export function ImportCard({ item }: { item: ImportItem }) {
  const job = useJob(item.jobId);
  const status = statusOf(item, job);
  const p = item.preview;
  const size = p?.sizeBytes ?? item.size;
  const started = item.stage === 'started';
  return (
    <article
      className={`card import-card tone-${status.tone}`}
      aria-label={item.name}
      data-testid="import-card"
    >
      <header className="card-header">
        <Icon name="file" className="card-icon" />
        <div className="card-title">
          <h3 className="file-name" title={item.name}>
            {item.name}
          </h3>
          <div className="card-sub num">
            {size !== null && formatBytes(size)}
            {p && ` · ${p.container}`}
            {p && p.header.length > 0 && ` · ${p.header.length} columns`}
          </div>
        </div>
        <span className={`pill pill-${status.tone}`}>{status.label}</span>
        <button
          type="button"
          className="btn btn-ghost btn-icon"
          onClick={() => removeItem(item.key)}
          aria-label={`Remove ${item.name} from the list`}
          title={
            job?.status === 'running'
              ? 'Remove from the list (the import goes on; see Jobs)'
              : 'Remove from the list'
          }
        >
          <Icon name="x" />
        </button>
      </header>

      {item.stage === 'uploading' && item.upload && (
        <div className="card-progress">
          <div className="job-progress">
            <ProgressBar done={item.upload.sent} total={item.upload.total} label={`Uploading ${item.name}`} />
            <div className="job-progress-text">
              <span className="job-phase">upload</span>
              <span className="job-message num">
                {formatBytes(item.upload.sent)} of {formatBytes(item.upload.total)}
              </span>
              <span className="job-percent num">
                {item.upload.total > 0 ? formatPercent(item.upload.sent / item.upload.total) : ''}
              </span>
            </div>
          </div>
        </div>
      )}
      {item.stage === 'previewing' && !p && <div className="card-note">Reading the first rows…</div>}

      {item.previewError && !started && (
        <div className="card-section">
          <ErrorBlock
            title={p ? 'This file cannot be read as it is' : 'Could not read this file'}
            error={item.previewError}
          />
          {!p && item.fileRef && (
            <div className="card-actions">
              <button type="button" className="btn btn-sm" onClick={() => retryPreview(item.key)}>
                <Icon name="retry" />
                Try again
              </button>
            </div>
          )}
        </div>
      )}

      {p && !started && <Options item={item} />}
      {item.startError && (
        <div className="card-section">
          <ErrorBlock title="Import was not started" error={item.startError} />
        </div>
      )}
      {started && !job && <div className="card-note">Starting the import…</div>}
      {job && (
        <div className="card-section">
          <Outcome item={item} job={job} />
        </div>
      )}
      {p && (!started || job?.status === 'failed') && p.header.length > 0 && (
        <PreviewTable
          preview={p}
          caption={`First rows of ${item.name}`}
          highlightLine={errorLine(job?.error ?? item.previewError)}
        />
      )}
    </article>
  );
}
