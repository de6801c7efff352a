/**
 * Every Electron security decision of Concord, in one module that does not import Electron at run time (type-only
 * imports), so electron/security.test.ts can assert each of them without an Electron binary (DESIGN.md "Process
 * architecture", "Electron security"). main.ts only wires these functions to Electron's objects.
 *
 * The model: the renderer is untrusted content in a sandboxed, context-isolated page served from our own
 * privileged scheme `concord://app/`. It may do nothing but talk to the worker through the preload's typed API and
 * ask main for two native dialogs. It may not navigate, open windows, attach webviews, get permissions or load
 * anything from outside the app.
 */
import type { WebPreferences } from 'electron';
import { contentSecurityPolicy } from '../core/api/contract.js';
import { IPC_ARGS, type RendererChannel } from './ipc.js';

export const APP_SCHEME = 'concord';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The Content-Security-Policy of every page (sent as a header by the app protocol, see appProtocol.ts). */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** The privileges of `concord://` (registerSchemesAsPrivileged): a standard, secure origin, like https. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
  // Deliberately not: bypassCSP, corsEnabled, allowServiceWorkers, stream.
} as const;

/** webPreferences of every BrowserWindow Concord creates. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    experimentalFeatures: false,
    // A file dropped outside the app's drop zone must not navigate the window to file://.
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True for a URL of the app itself (`concord://app/...`). Compared by scheme and host rather than `URL.origin`,
 * because WHATWG URL gives non-special schemes an opaque origin in Node.
 */
export function isAppUrl(url: string): boolean {
  const u = parseUrl(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.host === APP_HOST &&
    u.username === '' &&
    u.password === ''
  );
}

/** Navigation (`will-navigate`, `will-frame-navigate`, `will-redirect`): only within the app's own origin. */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/** A link that may be handed to the system browser: plain http(s), no credentials, no local or odd schemes. */
export function isSafeExternalUrl(url: string): boolean {
  const u = parseUrl(url);
  if (!u) return false;
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
  if (u.username !== '' || u.password !== '') return false;
  return u.hostname !== '';
}

/** `setWindowOpenHandler`: Concord never opens a second renderer window; safe links go to the system browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isSafeExternalUrl(url) };
}

/** Permission requests and checks (camera, notifications, clipboard-read, geolocation, …): all denied. */
export function isPermissionGranted(_permission: string): boolean {
  return false;
}

/**
 * Network requests of the app's session (`webRequest.onBeforeRequest`): nothing leaves the machine. The app's own
 * scheme, in-memory data/blob URLs and DevTools' own pages pass; every network or file:// request is cancelled.
 * (The CSP already forbids them; this also covers requests the CSP does not see.)
 */
export function isRequestAllowed(url: string): boolean {
  if (isAppUrl(url)) return true;
  const u = parseUrl(url);
  if (!u) return false;
  return u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:';
}

export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/**
 * IPC sender validation, applied to every `ipcMain` handler: the message must come from the top frame (not an
 * iframe) of a window Concord created, showing the app's own origin. `senderFrame` is null when the frame has
 * navigated away or been destroyed since sending; that is refused too.
 */
export function isTrustedSender(
  frame: FrameLike | null | undefined,
  webContentsId: number,
  trustedWebContents: ReadonlySet<number>,
): boolean {
  if (!frame) return false;
  if (frame.parent !== null) return false;
  if (!trustedWebContents.has(webContentsId)) return false;
  return isAppUrl(frame.url);
}

export type IpcCheck = { ok: true; args: unknown[] } | { ok: false; reason: string };

