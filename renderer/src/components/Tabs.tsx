/** A row of tabs (WAI-ARIA tabs pattern): arrows, Home and End move between them; the page owns which one is shown. */
import { useRef, type KeyboardEvent } from 'react';

export interface TabDef<T extends string> {
  id: T;
  label: string;
}

/** Element ids: the tab is `${idPrefix}tab-${id}`, the panel it controls `${idPrefix}panel-${id}`. */
export function Tabs<T extends string>({
  tabs,
  current,
  onSelect,
  label,
  idPrefix = '',
}: {
  tabs: readonly TabDef<T>[];
  current: T;
  onSelect: (id: T) => void;
  label: string;
  idPrefix?: string;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = tabs.findIndex((t) => t.id === current);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    let next = step === 0 ? -1 : (i + step + tabs.length) % tabs.length;
    if (e.key === 'Home') next = 0;
    if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    onSelect(tabs[next].id);
    refs.current[next]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKey}>
      {tabs.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`${idPrefix}tab-${t.id}`}
          className="tab"
          aria-selected={t.id === current}
          aria-controls={`${idPrefix}panel-${t.id}`}
          tabIndex={t.id === current ? 0 : -1}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
