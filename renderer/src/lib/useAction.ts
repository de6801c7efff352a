import { useState } from 'react';
import { showError } from '../state/toasts';

/**
 * A button's call: `busy` while it runs; when it fails, an error toast titled `failTitle` says why.
 * `run(task)` resolves once the task has settled, never rejects.
 */
export function useAction(
  failTitle: string,
): [busy: boolean, run: (task: () => Promise<void>) => Promise<void>] {
  const [busy, setBusy] = useState(false);
  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    try {
      await task();
    } catch (err) {
      showError(failTitle, err);
    } finally {
      setBusy(false);
    }
  };
  return [busy, run];
}
