/** A determinate bar when total is known, an indeterminate one otherwise. */
export function ProgressBar({
  done,
  total,
  label,
  tone = 'accent',
}: {
  done: number;
  total: number;
  label: string;
  tone?: 'accent' | 'success' | 'danger' | 'muted';
}) {
  const known = total > 0 && Number.isFinite(total);
  const pct = known ? Math.min(100, Math.max(0, (done / total) * 100)) : 0;
  return (
    <div
      className={`progress progress-${tone}${known ? '' : ' progress-indeterminate'}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={known ? Math.round(pct) : undefined}
    >
      <div className="progress-fill" style={known ? { width: `${pct}%` } : undefined} />
    </div>
  );
}
