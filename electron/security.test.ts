// Electron security decisions (DESIGN.md "Electron security"), asserted without an Electron binary: security.ts
// has no runtime Electron import, and the wiring helpers are driven with plain fakes of webContents, session and
// ipcMain.
import { describe, expect, it, vi } from 'vitest';
import { IPC } from './ipc.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  checkIpcMessage,
  guardSession,
  guardWebContents,
  isAppUrl,
  isNavigationAllowed,
  isPermissionGranted,
  isRequestAllowed,
  isSafeExternalUrl,
  isTrustedSender,
  registerTrustedIpc,
  secureWebPreferences,
  windowOpenDecision,
  type GuardableSession,
  type GuardableWebContents,
  type IpcEventLike,
  type IpcMainLike,
  type NavigationEventLike,
} from './security.js';

describe('webPreferences', () => {
  const prefs = secureWebPreferences('/app/dist/electron/preload.cjs');

  it('isolates and sandboxes the renderer, with no Node', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and the risky features off', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.spellcheck).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('loads the bundled preload', () => {
    expect(prefs.preload).toBe('/app/dist/electron/preload.cjs');
  });

  it('registers the app scheme as secure and standard, without bypassing CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('corsEnabled');
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('is the documented policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
  });

  it('names no remote origin and no wildcard in any directive', () => {
    for (const [name, values] of directives) {
      for (const v of values) {
        expect(v, `${name} ${v}`).not.toMatch(/^(https?:|wss?:|\*|http|\/\/)/);
        expect(v, `${name} ${v}`).not.toContain('*');
        expect(["'self'", "'none'", "'unsafe-inline'", 'data:', 'blob:']).toContain(v);
      }
    }
  });

  it('allows no eval and no inline script', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval');
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });

  it('locks objects, base, framing and forms', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });
});

describe('navigation', () => {
  it('allows the app origin', () => {
    expect(isNavigationAllowed(APP_ENTRY_URL)).toBe(true);
    expect(isNavigationAllowed('concord://app/')).toBe(true);
    expect(isNavigationAllowed('concord://app/index.html#/gaps')).toBe(true);
  });

  it('denies everything else', () => {
    for (const url of [
      'https://evil.example',
      'https://evil.example/concord://app/',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'concord://evil/index.html',
      'concord://user@app/index.html',
      'concord://app.evil.example/',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'chrome://settings',
      'not a url',
      '',
    ]) {
      expect(isNavigationAllowed(url), url).toBe(false);
    }
  });

  it('recognises the app only by scheme and host', () => {
    expect(isAppUrl('concord://app/assets/index.js?v=1#x')).toBe(true);
    expect(isAppUrl('concord://app:80/')).toBe(false);
  });
});

describe('window.open and external links', () => {
  it('denies every window.open', () => {
    for (const url of [
      'https://example.org/docs',
      'concord://app/index.html',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      expect(windowOpenDecision(url).action).toBe('deny');
    }
  });

  it('hands only plain http(s) links to the system browser', () => {
    expect(windowOpenDecision('https://example.org/docs').openExternally).toBe(true);
    expect(windowOpenDecision('http://example.org/').openExternally).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'smb://host/share',
      'javascript:alert(1)',
      'https://user:pw@example.org/',
      'ms-msdt:/id',
      'concord://app/',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
      expect(windowOpenDecision(url).openExternally, url).toBe(false);
    }
  });
});

describe('permissions and requests', () => {
  it('grants no permission', () => {
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'unknown',
    ]) {
      expect(isPermissionGranted(p), p).toBe(false);
    }
  });

  it('lets no request leave the app', () => {
    expect(isRequestAllowed('concord://app/assets/index.js')).toBe(true);
    expect(isRequestAllowed('data:image/png;base64,AAAA')).toBe(true);
    expect(isRequestAllowed('blob:concord://app/1234')).toBe(true);
    for (const url of [
      'https://evil.example/x.js',
      'http://127.0.0.1:1/',
      'ws://127.0.0.1/',
      'file:///etc/passwd',
      'ftp://x/',
    ]) {
      expect(isRequestAllowed(url), url).toBe(false);
    }
  });
});

describe('IPC sender validation', () => {
  const trusted = new Set([7]);
  const top = { url: 'concord://app/index.html', parent: null };

  it('trusts the top frame of our window on the app origin', () => {
    expect(isTrustedSender(top, 7, trusted)).toBe(true);
  });

  it('refuses a foreign origin, an iframe, a window we did not create, a missing frame', () => {
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, 7, trusted)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x.html', parent: null }, 7, trusted)).toBe(false);
    expect(isTrustedSender({ url: 'concord://app/index.html', parent: top }, 7, trusted)).toBe(false);
    expect(isTrustedSender(top, 8, trusted)).toBe(false);
    expect(isTrustedSender(null, 7, trusted)).toBe(false);
    expect(isTrustedSender(undefined, 7, trusted)).toBe(false);
  });

  it('checks channel, sender and payload of every message', () => {
    const ok = { sender: { id: 7 }, senderFrame: top };
    expect(checkIpcMessage(IPC.pickWorkspace, ok, ['open'], trusted)).toEqual({ ok: true, args: ['open'] });
    expect(checkIpcMessage(IPC.pickFiles, ok, [], trusted)).toEqual({ ok: true, args: [] });
    expect(checkIpcMessage('concord:shell', ok, [], trusted).ok).toBe(false);
    expect(
      checkIpcMessage(
        IPC.pickWorkspace,
        { sender: { id: 7 }, senderFrame: { url: 'https://evil.example/', parent: null } },
        ['open'],
        trusted,
      ).ok,
    ).toBe(false);
    // bad payloads
    expect(checkIpcMessage(IPC.pickWorkspace, ok, ['delete'], trusted).ok).toBe(false);
    expect(checkIpcMessage(IPC.pickWorkspace, ok, [], trusted).ok).toBe(false);
    expect(checkIpcMessage(IPC.pickWorkspace, ok, ['open', 'extra'], trusted).ok).toBe(false);
    expect(checkIpcMessage(IPC.pickFiles, ok, ['/etc/passwd'], trusted).ok).toBe(false);
    expect(checkIpcMessage(IPC.connect, ok, [{ evil: true }], trusted).ok).toBe(false);
  });
});

