import type { ReactNode } from 'react';

/** A titled card: the heading (`id` names it for the section's label) with a note beside it, then the content. */
export function Card({
  id,
  title,
  meta,
  metaClassName = 'section-meta',
  className = 'card',
  children,
}: {
  id: string;
  title: string;
  meta?: ReactNode;
  metaClassName?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section className={className} aria-labelledby={id}>
      <header className="section-header">
        <h2 id={id}>{title}</h2>
        {meta !== undefined && <span className={metaClassName}>{meta}</span>}
      </header>
      {children}
    </section>
  );
}
