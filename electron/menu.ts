/**
 * The application menu as a template (pure data + callbacks), built here so tests can check it; main.ts turns it
 * into a Menu with Menu.buildFromTemplate and rebuilds it when the recent list changes.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';

export interface MenuActions {
  openWorkspace(): void;
  newWorkspace(): void;
  importFiles(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  about(): void;
  openDocs(): void;
}

export interface MenuOptions {
  appName: string;
  platform: NodeJS.Platform;
  /** Development build (not packaged): offers the DevTools. */
  isDev: boolean;
  recent: readonly string[];
  actions: MenuActions;
}

/** Labels of recent entries: the file name, with the folder when two entries share a name. */
export function recentLabels(paths: readonly string[]): string[] {
  const names = paths.map((p) => basename(p));
  return paths.map((p, i) =>
    names.indexOf(names[i]) !== names.lastIndexOf(names[i]) ? `${names[i]} — ${p}` : names[i],
  );
}

export function buildMenuTemplate({
  appName,
  platform,
  isDev,
  recent,
  actions,
}: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const labels = recentLabels(recent);
  const recentItems: MenuItemConstructorOptions[] =
    recent.length === 0
      ? [{ label: 'No Recent Workspaces', enabled: false }]
      : recent.map((path, i) => ({
          label: labels[i].replace(/&/g, '&&'),
          toolTip: path,
          click: () => actions.openRecent(path),
        }));

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => actions.openWorkspace() },
      { label: 'New Workspace…', accelerator: 'CmdOrCtrl+Shift+N', click: () => actions.newWorkspace() },
      {
        label: 'Recent Workspaces',
        id: 'recent-workspaces',
        submenu: [
          ...recentItems,
          { type: 'separator' },
          { label: 'Clear Recent', enabled: recent.length > 0, click: () => actions.clearRecent() },
        ],
      },
      { type: 'separator' },
      { label: 'Import Files…', accelerator: 'CmdOrCtrl+I', click: () => actions.importFiles() },
      { type: 'separator' },
      { label: 'Close Window', role: 'close', accelerator: 'CmdOrCtrl+W' },
      ...(mac
        ? []
        : [{ type: 'separator' } as const, { label: 'Quit', role: 'quit', accelerator: 'Ctrl+Q' } as const]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      ...(isDev ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const window: MenuItemConstructorOptions = {
    label: '&Window',
    role: 'windowMenu',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };

  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [
      { label: 'Concord Design Documentation', click: () => actions.openDocs() },
      ...(mac
        ? []
        : [{ type: 'separator' } as const, { label: `About ${appName}`, click: () => actions.about() }]),
    ],
  };

  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { label: `About ${appName}`, click: () => actions.about() },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { label: `Quit ${appName}`, role: 'quit' },
    ],
  };

  return mac ? [appMenu, file, edit, view, window, help] : [file, edit, view, window, help];
}
