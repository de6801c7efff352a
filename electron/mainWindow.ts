/**
 * The app window: hardened webPreferences (security.ts), size and position restored and saved (windowState.ts),
 * shown once ready, DevTools closed in packaged builds.
 */
import { BrowserWindow, nativeTheme, screen } from 'electron';
import { APP_ENTRY_URL, secureWebPreferences } from './security.js';
import { loadWindowState, MIN_WINDOW_SIZE, saveWindowState, stateFromWindow } from './windowState.js';

export interface MainWindowOptions {
  title: string;
  preload: string;
  windowStateFile: string;
  isDev: boolean;
  /** True while main sets the title (a workspace is open): the page may not override it. */
  keepTitle(): boolean;
  onClosed(webContentsId: number): void;
  log(message: string): void;
}

export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const state = loadWindowState(
    o.windowStateFile,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: o.title,
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1e1e' : '#ffffff',
    webPreferences: secureWebPreferences(o.preload),
  });
  const id = win.webContents.id;

  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  win.on('page-title-updated', (event) => {
    if (o.keepTitle()) event.preventDefault();
  });
  persistWindowState(win, o.windowStateFile, o.log);
  win.on('closed', () => o.onClosed(id));
  win.webContents.on('render-process-gone', (_event, details) => {
    o.log(`renderer gone (${details.reason}, exit code ${details.exitCode})`);
  });
  win.webContents.on('preload-error', (_event, preloadPath, error) => {
    o.log(`preload ${preloadPath} failed: ${error.message}`);
  });
  if (!o.isDev) win.webContents.on('devtools-opened', () => win.webContents.closeDevTools());

  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/** Saves bounds and maximized state half a second after the last move or resize, and on close. */
function persistWindowState(win: BrowserWindow, file: string, log: (message: string) => void): void {
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  const save = () => {
    if (win.isDestroyed()) return;
    try {
      saveWindowState(file, stateFromWindow(win.getNormalBounds(), win.isMaximized()));
    } catch (err) {
      log(`could not save the window state: ${String((err as Error)?.message ?? err)}`);
    }
  };
  const saveSoon = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 500);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('maximize', saveSoon);
  win.on('unmaximize', saveSoon);
  win.on('close', () => {
    if (saveTimer) clearTimeout(saveTimer);
    save();
  });
}
