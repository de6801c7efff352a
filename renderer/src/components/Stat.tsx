import { useId, useState, type CSSProperties } from 'react';
import { Icon } from './Icon';

/**
 * One figure of a summary strip (inside a `<dl>`): label, value and an optional note under it. With a `hint`, the
 * label is focusable and the hint, in plain words, shows as a tooltip on hover and on keyboard focus (Escape hides
 * it) and is the label's accessible description. The tooltip is fixed-positioned: the strip clips what overflows.
 */
export function Stat({
  label,
  value,
  sub,
  testId,
  hint,
}: {
  label: string;
  value: string;
  sub?: string;
  testId?: string;
  hint?: string;
}) {
  const hintId = useId();
  const [at, setAt] = useState<CSSProperties | null>(null);
  const show = (el: HTMLElement) => {
    const box = el.getBoundingClientRect();
    const width = 280;
    const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
    setAt({ top: box.bottom + 6, left, width });
  };
  const hide = () => setAt(null);
  return (
    <div
      className="summary-stat"
      onMouseEnter={hint ? (e) => show(e.currentTarget) : undefined}
      onMouseLeave={hint ? hide : undefined}
    >
      <dt>
        {hint ? (
          <span
            className="stat-term"
            tabIndex={0}
            aria-describedby={hintId}
            onFocus={(e) => show(e.currentTarget.closest('.summary-stat') ?? e.currentTarget)}
            onBlur={hide}
            onKeyDown={(e) => {
              if (e.key === 'Escape') hide();
            }}
          >
            {label}
            <Icon name="info" size={12} className="stat-term-icon" />
          </span>
        ) : (
          label
        )}
      </dt>
      <dd>
        <span className="summary-value num" data-testid={testId}>
          {value}
        </span>
        {sub && <span className="summary-sub num">{sub}</span>}
        {hint && (
          <span id={hintId} role="tooltip" className="stat-hint" hidden={!at} style={at ?? undefined}>
            {hint}
          </span>
        )}
      </dd>
    </div>
  );
}
