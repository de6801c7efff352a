/**
 * What the Electron main process does once it holds the single-instance lock: the worker host, the window, the
 * menu and its actions (open, create, recent workspaces, import files, about, documentation) and the trusted IPC
 * handlers. main.ts creates one DesktopApp and routes Electron's app events to it.
 */
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  protocol,
  session,
  shell,
  webContents,
  type WebContents,
} from 'electron';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AppPaths } from './paths.js';
import { serveAppRequest } from './appProtocol.js';
import { importPickedFiles } from './importFiles.js';
import { IPC, type WorkspaceDialogMode } from './ipc.js';
import { createMainWindow } from './mainWindow.js';
import { buildMenuTemplate } from './menu.js';
import { pickImportFiles, pickWorkspacePath, showError, showInfo } from './nativeDialogs.js';
import { RecentWorkspaces } from './recentWorkspaces.js';
import {
  APP_SCHEME,
  guardSession,
  guardWebContents,
  isSafeExternalUrl,
  registerTrustedIpc,
} from './security.js';
import { clientWindow, startWorkerHost } from './workerProcess.js';

export interface DesktopAppOptions {
  name: string;
  version: string;
  paths: AppPaths;
  isDev: boolean;
  log(message: string): void;
  warn(message: string): void;
}

export class DesktopApp {
  private readonly userData = app.getPath('userData');
  private readonly recent = new RecentWorkspaces(join(this.userData, 'recent-workspaces.json'));
  /** webContents ids of the windows Concord created: the only IPC senders it trusts. */
  private readonly trusted = new Set<number>();
  private readonly host;
  private mainWindow: BrowserWindow | null = null;

  constructor(private readonly o: DesktopAppOptions) {
    this.host = startWorkerHost(o.paths.worker, o.log);
  }

