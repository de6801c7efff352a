/** One figure of a summary strip (inside a `<dl>`): label, value and an optional note under it. */
export function Stat({
  label,
  value,
  sub,
  testId,
}: {
  label: string;
  value: string;
  sub?: string;
  testId?: string;
}) {
  return (
    <div className="summary-stat">
      <dt>{label}</dt>
      <dd>
        <span className="summary-value num" data-testid={testId}>
          {value}
        </span>
        {sub && <span className="summary-sub num">{sub}</span>}
      </dd>
    </div>
  );
}
