import type { ReactNode } from 'react';

/**
 * The head of a detail view (a cluster, a product): its title (`id` names it for the view's label, cut short with
 * the whole title on hover), a line of figures under it, then the view's actions on the right.
 */
export function DetailHeader({
  id,
  title,
  sub,
  className,
  children,
}: {
  id: string;
  title: string;
  sub: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <header className={className ? `detail-head ${className}` : 'detail-head'}>
      <div className="detail-title">
        <h2 id={id} title={title}>
          {title}
        </h2>
        <span className="card-sub num">{sub}</span>
      </div>
      <span className="spacer" />
      {children}
    </header>
  );
}