  /** Called once Electron is ready: session guards, the app protocol, IPC, the worker, menu and window. */
  start(initialWorkspace: string | null): void {
    guardSession(session.defaultSession, this.o.warn);
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, this.o.paths.rendererDist));
    this.registerIpc();
    this.reportMissingBuilds();
    if (initialWorkspace) {
      this.host.setWorkspace(initialWorkspace);
      this.recent.add(initialWorkspace);
      app.addRecentDocument(initialWorkspace);
    }
    this.host.start();
    this.rebuildMenu();
    this.createWindow();
  }

  stop(): void {
    this.host.stop();
  }

  guard(contents: WebContents): void {
    guardWebContents(contents, (url) => this.openExternal(url), this.o.warn);
  }

  /** A second launch: bring the window back (or make one) and open the workspace it named. */
  focus(): void {
    if (this.mainWindow) {
      if (this.mainWindow.isMinimized()) this.mainWindow.restore();
      this.mainWindow.focus();
    } else {
      this.createWindow();
    }
  }

  createWindowIfNone(): void {
    if (BrowserWindow.getAllWindows().length === 0) this.createWindow();
  }

  /**
   * Opens or creates a workspace from main (menu, recent list, second instance, open-file) through main's control
   * connection to the worker, then reloads the page so every view starts from the new workspace (as VS Code
   * reloads its window when a folder is opened).
   */
  async openWorkspace(path: string, mode: WorkspaceDialogMode): Promise<void> {
    if (!this.host.running) {
      if (mode === 'open') this.host.setWorkspace(path);
      this.host.restartAfterCrashLoop();
      if (!this.host.running) return; // the notice says why
    }
    try {
      const info = await this.host.request(mode === 'open' ? 'workspace.open' : 'workspace.create', { path });
      this.rememberWorkspace(info.path);
      this.mainWindow?.webContents.reload();
    } catch (err) {
      await showError(this.focusedWindow(), `Could not ${mode} ${basename(path)}`, err);
    }
  }

  private focusedWindow(): BrowserWindow | null {
    return BrowserWindow.getFocusedWindow() ?? this.mainWindow;
  }

  /** The window whose page sent an IPC message (dialogs are modal to it). */
  private ownerWindow(webContentsId: number): BrowserWindow | null {
    const contents = webContents.fromId(webContentsId);
    return (contents && BrowserWindow.fromWebContents(contents)) ?? this.focusedWindow();
  }

  private defaultFolder(): string {
    const ws = this.host.currentWorkspace;
    return ws ? dirname(ws) : app.getPath('documents');
  }

  private registerIpc(): void {
    registerTrustedIpc(
      ipcMain,
      this.trusted,
      {
        send: {
          [IPC.connect]: (event) => {
            const contents = webContents.fromId(event.sender.id);
            if (contents) this.host.connect(clientWindow(contents));
          },
        },
        invoke: {
          [IPC.pickFiles]: (event) => pickImportFiles(this.ownerWindow(event.sender.id)),
          [IPC.pickWorkspace]: async (event, mode: WorkspaceDialogMode) => {
            const path = await pickWorkspacePath(
              mode,
              this.ownerWindow(event.sender.id),
              this.defaultFolder(),
            );
            // The page opens/creates it through the API; main remembers it for the menu and for worker restarts.
            if (path) this.rememberWorkspace(path);
            return path;
          },
        },
      },
      this.o.warn,
    );
  }

  private reportMissingBuilds(): void {
    const { preload, rendererDist } = this.o.paths;
    if (!existsSync(preload)) this.o.log(`${preload} is missing: run \`npm run build:electron\``);
    if (!existsSync(join(rendererDist, 'index.html')))
      this.o.log(`${rendererDist} has no index.html: run \`npm run build:renderer\``);
  }

  private rebuildMenu(): void {
    const template = buildMenuTemplate({
      appName: this.o.name,
      platform: process.platform,
      isDev: this.o.isDev,
      recent: this.recent.list(),
      actions: {
        openWorkspace: () => void this.pickAndOpen('open'),
        newWorkspace: () => void this.pickAndOpen('create'),
        importFiles: () => void this.importFiles(),
        openRecent: (path) => void this.openRecent(path),
        clearRecent: () => {
          this.recent.clear();
          app.clearRecentDocuments();
          this.rebuildMenu();
        },
        about: () => void this.about(),
        openDocs: () => void this.openDocs(),
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  /** A workspace was chosen: remember it (menu, OS recent documents) and reopen it after a worker restart. */
  private rememberWorkspace(path: string): void {
    this.host.setWorkspace(path);
    this.recent.add(path);
    app.addRecentDocument(path);
    this.rebuildMenu();
    this.mainWindow?.setTitle(`${basename(path)} — ${this.o.name}`);
  }

  private async pickAndOpen(mode: WorkspaceDialogMode): Promise<void> {
    const path = await pickWorkspacePath(mode, this.focusedWindow(), this.defaultFolder());
    if (path) await this.openWorkspace(path, mode);
  }

  private async openRecent(path: string): Promise<void> {
    if (!existsSync(path)) {
      this.recent.remove(path);
      this.rebuildMenu();
      await showError(
        this.focusedWindow(),
        `${basename(path)} is no longer there`,
        `${path} was moved or deleted; it was removed from Recent Workspaces.`,
      );
      return;
    }
    await this.openWorkspace(path, 'open');
  }

  /** File ▸ Import Files…; files whose format is not detected are left for the Import page (it says which). */
  private async importFiles(): Promise<void> {
    const win = this.focusedWindow();
    try {
      if (!this.host.running) throw new Error('The worker process is not running.');
      if (!(await this.host.request('workspace.current', {}))) {
        await showInfo(
          win,
          'No workspace is open',
          'Open or create a workspace first (File ▸ Open Workspace… or New Workspace…).',
        );
        return;
      }
      const files = await pickImportFiles(win);
      if (files.length === 0) return;
      const { started, skipped } = await importPickedFiles((m, p) => this.host.request(m, p), files);
      if (skipped.length > 0) {
        await showInfo(
          win,
          `${skipped.length} of ${files.length} files not imported`,
          `${skipped.join('\n')}\n\nUse the Import page to choose the format or column mapping for these.` +
            (started > 0 ? `\n\n${started} import job(s) started.` : ''),
        );
      }
    } catch (err) {
      await showError(win, 'Import failed', err);
    }
  }

  private async about(): Promise<void> {
    await showInfo(
      this.focusedWindow(),
      `${this.o.name} ${this.o.version}`,
      [
        'Makes an omnichannel store consistent. Everything stays on this machine.',
        '',
        `Electron ${process.versions.electron}`,
        `Chromium ${process.versions.chrome}`,
        `Node ${process.versions.node}`,
        `Workspace: ${this.host.currentWorkspace ?? 'none'}`,
      ].join('\n'),
    );
  }

  /** Help ▸ Concord Design Documentation: DESIGN.md (or the README) in the system's viewer, outside the app. */
  private async openDocs(): Promise<void> {
    const root = this.o.paths.root;
    const candidates = [
      join(root, 'DESIGN.md'),
      join(root, 'docs', 'DESIGN.md'),
      join(root, '..', 'shared', 'DESIGN.md'),
      join(root, 'electron', 'README.md'),
      join(root, 'README.md'),
    ];
    const doc = candidates.find((c) => existsSync(c));
    const win = this.focusedWindow();
    if (!doc) return showInfo(win, 'Documentation not found', 'DESIGN.md is not part of this installation.');
    const error = await shell.openPath(doc);
    if (error) await showError(win, 'Could not open the documentation', `${doc}: ${error}`);
  }

  private openExternal(url: string): void {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
  }

  private createWindow(): void {
    const ws = this.host.currentWorkspace;
    const win = createMainWindow({
      title: ws ? `${basename(ws)} — ${this.o.name}` : this.o.name,
      preload: this.o.paths.preload,
      windowStateFile: join(this.userData, 'window-state.json'),
      isDev: this.o.isDev,
      keepTitle: () => Boolean(this.host.currentWorkspace),
      onClosed: (id) => {
        this.trusted.delete(id);
        this.host.disconnect(id);
        if (this.mainWindow === win) this.mainWindow = null;
      },
      log: this.o.log,
    });
    this.trusted.add(win.webContents.id);
    this.mainWindow = win;
  }
}