describe('registerTrustedIpc (fake ipcMain)', () => {
  function fakeIpc() {
    const handles = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
    const ons = new Map<string, (event: IpcEventLike, ...args: unknown[]) => void>();
    const ipc: IpcMainLike = {
      handle: (channel, listener) => void handles.set(channel, listener),
      on: (channel, listener) => ons.set(channel, listener),
    };
    return { ipc, handles, ons };
  }
  const trusted = new Set([1]);
  const good: IpcEventLike = {
    sender: { id: 1 },
    senderFrame: { url: 'concord://app/index.html', parent: null },
  };
  const evil: IpcEventLike = {
    sender: { id: 1 },
    senderFrame: { url: 'https://evil.example/', parent: null },
  };
  const stranger: IpcEventLike = {
    sender: { id: 99 },
    senderFrame: { url: 'concord://app/index.html', parent: null },
  };

  it('runs a handler only for a trusted sender with a valid payload', async () => {
    const { ipc, handles, ons } = fakeIpc();
    const pick = vi.fn(async (_e: IpcEventLike, mode: string) => `/tmp/${mode}.concord`);
    const connect = vi.fn();
    const warn = vi.fn();
    registerTrustedIpc(
      ipc,
      trusted,
      { invoke: { [IPC.pickWorkspace]: pick }, send: { [IPC.connect]: connect } },
      warn,
    );

    const handler = handles.get(IPC.pickWorkspace)!;
    await expect(Promise.resolve(handler(good, 'create'))).resolves.toBe('/tmp/create.concord');
    expect(() => handler(evil, 'open')).toThrow(/not allowed/);
    expect(() => handler(stranger, 'open')).toThrow(/not allowed/);
    expect(() => handler(good, { mode: 'open' })).toThrow(/not allowed/);
    expect(() => handler(good, '../../etc')).toThrow(/not allowed/);
    expect(pick).toHaveBeenCalledTimes(1);

    ons.get(IPC.connect)!(evil);
    ons.get(IPC.connect)!(good, 'unexpected');
    expect(connect).not.toHaveBeenCalled();
    ons.get(IPC.connect)!(good);
    expect(connect).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(6);
  });
});

describe('guardWebContents (fake webContents)', () => {
  function fakeContents() {
    const listeners = new Map<string, ((e: never) => void)[]>();
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
    const contents: GuardableWebContents = {
      on: (event: string, listener: (e: never) => void) =>
        listeners.set(event, [...(listeners.get(event) ?? []), listener]),
      setWindowOpenHandler: (h) => {
        openHandler = h;
      },
    };
    const fire = (event: string, url?: string) => {
      const e = {
        url: url ?? '',
        prevented: false,
        preventDefault() {
          this.prevented = true;
        },
      };
      for (const l of listeners.get(event) ?? []) (l as (e: NavigationEventLike) => void)(e);
      return e.prevented;
    };
    return { contents, fire, open: (url: string) => openHandler!({ url }) };
  }

  it('blocks navigation away from the app, redirects and frame navigations', () => {
    const { contents, fire } = fakeContents();
    const openExternal = vi.fn();
    guardWebContents(contents, openExternal, () => {});
    expect(fire('will-navigate', 'https://evil.example')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example')).toBe(true);
    expect(fire('will-frame-navigate', 'https://evil.example')).toBe(true);
    expect(fire('will-navigate', 'concord://app/index.html')).toBe(false);
    expect(fire('will-redirect', 'concord://app/index.html')).toBe(false);
    // A clicked web link opens in the system browser, never in the app; file:// never.
    expect(openExternal).toHaveBeenCalledTimes(1);
    expect(openExternal).toHaveBeenCalledWith('https://evil.example');
  });

  it('denies window.open and sends only http(s) outside', () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn();
    guardWebContents(contents, openExternal, () => {});
    expect(open('https://example.org/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(open('concord://app/index.html')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.org/']]);
  });

  it('prevents <webview> attachment', () => {
    const { contents, fire } = fakeContents();
    guardWebContents(
      contents,
      () => {},
      () => {},
    );
    expect(fire('will-attach-webview')).toBe(true);
  });
});

describe('guardSession (fake session)', () => {
  it('denies permission requests and checks, and cancels requests leaving the app', () => {
    const h: {
      request?: Parameters<GuardableSession['setPermissionRequestHandler']>[0];
      check?: Parameters<GuardableSession['setPermissionCheckHandler']>[0];
      device?: () => boolean;
      before?: Parameters<GuardableSession['webRequest']['onBeforeRequest']>[0];
    } = {};
    const session: GuardableSession = {
      setPermissionRequestHandler: (x) => void (h.request = x),
      setPermissionCheckHandler: (x) => void (h.check = x),
      setDevicePermissionHandler: (x) => void (h.device = x),
      webRequest: { onBeforeRequest: (x) => void (h.before = x) },
    };
    guardSession(session, () => {});
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const cb = vi.fn();
      h.request!(null, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(h.check!(null, permission)).toBe(false);
    }
    expect(h.device!()).toBe(false);
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      h.before!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('https://evil.example/beacon')).toBe(true);
    expect(decide('concord://app/assets/app.js')).toBe(false);
  });
});
