import { useId, type ReactNode } from 'react';
import type { WorkspaceInfo } from '../../../core/api/contract';
import { useStore } from '../lib/store';
import { workspace } from '../state/workspace';

export type WorkspaceAction = keyof WorkspaceInfo['blocked'];

/** Why `action` cannot run on the open workspace yet (core's reason, as a sentence), or null when it can. */
export function useBlockedReason(action: WorkspaceAction | undefined): string | null {
  const blocked = useStore(workspace).data?.blocked;
  const reason = action === undefined ? null : (blocked?.[action] ?? null);
  return reason === null ? null : `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
}

/**
 * A button that cannot run yet, with its reason on a line beneath. `children` gets the props the button needs:
 * disabled, the reason as its tooltip, and the line as its description.
 */
export function BlockedReason({
  reason,
  children,
}: {
  reason: string | null;
  children: (blocked: { disabled: boolean; title?: string; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  if (reason === null) return <>{children({ disabled: false })}</>;
  return (
    <span className="blocked-action">
      {children({ disabled: true, title: reason, 'aria-describedby': id })}
      <span className="blocked-reason" id={id}>
        {reason}
      </span>
    </span>
  );
}
