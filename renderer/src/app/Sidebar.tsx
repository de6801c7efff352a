import { Icon } from '../components/Icon';
import { Kbd } from '../components/Kbd';
import { toggleTheme, useResolvedTheme } from '../state/theme';
import { shortcutsOpen } from '../state/ui';
import { PAGES } from './pages';
import { hrefFor } from './router';
import { WorkspaceSwitcher } from './WorkspaceSwitcher';

export function Sidebar({ current }: { current: string }) {
  const theme = useResolvedTheme();
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Concord</span>
      </div>
      <WorkspaceSwitcher />
      <nav className="nav" aria-label="Pages">
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <a
                className="nav-item"
                href={hrefFor(p.id)}
                aria-current={p.id === current ? 'page' : undefined}
                title={p.description}
              >
                <Icon name={p.icon} />
                <span>{p.title}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="sidebar-footer">
        <button
          type="button"
          className="btn btn-ghost btn-icon"
          onClick={toggleTheme}
          aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        >
          <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm shortcuts-hint"
          onClick={() => shortcutsOpen.set(true)}
          aria-label="Keyboard shortcuts"
        >
          <Icon name="keyboard" />
          <span>Shortcuts</span>
          <Kbd keys="?" />
        </button>
      </div>
    </aside>
  );
}
