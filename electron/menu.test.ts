import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, recentLabels, type MenuActions } from './menu.js';

function actions(): MenuActions {
  return {
    openWorkspace: vi.fn(),
    newWorkspace: vi.fn(),
    importFiles: vi.fn(),
    openRecent: vi.fn(),
    clearRecent: vi.fn(),
    about: vi.fn(),
    openDocs: vi.fn(),
  };
}

function sub(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return (item?.submenu ?? []) as MenuItemConstructorOptions[];
}
const find = (items: MenuItemConstructorOptions[], label: string) => items.find((i) => i.label === label);
const roles = (items: MenuItemConstructorOptions[]) => items.map((i) => i.role).filter(Boolean);

describe('application menu', () => {
  it('has File, Edit, View, Window, Help (and the app menu on macOS)', () => {
    const base = { appName: 'Concord', isDev: false, recent: [], actions: actions() };
    expect(buildMenuTemplate({ ...base, platform: 'linux' }).map((m) => m.label)).toEqual([
      '&File',
      '&Edit',
      '&View',
      '&Window',
      '&Help',
    ]);
    expect(buildMenuTemplate({ ...base, platform: 'darwin' }).map((m) => m.label)).toEqual([
      'Concord',
      '&File',
      '&Edit',
      '&View',
      '&Window',
      '&Help',
    ]);
  });

  it('File offers the workspace, import, recent, close and quit items wired to their actions', () => {
    const a = actions();
    const file = sub(
      buildMenuTemplate({
        appName: 'Concord',
        platform: 'win32',
        isDev: false,
        recent: ['/w/shop.concord'],
        actions: a,
      })[0],
    );
    const labels = file.filter((i) => i.type !== 'separator').map((i) => i.label);
    expect(labels).toEqual([
      'Open Workspace…',
      'New Workspace…',
      'Recent Workspaces',
      'Import Files…',
      'Close Window',
      'Quit',
    ]);
    const click = (label: string) => (find(file, label)!.click as () => void)();
    click('Open Workspace…');
    click('New Workspace…');
    click('Import Files…');
    expect(a.openWorkspace).toHaveBeenCalledOnce();
    expect(a.newWorkspace).toHaveBeenCalledOnce();
    expect(a.importFiles).toHaveBeenCalledOnce();
    expect(find(file, 'Close Window')!.role).toBe('close');
    expect(find(file, 'Quit')!.role).toBe('quit');

    const recent = sub(find(file, 'Recent Workspaces'));
    expect(recent[0]).toMatchObject({ label: 'shop.concord', toolTip: '/w/shop.concord' });
    (recent[0].click as () => void)();
    expect(a.openRecent).toHaveBeenCalledWith('/w/shop.concord');
    (find(recent, 'Clear Recent')!.click as () => void)();
    expect(a.clearRecent).toHaveBeenCalledOnce();
  });

  it('shows an empty recent list as disabled', () => {
    const file = sub(
      buildMenuTemplate({
        appName: 'Concord',
        platform: 'linux',
        isDev: false,
        recent: [],
        actions: actions(),
      })[0],
    );
    const recent = sub(find(file, 'Recent Workspaces'));
    expect(recent[0]).toMatchObject({ label: 'No Recent Workspaces', enabled: false });
    expect(find(recent, 'Clear Recent')!.enabled).toBe(false);
  });

  it('offers the DevTools only in development', () => {
    const view = (isDev: boolean) =>
      sub(
        buildMenuTemplate({
          appName: 'Concord',
          platform: 'linux',
          isDev,
          recent: [],
          actions: actions(),
        })[2],
      );
    expect(roles(view(true))).toContain('toggleDevTools');
    expect(roles(view(false))).not.toContain('toggleDevTools');
    expect(roles(view(false))).toEqual(expect.arrayContaining(['reload', 'resetZoom', 'zoomIn', 'zoomOut']));
  });

  it('Help opens the design docs and About', () => {
    const a = actions();
    const help = sub(
      buildMenuTemplate({ appName: 'Concord', platform: 'linux', isDev: false, recent: [], actions: a })[4],
    );
    (find(help, 'Concord Design Documentation')!.click as () => void)();
    (find(help, 'About Concord')!.click as () => void)();
    expect(a.openDocs).toHaveBeenCalledOnce();
    expect(a.about).toHaveBeenCalledOnce();
  });

  it('labels recent entries by file name, with the folder when names collide, escaping &', () => {
    expect(recentLabels(['/a/x.concord', '/b/x.concord', '/c/y.concord'])).toEqual([
      'x.concord — /a/x.concord',
      'x.concord — /b/x.concord',
      'y.concord',
    ]);
    const file = sub(
      buildMenuTemplate({
        appName: 'Concord',
        platform: 'linux',
        isDev: false,
        recent: ['/w/R&D.concord'],
        actions: actions(),
      })[0],
    );
    expect(sub(find(file, 'Recent Workspaces'))[0].label).toBe('R&&D.concord');
  });
});
