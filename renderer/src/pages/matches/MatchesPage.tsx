/**
 * Matches (DESIGN.md "Alignment"): the alignment summary and the Align button, then three views — the review
 * queue of uncertain pairs, the threshold with its precision/recall curve, and the cluster browser.
 */
import { PageHeader } from '../../components/PageHeader';
import { useAction } from '../../lib/useAction';
import { lazy, Suspense, useEffect } from 'react';
import { invoke } from '../../api/client';
import { BlockedReason, useBlockedReason } from '../../components/BlockedReason';
import { ErrorBlock } from '../../components/ErrorBlock';
import { NoWorkspaceOpen, NothingYet } from '../../components/EmptyState';
import { JobButton, JobStatusCard } from '../../components/JobProgress';
import { useView } from '../../app/router';
import { Tabs } from '../../components/Tabs';
import { useStore } from '../../lib/store';
import { useJobs, useRunningJob } from '../../state/jobs';
import { showToast } from '../../state/toasts';
import { workspace } from '../../state/workspace';
import { alignJob, retrainJob, startAlign, startMatchesSync, summary } from './matchesState';
import { AlignedAt, SummaryStrip } from './SummaryStrip';
import { ReviewQueue } from './ReviewQueue';
import { ClusterBrowser } from './ClusterBrowser';
import '../../styles/matches.css';

// The chart library is loaded only when the threshold view is opened.
const ThresholdPanel = lazy(() => import('./ThresholdPanel').then((m) => ({ default: m.ThresholdPanel })));

const TABS = [
  { id: 'review', label: 'Review queue' },
  { id: 'threshold', label: 'Threshold' },
  { id: 'clusters', label: 'Clusters' },
] as const;
type TabId = (typeof TABS)[number]['id'];

function showTab(id: TabId): void {
  window.location.hash = `#/matches/${id}`;
}

/** The running alignment (started here or elsewhere), if any; a retrain started here is the matcher card's. */
function useRunningAlign() {
  const track = useStore(alignJob);
  const retrainId = useStore(retrainJob).jobId;
  return useRunningJob(track.jobId, (j) => /^align/i.test(j.kind) && j.id !== retrainId);
}

function AlignButton({ primary }: { primary: boolean }) {
  const track = useStore(alignJob);
  const running = useRunningAlign();
  return (
    <JobButton
      primary={primary}
      busy={track.starting || !!running}
      onClick={() => void startAlign()}
      title="Block, match and cluster every imported record (progress in the jobs panel)"
      label={primary ? 'Align' : 'Re-align'}
      busyLabel="Aligning…"
      needs="align"
    />
  );
}

/** Trains the built-in text encoder in the worker (progress in the jobs panel); the next alignment uses it. */
function TrainEncoderButton() {
  const jobs = useJobs();
  const running = jobs.some((j) => j.status === 'running' && j.kind === 'embed');
  const [starting, runStart] = useAction('Could not start encoder training');
  const start = async () => {
    await runStart(async () => {
      await invoke('embed.start', {});
      showToast(
        'info',
        'Training the text encoder',
        'Progress is in the jobs panel; re-align afterwards to use it.',
      );
    });
  };
  const blocked = useBlockedReason('trainEncoder');
  return (
    <BlockedReason reason={running ? null : blocked}>
      {(b) => (
        <button
          type="button"
          className="btn"
          onClick={() => void start()}
          disabled={running || starting || b.disabled}
          title={
            b.title ??
            "Train the built-in product-text encoder on this workspace's records and embed them (ONNX Runtime)"
          }
          aria-describedby={b['aria-describedby']}
        >
          {running ? 'Training encoder…' : 'Train encoder'}
        </button>
      )}
    </BlockedReason>
  );
}

function AlignStatus() {
  return (
    <JobStatusCard
      track={useStore(alignJob)}
      running={useRunningAlign()}
      startTitle="Could not start the alignment"
      failTitle="Alignment failed"
      testId="align-progress"
    />
  );
}

function EmptyAlignment() {
  return (
    <NothingYet
      importFirst="Alignment works out which records of different channels are the same product. Import at least two channels' exports, then align them here."
      icon="activity"
      title="Align the imported channels"
      action={<AlignButton primary />}
      testId="align-empty"
    >
      Concord finds candidate pairs, scores them with the matcher and groups the records into products. The
      uncertain pairs then wait here for your review.
    </NothingYet>
  );
}

export default function MatchesPage() {
  useEffect(() => startMatchesSync(), []);
  const s = useStore(summary);
  const ws = useStore(workspace);
  const view = useView();
  const tab = TABS.find((t) => t.id === view)?.id ?? 'review';
  const aligned = s.data;

  let body;
  if (ws.loaded && !ws.data && !ws.error) {
    body = <NoWorkspaceOpen then="import and align" />;
  } else if (s.error && !aligned) {
    body = <ErrorBlock title="Could not load the alignment" error={s.error} />;
  } else if (!s.loaded) {
    body = <div className="matches-loading" aria-busy="true" />;
  } else if (!aligned) {
    body = <EmptyAlignment />;
  } else {
    body = (
      <>
        <SummaryStrip summary={aligned} channels={ws.data?.channels.length ?? null} />
        <div className="matches-views">
          <Tabs tabs={TABS} current={tab} onSelect={showTab} label="Matches views" />
          <div
            className="tab-panel"
            role="tabpanel"
            id={`panel-${tab}`}
            aria-labelledby={`tab-${tab}`}
            data-testid={`panel-${tab}`}
          >
            {tab === 'review' && <ReviewQueue summary={aligned} />}
            {tab === 'threshold' && (
              <Suspense fallback={<div className="matches-loading" aria-busy="true" />}>
                <ThresholdPanel summary={aligned} />
              </Suspense>
            )}
            {tab === 'clusters' && <ClusterBrowser />}
          </div>
        </div>
      </>
    );
  }

  return (
    <div className="page-inner matches-page">
      <PageHeader
        title="Matches"
        actions={
          <>
            {aligned && <AlignedAt summary={aligned} />}
            <TrainEncoderButton />
            {aligned && <AlignButton primary={false} />}
          </>
        }
      >
        Which records across channels are the same product: review uncertain pairs, set the threshold, fix
        clusters.
      </PageHeader>
      <AlignStatus />
      {body}
    </div>
  );
}
