/** Undo for a merge or a split: the toast that confirms it offers Undo, which calls clusters.undo. */
import { invoke } from '../../api/client';
import { showActionToast, showError, showToast } from '../../state/toasts';
import { clustersEdited } from './matchesState';

/** Confirms an edit with a toast whose Undo puts the clusters back; `show` selects a restored cluster. */
export function confirmWithUndo(
  title: string,
  message: string,
  editId: number,
  show: (clusterId: string) => void,
): void {
  showActionToast('success', title, message, { label: 'Undo', run: () => void undoEdit(editId, show) });
}

async function undoEdit(editId: number, show: (clusterId: string) => void): Promise<void> {
  try {
    const r = await invoke('clusters.undo', { editId });
    showToast(
      'info',
      r.kind === 'merge' ? 'Merge undone' : 'Split undone',
      r.kind === 'merge'
        ? `The ${r.clusterIds.length} clusters are as they were before the merge.`
        : 'The records are back in their cluster.',
    );
    if (r.clusterIds[0]) show(r.clusterIds[0]);
    clustersEdited();
  } catch (err) {
    showError('Could not undo', err);
  }
}