/** Checks one renderer → main message: a known channel, from a trusted sender, with a payload its schema accepts. */
export function checkIpcMessage(
  channel: string,
  event: { readonly sender: { readonly id: number }; readonly senderFrame: FrameLike | null },
  args: unknown[],
  trustedWebContents: ReadonlySet<number>,
): IpcCheck {
  if (!Object.prototype.hasOwnProperty.call(IPC_ARGS, channel))
    return { ok: false, reason: `unknown channel ${channel}` };
  if (!isTrustedSender(event.senderFrame, event.sender.id, trustedWebContents)) {
    return { ok: false, reason: `untrusted sender ${event.senderFrame?.url ?? '(no frame)'} on ${channel}` };
  }
  const parsed = IPC_ARGS[channel as RendererChannel].safeParse(args);
  if (!parsed.success)
    return {
      ok: false,
      reason: `bad payload on ${channel}: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    };
  return { ok: true, args: parsed.data };
}

// ---- Wiring helpers. They take Electron's objects through the small interfaces below, so the tests drive them
// with plain fakes and main.ts passes the real ones.

export interface IpcEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}

type InvokeHandler = (event: IpcEventLike, ...args: never[]) => unknown;
type SendHandler = (event: IpcEventLike, ...args: never[]) => void;

/**
 * Registers main's IPC handlers so that each one runs only after `checkIpcMessage` passed. A refused invoke
 * rejects in the renderer with a generic error; a refused send is dropped. Both are reported through `warn`.
 */
export function registerTrustedIpc(
  ipc: IpcMainLike,
  trustedWebContents: ReadonlySet<number>,
  handlers: {
    invoke: Partial<Record<RendererChannel, InvokeHandler>>;
    send: Partial<Record<RendererChannel, SendHandler>>;
  },
  warn: (message: string) => void,
): void {
  for (const [channel, handler] of Object.entries(handlers.invoke) as [RendererChannel, InvokeHandler][]) {
    ipc.handle(channel, (event, ...args) => {
      const check = checkIpcMessage(channel, event, args, trustedWebContents);
      if (!check.ok) {
        warn(`IPC refused: ${check.reason}`);
        throw new Error('Refused by Concord: this request is not allowed.');
      }
      return handler(event, ...(check.args as never[]));
    });
  }
  for (const [channel, handler] of Object.entries(handlers.send) as [RendererChannel, SendHandler][]) {
    ipc.on(channel, (event, ...args) => {
      const check = checkIpcMessage(channel, event, args, trustedWebContents);
      if (!check.ok) {
        warn(`IPC refused: ${check.reason}`);
        return;
      }
      handler(event, ...(check.args as never[]));
    });
  }
}

export interface NavigationEventLike {
  readonly url: string;
  preventDefault(): void;
}

export interface GuardableWebContents {
  on(
    event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect',
    listener: (details: NavigationEventLike) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Applies the navigation guard, the window.open handler and the webview block to one webContents. Main calls it
 * for every webContents created (app `web-contents-created`), not only for its own window.
 */
export function guardWebContents(
  contents: GuardableWebContents,
  openExternal: (url: string) => void,
  warn: (message: string) => void,
): void {
  const guard = (kind: string) => (details: NavigationEventLike) => {
    if (isNavigationAllowed(details.url)) return;
    details.preventDefault();
    warn(`${kind} to ${details.url} blocked`);
    // A plain web link the user clicked still opens, in the system browser, outside the app.
    if (kind === 'will-navigate' && isSafeExternalUrl(details.url)) openExternal(details.url);
  };
  contents.on('will-navigate', guard('will-navigate'));
  contents.on('will-frame-navigate', guard('will-frame-navigate'));
  contents.on('will-redirect', guard('will-redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    warn('<webview> blocked');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) openExternal(url);
    else warn(`window.open(${url}) blocked`);
    return { action: decision.action };
  });
}

export interface GuardableSession {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  webRequest: {
    onBeforeRequest(
      listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void,
    ): void;
  };
}

/** Denies every permission and cancels every request that would leave the app (see isRequestAllowed). */
export function guardSession(session: GuardableSession, warn: (message: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    const granted = isPermissionGranted(permission);
    if (!granted) warn(`permission ${permission} denied`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission));
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isRequestAllowed(details.url);
    if (!allowed) warn(`request to ${details.url} cancelled`);
    callback({ cancel: !allowed });
  });
}
