import type { ReactNode } from 'react';

/** A page's title (the landmark every page focuses), what the page is for, and its actions on the right. */
export function PageHeader({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h1 id="page-title">{title}</h1>
        <p className="page-description">{children}</p>
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
