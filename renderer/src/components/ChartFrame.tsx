import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/**
 * A chart filling its box, announced as one image described by `label` (the figures in words). Every chart's grid
 * and axes are styled once, by `.chart-frame` in components.css. Imported only by lazily loaded views, so the chart
 * library stays out of the first load.
 */
export function ChartFrame({
  className,
  label,
  testId,
  children,
}: {
  className: string;
  label: string;
  testId: string;
  children: ReactElement | false;
}) {
  return (
    <div className={`chart-frame ${className}`} role="img" aria-label={label} data-testid={testId}>
      {children && (
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      )}
    </div>
  );
}
