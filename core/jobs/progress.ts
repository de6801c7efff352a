/** Progress of a long job, as every host shows it (DESIGN.md "Jobs"). */
export interface Progress {
  done: number;
  total: number;
  phase: string;
  message: string;
}

export type ProgressListener = (progress: Progress) => void;

/** Calls `listener` at most every `intervalMs` (and always for the final report). */
export function throttleProgress(listener: ProgressListener | undefined, intervalMs = 100): ProgressListener {
  if (!listener) return () => {};
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last >= intervalMs || p.done >= p.total) {
      last = now;
      listener(p);
    }
  };
}
