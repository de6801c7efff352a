import type { ReactNode } from 'react';
import { hrefFor } from '../app/router';
import type { WorkspaceInfo } from '../../../core/api/contract';
import { useStore } from '../lib/store';
import { workspace } from '../state/workspace';
import { Icon, type IconName } from './Icon';

/** A page's or a panel's big empty state: icon, title, what to do, and the action that does it. */
export function EmptyState({
  icon,
  title,
  children,
  action,
  testId,
}: {
  icon: IconName;
  title: string;
  children: ReactNode;
  action?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="empty-state" data-testid={testId}>
      <span className="empty-icon">
        <Icon name={icon} size={20} />
      </span>
      <div className="empty-title">{title}</div>
      <div className="empty-sub">{children}</div>
      {action}
    </div>
  );
}

function GoToImport({ primary = false }: { primary?: boolean }) {
  return (
    <a className={primary ? 'btn btn-primary' : 'btn'} href={hrefFor('import')}>
      Go to Import
    </a>
  );
}

/** No workspace is open (web mode without one, Electron at start): the Import page opens one. */
export function NoWorkspaceOpen({ then }: { then: string }) {
  return (
    <EmptyState icon="database" title="No workspace open" action={<GoToImport />}>
      Open or create a workspace on the Import page, then {then}.
    </EmptyState>
  );
}

/** The workspace holds no records yet. */
function ImportFirst({ children }: { children: ReactNode }) {
  return (
    <EmptyState icon="import" title="Import channel exports first" action={<GoToImport primary />}>
      {children}
    </EmptyState>
  );
}

/**
 * A page with nothing to show yet: "import first" while the workspace holds no records, else what the page needs
 * run (the records at hand, then `children`).
 */
export function NothingYet({
  importFirst,
  icon,
  title,
  action,
  testId,
  children,
}: {
  importFirst: ReactNode;
  icon: IconName;
  title: string;
  action: ReactNode;
  testId: string;
  children: ReactNode;
}) {
  const ws = useStore(workspace);
  if (ws.loaded && (ws.data?.counts.records ?? 0) === 0) return <ImportFirst>{importFirst}</ImportFirst>;
  return (
    <EmptyState icon={icon} title={title} action={action} testId={testId}>
      {recordsLine(ws.data)}
      {children}
    </EmptyState>
  );
}

/** "1,234 records from 3 channels. ", or nothing before the workspace is known. */
function recordsLine(ws: WorkspaceInfo | null): string {
  if (!ws) return '';
  const channels = ws.channels.length;
  return `${ws.counts.records.toLocaleString()} records from ${channels} channel${channels === 1 ? '' : 's'}. `;
}
