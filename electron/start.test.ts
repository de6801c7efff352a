// scripts/start.mjs (`npm start`): finding Electron's binary without require('electron'), choosing desktop or web
// mode, relaying the web server's listening line. The real fallback is run end to end on this machine's state.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Electron {
  path: string | null;
  reason: string;
}
interface StartModule {
  findElectronBinary(o: { pkgDir?: string; env?: Record<string, string | undefined> }): Electron;
  chooseMode(o: {
    electron: Electron;
    platform?: string;
    env?: Record<string, string | undefined>;
    uid?: number;
    forceWeb?: boolean;
  }): {
    mode: 'electron' | 'web';
    reason: string;
  };
  listeningUrl(line: string): string | null;
  browserCommand(
    url: string,
    o: { platform?: string; env?: Record<string, string | undefined> },
  ): { command: string; args: string[] } | null;
  startWeb(o: { cli: string; workspace: string; onUrl: (url: string) => void }): ChildProcess;
}

const repo = resolve(import.meta.dirname, '..');
let start: StartModule;
let dir: string;

beforeAll(async () => {
  start = (await import(pathToFileURL(join(repo, 'scripts', 'start.mjs')).href)) as StartModule;
  dir = mkdtempSync(join(tmpdir(), 'concord-start-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findElectronBinary', () => {
  it('reads path.txt and dist/ like the electron package, without downloading', () => {
    const pkg = join(dir, 'electron-pkg');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(start.findElectronBinary({ pkgDir: pkg, env: {} })).toMatchObject({
      path: null,
      reason: expect.stringMatching(/not installed and could not be downloaded.*download host/s),
    });
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    expect(start.findElectronBinary({ pkgDir: pkg, env: {} })).toEqual({
      path: join(pkg, 'dist', 'electron'),
      reason: 'installed',
    });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const pkg = join(dir, 'electron-pkg2');
    const override = join(dir, 'override');
    mkdirSync(pkg, { recursive: true });
    mkdirSync(override, { recursive: true });
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(
      start.findElectronBinary({ pkgDir: pkg, env: { ELECTRON_OVERRIDE_DIST_PATH: override } }).path,
    ).toBeNull();
    writeFileSync(join(override, 'electron'), '');
    expect(
      start.findElectronBinary({ pkgDir: pkg, env: { ELECTRON_OVERRIDE_DIST_PATH: override } }).path,
    ).toBe(join(override, 'electron'));
  });

  it('finds this repository’s electron package without requiring it', () => {
    const r = start.findElectronBinary({ env: {} });
    expect(typeof r.reason).toBe('string');
  });
});

describe('chooseMode', () => {
  const found: Electron = { path: '/e/electron', reason: 'installed' };
  it('launches Electron when its binary is there and a display is', () => {
    expect(
      start.chooseMode({ electron: found, platform: 'linux', env: { DISPLAY: ':0' }, uid: 1000 }).mode,
    ).toBe('electron');
    expect(start.chooseMode({ electron: found, platform: 'darwin', env: {}, uid: 501 }).mode).toBe(
      'electron',
    );
  });
  it('falls back to web mode, saying why', () => {
    const missing: Electron = { path: null, reason: "Electron's binary has not been downloaded" };
    expect(
      start.chooseMode({ electron: missing, platform: 'linux', env: { DISPLAY: ':0' }, uid: 1000 }),
    ).toEqual({ mode: 'web', reason: missing.reason });
    expect(start.chooseMode({ electron: found, platform: 'linux', env: {}, uid: 1000 }).reason).toMatch(
      /no display/,
    );
    expect(
      start.chooseMode({ electron: found, platform: 'linux', env: { DISPLAY: ':0' }, uid: 0 }).reason,
    ).toMatch(/root.*sandbox/);
    expect(
      start.chooseMode({ electron: found, platform: 'darwin', env: {}, uid: 501, forceWeb: true }).mode,
    ).toBe('web');
  });
});

describe('web mode', () => {
  it('recognises the listening line', () => {
    expect(start.listeningUrl('Concord listening on http://127.0.0.1:43210/?token=abc123')).toBe(
      'http://127.0.0.1:43210/?token=abc123',
    );
    expect(start.listeningUrl('Concord listening on http://evil.example:80/?token=x')).toBeNull();
    expect(start.listeningUrl('importing…')).toBeNull();
  });

  it('opens a browser only where one can be opened', () => {
    const url = 'http://127.0.0.1:1/?token=t';
    expect(
      start.browserCommand(url, { platform: 'linux', env: { CI: 'true', DISPLAY: ':0', PATH: '/usr/bin' } }),
    ).toBeNull();
    expect(start.browserCommand(url, { platform: 'linux', env: { PATH: '/usr/bin' } })).toBeNull();
    expect(
      start.browserCommand(url, { platform: 'linux', env: { DISPLAY: ':0', PATH: join(dir, 'nothing') } }),
    ).toBeNull();
    expect(start.browserCommand(url, { platform: 'darwin', env: {} })).toEqual({
      command: 'open',
      args: [url],
    });
  });

  it('relays the server output and reports its URL once', async () => {
    const cli = join(dir, 'fake-concord.mjs');
    writeFileSync(
      cli,
      "console.log('args ' + process.argv.slice(2).join(' '));\n" +
        "console.log('Concord listening on http://127.0.0.1:5555/?token=feedbeef');\n" +
        "console.log('Concord listening on http://127.0.0.1:6666/?token=again');\n" +
        'setInterval(() => {}, 1000);\n',
    );
    chmodSync(cli, 0o755);
    const urls: string[] = [];
    const child = start.startWeb({ cli, workspace: '/w/demo.concord', onUrl: (u) => urls.push(u) });
    const out: string[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(String(c)));
    await new Promise<void>((r, reject) => {
      const t = setTimeout(() => reject(new Error('no listening line')), 10_000);
      const check = setInterval(() => {
        if (urls.length > 0 && out.join('').includes('6666')) {
          clearInterval(check);
          clearTimeout(t);
          r();
        }
      }, 20);
    });
    expect(urls).toEqual(['http://127.0.0.1:5555/?token=feedbeef']);
    expect(out.join('')).toContain('args serve /w/demo.concord --port 0');
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
  });
});

describe('npm start without an Electron binary', () => {
  it('says why and goes to web mode (which needs a workspace)', () => {
    const cwd = join(dir, 'empty-project');
    const emptyDist = join(dir, 'no-electron-here');
    mkdirSync(cwd, { recursive: true });
    mkdirSync(emptyDist, { recursive: true });
    const r = spawnSync(process.execPath, [join(repo, 'scripts', 'start.mjs')], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: emptyDist, CONCORD_NO_BROWSER: '1' },
      timeout: 60_000,
    });
    expect(r.stderr).toMatch(
      /not starting the desktop app: ELECTRON_OVERRIDE_DIST_PATH is set but .* does not exist/,
    );
    expect(r.stderr).toMatch(/starting web mode instead/);
    expect(r.stderr).toMatch(/npm run demo/);
    expect(r.status).toBe(2);
  });

  it('stops web mode on Ctrl+C', async () => {
    // A workspace path is given, so start.mjs runs `concord serve`; whether or not that command exists yet, SIGINT
    // must leave no process behind and start.mjs must exit.
    const child = spawn(
      process.execPath,
      [join(repo, 'scripts', 'start.mjs'), join(dir, 'ws.concord'), '--web'],
      {
        cwd: dir,
        env: { ...process.env, CONCORD_NO_BROWSER: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += String(c)));
    await new Promise<void>((r) => {
      const check = setInterval(() => {
        if (/starting web mode/.test(err) || child.exitCode !== null) {
          clearInterval(check);
          r();
        }
      }, 20);
    });
    child.kill('SIGINT');
    const ended = await new Promise<boolean>((r) => {
      if (child.exitCode !== null || child.signalCode !== null) return r(true);
      const t = setTimeout(() => r(false), 20_000);
      child.once('exit', () => {
        clearTimeout(t);
        r(true);
      });
    });
    expect(err).toMatch(/--web was given/);
    expect(ended).toBe(true);
  }, 60_000);
});
