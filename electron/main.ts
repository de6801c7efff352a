/**
 * Electron main process (compiled to dist/electron/main.js, ESM). Thin by design (DESIGN.md "Process
 * architecture"): the app lifecycle, one window, menus, native dialogs, recent workspaces and window state, and the
 * worker host. It never touches the workspace itself; API traffic flows page ⇄ worker over a MessagePort.
 *
 * Every security decision lives in security.ts (tested without Electron); this file only wires it:
 *   - the page is served from `concord://app/` by appProtocol.ts, with the CSP header
 *   - webPreferences from secureWebPreferences(): sandbox, context isolation, no Node
 *   - every webContents gets the navigation / window.open / webview guards (guardWebContents)
 *   - the session denies all permissions and all requests that would leave the app (guardSession)
 *   - every ipcMain handler is registered through registerTrustedIpc (sender + zod payload checks)
 *
 * ESM main: calls that must precede `ready` (registerSchemesAsPrivileged, the single-instance lock, open-file) run
 * synchronously at module top level, before any await.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  nativeTheme,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
  webContents,
  type MessagePortMain,
  type WebContents,
} from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DEFAULT_CHANNEL_BY_FORMAT, FormatSchema, type ApiError } from '../core/api/contract.js';
import { appPaths } from './paths.js';
import { serveAppRequest } from './appProtocol.js';
import {
  createWorkspaceDialog,
  importFilesDialog,
  openWorkspaceDialog,
  withWorkspaceExtension,
} from './dialogOptions.js';
import { IPC, NoticeEventSchema, type WorkspaceDialogMode } from './ipc.js';
import { workspaceFromArgv } from './launchArgs.js';
import { buildMenuTemplate } from './menu.js';
import { RecentWorkspaces } from './recentWorkspaces.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  guardSession,
  guardWebContents,
  isSafeExternalUrl,
  registerTrustedIpc,
  secureWebPreferences,
} from './security.js';
import { WorkerHost, type ClientWindow } from './workerHost.js';
import { loadWindowState, MIN_WINDOW_SIZE, saveWindowState, stateFromWindow } from './windowState.js';

const APP_NAME = 'Concord';
const paths = appPaths(import.meta.url);
const isDev = !app.isPackaged;
const version = readVersion();

function log(message: string): void {
  console.log(`[concord] ${message}`);
}
function warn(message: string): void {
  console.warn(`[concord] security: ${message}`);
}

function readVersion(): string {
  try {
    return (
      (JSON.parse(readFileSync(join(paths.root, 'package.json'), 'utf8')) as { version?: string }).version ??
      app.getVersion()
    );
  } catch {
    return app.getVersion();
  }
}

// ---- Before ready (synchronous, top level) ----

app.setName(APP_NAME);
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();
if (process.platform === 'win32') app.setAppUserModelId('dev.concord.app');

const gotLock = app.requestSingleInstanceLock();
if (!gotLock) {
  app.quit();
} else {
  run();
}

function run(): void {
  const userData = app.getPath('userData');
  const recent = new RecentWorkspaces(join(userData, 'recent-workspaces.json'));
  const windowStateFile = join(userData, 'window-state.json');
  /** webContents ids of the windows Concord created: the only IPC senders it trusts. */
  const trusted = new Set<number>();
  let mainWindow: BrowserWindow | null = null;
  let ready = false;
  let pendingOpen: string | null = workspaceFromArgv(process.argv, app.isPackaged ? 1 : 2, process.cwd());

  const host = new WorkerHost<MessagePortMain>(paths.worker, {
    fork: (modulePath, args) => {
      // env defaults to main's environment: provider settings and CUDA/DirectML library paths reach the worker.
      const child = utilityProcess.fork(modulePath, args, {
        serviceName: 'Concord worker',
        stdio: 'inherit',
      });
      return {
        postMessage: (message, transfer) => child.postMessage(message, transfer),
        kill: () => {
          child.kill();
        },
        onExit: (listener) => {
          child.on('exit', listener);
        },
      };
    },
    newChannel: () => {
      const { port1, port2 } = new MessageChannelMain();
      return { port1, port2 };
    },
    openPort: (port, onMessage) => {
      port.on('message', (event) => onMessage(event.data));
      port.start();
      return { post: (message) => port.postMessage(message), close: () => port.close() };
    },
    exists: existsSync,
    log,
  });

  function clientWindow(contents: WebContents): ClientWindow<MessagePortMain> {
    return {
      id: contents.id,
      isDestroyed: () => contents.isDestroyed(),
      postPort: (port) => contents.postMessage(IPC.port, null, [port]),
      sendNotice: (event) => contents.send(IPC.notice, NoticeEventSchema.parse(event)),
    };
  }

  function focusedWindow(): BrowserWindow | null {
    return BrowserWindow.getFocusedWindow() ?? mainWindow;
  }

  /** The window whose page sent an IPC message (dialogs are modal to it). */
  function ownerWindow(webContentsId: number): BrowserWindow | null {
    const contents = webContents.fromId(webContentsId);
    return (contents && BrowserWindow.fromWebContents(contents)) ?? focusedWindow();
  }

  function defaultFolder(): string {
    const ws = host.currentWorkspace;
    return ws ? dirname(ws) : app.getPath('documents');
  }

  function describe(err: unknown): string {
    if (err && typeof err === 'object' && 'message' in err) return String((err as ApiError).message);
    return String(err);
  }

  async function showError(title: string, err: unknown): Promise<void> {
    const win = focusedWindow();
    const options = { type: 'error' as const, title, message: title, detail: describe(err), buttons: ['OK'] };
    await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
  }

  async function showInfo(title: string, detail: string): Promise<void> {
    const win = focusedWindow();
    const options = { type: 'info' as const, title, message: title, detail, buttons: ['OK'] };
    await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
  }

  function rebuildMenu(): void {
    const template = buildMenuTemplate({
      appName: APP_NAME,
      platform: process.platform,
      isDev,
      recent: recent.list(),
      actions: {
        openWorkspace: () => void pickAndOpen('open'),
        newWorkspace: () => void pickAndOpen('create'),
        importFiles: () => void importFiles(),
        openRecent: (path) => void openRecent(path),
        clearRecent: () => {
          recent.clear();
          app.clearRecentDocuments();
          rebuildMenu();
        },
        about: () => void about(),
        openDocs: () => void openDocs(),
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  /** A workspace was chosen: remember it (menu, OS recent documents) and reopen it after a worker restart. */
  function rememberWorkspace(path: string): void {
    host.setWorkspace(path);
    recent.add(path);
    app.addRecentDocument(path);
    rebuildMenu();
    mainWindow?.setTitle(`${basename(path)} — ${APP_NAME}`);
  }

  async function pickWorkspacePath(
    mode: WorkspaceDialogMode,
    win: BrowserWindow | null,
  ): Promise<string | null> {
    if (mode === 'open') {
      const options = openWorkspaceDialog(defaultFolder());
      const r = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
    }
    const options = createWorkspaceDialog(join(defaultFolder(), 'Untitled.concord'));
    const r = await (win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options));
    return r.canceled || !r.filePath ? null : withWorkspaceExtension(r.filePath);
  }

  /**
   * Opens or creates a workspace from main (menu, recent list, second instance, open-file) through main's control
   * connection to the worker, then reloads the page so every view starts from the new workspace (as VS Code
   * reloads its window when a folder is opened).
   */
  async function openWorkspace(path: string, mode: WorkspaceDialogMode): Promise<void> {
    if (!host.running) {
      if (mode === 'open') host.setWorkspace(path);
      host.restartAfterCrashLoop();
      if (!host.running) return; // the notice says why
    }
    try {
      const info = await host.request(mode === 'open' ? 'workspace.open' : 'workspace.create', { path });
      rememberWorkspace(info.path);
      mainWindow?.webContents.reload();
    } catch (err) {
      await showError(
        mode === 'open' ? `Could not open ${basename(path)}` : `Could not create ${basename(path)}`,
        err,
      );
    }
  }

  async function pickAndOpen(mode: WorkspaceDialogMode): Promise<void> {
    const path = await pickWorkspacePath(mode, focusedWindow());
    if (path) await openWorkspace(path, mode);
  }

  async function openRecent(path: string): Promise<void> {
    if (!existsSync(path)) {
      recent.remove(path);
      rebuildMenu();
      await showError(
        `${basename(path)} is no longer there`,
        `${path} was moved or deleted; it was removed from Recent Workspaces.`,
      );
      return;
    }
    await openWorkspace(path, 'open');
  }

  /**
   * File ▸ Import Files…: each picked file is previewed by the worker and imported as a job on the default channel
   * of its detected format (the contract's DEFAULT_CHANNEL_BY_FORMAT, as the Import page). The jobs show in the
   * page's job list like any other. Files whose format cannot be detected are listed for the Import page, which
   * lets the user choose the format and mapping.
   */
  async function importFiles(): Promise<void> {
    try {
      if (!host.running) throw new Error('The worker process is not running.');
      const current = await host.request('workspace.current', {});
      if (!current) {
        await showInfo(
          'No workspace is open',
          'Open or create a workspace first (File ▸ Open Workspace… or New Workspace…).',
        );
        return;
      }
      const win = focusedWindow();
      const options = importFilesDialog();
      const picked = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
      if (picked.canceled || picked.filePaths.length === 0) return;
      const skipped: string[] = [];
      let started = 0;
      for (const file of picked.filePaths) {
        const preview = await host.request('import.preview', { file: { path: file } });
        const format = FormatSchema.safeParse(preview.format);
        if (preview.error || !format.success) {
          skipped.push(`${basename(file)}: ${preview.error?.message ?? 'its format was not recognised'}`);
          continue;
        }
        await host.request('import.start', {
          file: { path: file },
          channel: DEFAULT_CHANNEL_BY_FORMAT[format.data],
          format: format.data,
        });
        started++;
      }
      if (skipped.length > 0) {
        await showInfo(
          `${skipped.length} of ${picked.filePaths.length} files not imported`,
          `${skipped.join('\n')}\n\nUse the Import page to choose the format or column mapping for these.` +
            (started > 0 ? `\n\n${started} import job(s) started.` : ''),
        );
      }
    } catch (err) {
      await showError('Import failed', err);
    }
  }

  async function about(): Promise<void> {
    await showInfo(
      `${APP_NAME} ${version}`,
      [
        'Makes an omnichannel store consistent. Everything stays on this machine.',
        '',
        `Electron ${process.versions.electron}`,
        `Chromium ${process.versions.chrome}`,
        `Node ${process.versions.node}`,
        `Workspace: ${host.currentWorkspace ?? 'none'}`,
      ].join('\n'),
    );
  }

  /** Help ▸ Concord Design Documentation: DESIGN.md (or the README) in the system's viewer, outside the app. */
  async function openDocs(): Promise<void> {
    const candidates = [
      join(paths.root, 'DESIGN.md'),
      join(paths.root, 'docs', 'DESIGN.md'),
      join(paths.root, '..', 'shared', 'DESIGN.md'),
      join(paths.root, 'electron', 'README.md'),
      join(paths.root, 'README.md'),
    ];
    const doc = candidates.find((c) => existsSync(c));
    if (!doc) {
      await showInfo('Documentation not found', 'DESIGN.md is not part of this installation.');
      return;
    }
    const error = await shell.openPath(doc);
    if (error) await showError('Could not open the documentation', `${doc}: ${error}`);
  }

  function openExternal(url: string): void {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
  }

  function createWindow(): BrowserWindow {
    const state = loadWindowState(
      windowStateFile,
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const win = new BrowserWindow({
      width: state.width,
      height: state.height,
      ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
      minWidth: MIN_WINDOW_SIZE.width,
      minHeight: MIN_WINDOW_SIZE.height,
      title: host.currentWorkspace ? `${basename(host.currentWorkspace)} — ${APP_NAME}` : APP_NAME,
      show: false,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1e1e' : '#ffffff',
      webPreferences: secureWebPreferences(paths.preload),
    });
    const id = win.webContents.id;
    trusted.add(id);

    win.once('ready-to-show', () => {
      if (state.maximized) win.maximize();
      win.show();
    });
    // The page keeps its own title only when no workspace name was set by main.
    win.on('page-title-updated', (event) => {
      if (host.currentWorkspace) event.preventDefault();
    });

    let saveTimer: ReturnType<typeof setTimeout> | null = null;
    const saveState = () => {
      if (win.isDestroyed()) return;
      try {
        saveWindowState(windowStateFile, stateFromWindow(win.getNormalBounds(), win.isMaximized()));
      } catch (err) {
        log(`could not save the window state: ${describe(err)}`);
      }
    };
    const saveSoon = () => {
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = setTimeout(saveState, 500);
    };
    win.on('resize', saveSoon);
    win.on('move', saveSoon);
    win.on('maximize', saveSoon);
    win.on('unmaximize', saveSoon);
    win.on('close', () => {
      if (saveTimer) clearTimeout(saveTimer);
      saveState();
    });
    win.on('closed', () => {
      trusted.delete(id);
      host.disconnect(id);
      if (mainWindow === win) mainWindow = null;
    });
    win.webContents.on('render-process-gone', (_event, details) => {
      log(`renderer gone (${details.reason}, exit code ${details.exitCode})`);
    });
    win.webContents.on('preload-error', (_event, preloadPath, error) => {
      log(`preload ${preloadPath} failed: ${error.message}`);
    });
    if (!isDev) {
      win.webContents.on('devtools-opened', () => win.webContents.closeDevTools());
    }

    void win.loadURL(APP_ENTRY_URL);
    mainWindow = win;
    return win;
  }

  // ---- Events that may arrive before ready ----

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternal, warn));

  // macOS: a .concord file opened from Finder or dropped on the Dock icon.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (ready) void openWorkspace(path, 'open');
    else pendingOpen = path;
  });

  app.on('second-instance', (_event, argv, workingDirectory) => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    } else if (ready) {
      createWindow();
    }
    const ws = workspaceFromArgv(argv, 1, workingDirectory);
    if (ws && ready) void openWorkspace(ws, 'open');
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => host.stop());

  void app.whenReady().then(() => {
    guardSession(session.defaultSession, warn);
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, paths.rendererDist));

    registerTrustedIpc(
      ipcMain,
      trusted,
      {
        send: {
          [IPC.connect]: (event) => {
            const contents = webContents.fromId(event.sender.id);
            if (contents) host.connect(clientWindow(contents));
          },
        },
        invoke: {
          [IPC.pickFiles]: async (event) => {
            const owner = ownerWindow(event.sender.id);
            const options = importFilesDialog();
            const r = await (owner ? dialog.showOpenDialog(owner, options) : dialog.showOpenDialog(options));
            return r.canceled ? [] : r.filePaths;
          },
          [IPC.pickWorkspace]: async (event, mode: WorkspaceDialogMode) => {
            const path = await pickWorkspacePath(mode, ownerWindow(event.sender.id));
            // The page opens/creates it through the API; main remembers it for the menu and for worker restarts.
            if (path) rememberWorkspace(path);
            return path;
          },
        },
      },
      warn,
    );

    if (!existsSync(paths.preload)) log(`${paths.preload} is missing: run \`npm run build:electron\``);
    if (!existsSync(join(paths.rendererDist, 'index.html')))
      log(`${paths.rendererDist} has no index.html: run \`npm run build:renderer\``);

    let initial: string | null = null;
    if (pendingOpen) {
      if (existsSync(pendingOpen)) initial = pendingOpen;
      else log(`workspace ${pendingOpen} does not exist; starting without one`);
      pendingOpen = null;
    }
    if (initial) {
      host.setWorkspace(initial);
      recent.add(initial);
      app.addRecentDocument(initial);
    }
    host.start();
    rebuildMenu();
    createWindow();
    ready = true;

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });
}
