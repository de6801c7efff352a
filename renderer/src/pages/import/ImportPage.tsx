import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState } from '../../components/EmptyState';
import { Kbd } from '../../components/Kbd';
import { useStore } from '../../lib/store';
import { clearFinished, imports, pickFilesForImport } from '../../state/imports';
import { useJobs } from '../../state/jobs';
import { chooseWorkspace, sources, workspace } from '../../state/workspace';
import { electronBridge } from '../../api/client';
import { ImportCard } from './ImportCard';
import { SourcesTable } from './SourcesTable';

/** The drop target once something is listed; before that, the sources' empty state plays this part. */
function DropZone() {
  return (
    <div className="dropzone" data-testid="dropzone">
      <Icon name="upload" />
      <div className="dropzone-title">Drop channel exports anywhere in this window</div>
      <span className="dropzone-sub">Shopify · WooCommerce · Google Merchant Center · Amazon</span>
      <span className="spacer" />
      <button type="button" className="btn" onClick={() => void pickFilesForImport()}>
        Choose files… <Kbd keys="Mod+O" />
      </button>
    </div>
  );
}

/** Electron can start without a workspace: imports need one first. */
function NoWorkspace() {
  const canPick = !!electronBridge()?.pickWorkspace;
  return (
    <div className="page-inner">
      <PageHeader title="Import">Imports go into a workspace: one file that holds a project.</PageHeader>
      <EmptyState
        icon="database"
        title="No workspace open"
        action={
          canPick && (
            <div className="card-actions">
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => void chooseWorkspace('create')}
              >
                New workspace…
              </button>
              <button type="button" className="btn" onClick={() => void chooseWorkspace('open')}>
                Open…
              </button>
            </div>
          )
        }
      >
        {canPick
          ? 'Open an existing .concord workspace or create a new one, then drop your exports.'
          : 'Start Concord with a workspace (concord serve WORKSPACE.concord).'}
      </EmptyState>
    </div>
  );
}

export default function ImportPage() {
  const items = useStore(imports);
  const sourceState = useStore(sources);
  const ws = useStore(workspace);
  // With nothing imported and nothing on the way, the sources' empty state is the one big drop target.
  const empty = items.length === 0 && sourceState.loaded && sourceState.data.length === 0;
  const jobs = useJobs();
  const running = new Set(jobs.filter((j) => j.status === 'running').map((j) => j.id));
  const finishedKeys = items.filter((i) => i.jobId && !running.has(i.jobId)).map((i) => i.key);
  if (ws.loaded && !ws.data && !ws.error) return <NoWorkspace />;
  return (
    <div className="page-inner">
      <PageHeader title="Import">
        Bring channel exports into the workspace. Nothing leaves this machine.
      </PageHeader>

      {!empty && <DropZone />}

      {items.length > 0 && (
        <section className="section" aria-labelledby="files-title">
          <header className="section-header">
            <h2 id="files-title">
              Files <span className="count num">{items.length}</span>
            </h2>
            <span className="spacer" />
            {finishedKeys.length > 0 && (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() => clearFinished(finishedKeys)}
              >
                Clear finished
              </button>
            )}
          </header>
          <div className="card-list">
            {items.map((item) => (
              <ImportCard key={item.key} item={item} />
            ))}
          </div>
        </section>
      )}

      <SourcesTable />
    </div>
  );
}
