/**
 * Electron main process (compiled to dist/electron/main.js, ESM). Thin by design (DESIGN.md "Process
 * architecture"): the app lifecycle, one window, menus, native dialogs, recent workspaces and window state, and the
 * worker host. It never touches the workspace itself; API traffic flows page ⇄ worker over a MessagePort.
 *
 * Every security decision lives in security.ts (tested without Electron); desktopApp.ts wires it:
 *   - the page is served from `concord://app/` by appProtocol.ts, with the CSP header
 *   - webPreferences from secureWebPreferences(): sandbox, context isolation, no Node
 *   - every webContents gets the navigation / window.open / webview guards (guardWebContents)
 *   - the session denies all permissions and all requests that would leave the app (guardSession)
 *   - every ipcMain handler is registered through registerTrustedIpc (sender + zod payload checks)
 *
 * ESM main: calls that must precede `ready` (registerSchemesAsPrivileged, the single-instance lock, open-file) run
 * synchronously at module top level, before any await.
 */
import { app, protocol } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DesktopApp } from './desktopApp.js';
import { appPaths } from './paths.js';
import { workspaceFromArgv } from './launchArgs.js';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES } from './security.js';

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
  const desktop = new DesktopApp({ name: APP_NAME, version, paths, isDev, log, warn });
  let ready = false;
  let pendingOpen: string | null = workspaceFromArgv(process.argv, app.isPackaged ? 1 : 2, process.cwd());

  // ---- Events that may arrive before ready ----
  app.on('web-contents-created', (_event, contents) => desktop.guard(contents));
  // macOS: a .concord file opened from Finder or dropped on the Dock icon.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (ready) void desktop.openWorkspace(path, 'open');
    else pendingOpen = path;
  });
  app.on('second-instance', (_event, argv, workingDirectory) => {
    if (!ready) return;
    desktop.focus();
    const ws = workspaceFromArgv(argv, 1, workingDirectory);
    if (ws) void desktop.openWorkspace(ws, 'open');
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => desktop.stop());

  void app.whenReady().then(() => {
    if (pendingOpen && !existsSync(pendingOpen)) {
      log(`workspace ${pendingOpen} does not exist; starting without one`);
      pendingOpen = null;
    }
    desktop.start(pendingOpen);
    pendingOpen = null;
    ready = true;
    app.on('activate', () => desktop.createWindowIfNone());
  });
}
