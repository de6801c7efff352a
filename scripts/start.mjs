#!/usr/bin/env node
// `npm start [-- WORKSPACE] [--web] [--no-download]` (after `npm run build` and `npm run build:renderer`):
//   1. bundles the sandboxed preload (electron/build-preload.mjs → dist/electron/preload.cjs);
//   2. if Electron's binary is on this machine (and can run here), launches the desktop app on dist/electron/main.js;
//   3. otherwise says why and starts web mode instead: `concord serve WORKSPACE --port 0`, relays its
//      "Concord listening on http://127.0.0.1:PORT/?token=…" line and opens that URL in the default browser.
// WORKSPACE defaults to concord-demo/demo.concord (made by `npm run demo`) when it exists. Ctrl+C stops everything.
//
// Electron's binary is checked for WITHOUT require('electron'): requiring it tries to download the binary.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function say(message) {
  process.stderr.write(`concord start: ${message}\n`);
}

/**
 * Where Electron's executable is, the way the electron package's own index.js finds it (path.txt names the
 * executable under dist/, ELECTRON_OVERRIDE_DIST_PATH replaces that folder), but without downloading anything.
 */
export function findElectronBinary({ pkgDir, env = process.env } = {}) {
  let dir = pkgDir;
  if (!dir) {
    try {
      dir = dirname(require.resolve('electron/package.json'));
    } catch {
      return {
        path: null,
        reason: 'the electron package is not installed (`npm ci` installs it as a devDependency)',
      };
    }
  }
  const pathFile = join(dir, 'path.txt');
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(
      env.ELECTRON_OVERRIDE_DIST_PATH,
      exe || (process.platform === 'win32' ? 'electron.exe' : 'electron'),
    );
    return existsSync(p)
      ? { path: p, reason: 'ELECTRON_OVERRIDE_DIST_PATH' }
      : { path: null, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${p} does not exist` };
  }
  if (exe && existsSync(join(dir, 'dist', exe))) return { path: join(dir, 'dist', exe), reason: 'installed' };
  return {
    path: null,
    reason:
      "Electron's binary is not installed and could not be downloaded: the electron npm package fetches it from its " +
      'download host, and this machine has no access to that host. On a machine with internet `npm start` downloads ' +
      'it once and opens the desktop app',
  };
}

/** Desktop app or web mode, and why. */
export function chooseMode({
  electron,
  platform = process.platform,
  env = process.env,
  uid = process.getuid?.() ?? -1,
  forceWeb = false,
}) {
  if (forceWeb) return { mode: 'web', reason: '--web was given' };
  if (!electron.path) return { mode: 'web', reason: electron.reason };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return {
      mode: 'web',
      reason: 'there is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)',
    };
  }
  if (platform === 'linux' && uid === 0) {
    return {
      mode: 'web',
      reason:
        'Chromium refuses to run as root with its sandbox on, and Concord does not turn the sandbox off; run `npm start` as a normal user for the desktop app',
    };
  }
  return { mode: 'electron', reason: electron.reason };
}

/** The URL in `concord serve`'s listening line, or null. */
export function listeningUrl(line) {
  const m = /Concord listening on (http:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+\/\S*)/.exec(line);
  return m ? m[1] : null;
}

function onPath(command, env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** How to open a URL in the default browser here, or null (none available: skip silently). */
export function browserCommand(url, { platform = process.platform, env = process.env } = {}) {
  if (env.CI || env.CONCORD_NO_BROWSER) return null;
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  // Without a display xdg-open would fall back to a text-mode browser in this terminal.
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return onPath('xdg-open', env) ? { command: 'xdg-open', args: [url] } : null;
}

function openBrowser(url) {
  const cmd = browserCommand(url);
  if (!cmd) return;
  try {
    const child = spawn(cmd.command, cmd.args, { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no browser: the URL is printed above
  }
}

/**
 * Runs a child until it exits; Ctrl+C / SIGTERM are passed on (a second Ctrl+C kills it). Resolves with its
 * exit code.
 */
export function supervise(child) {
  let signals = 0;
  const forward = (signal) => {
    signals++;
    if (child.exitCode === null && child.signalCode === null) child.kill(signals > 1 ? 'SIGKILL' : signal);
  };
  const onInt = () => forward('SIGINT');
  const onTerm = () => forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolvePromise) => {
    const done = (code) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolvePromise(code);
    };
    child.on('error', (err) => {
      say(`could not start ${child.spawnfile}: ${err.message}`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)));
  });
}

/**
 * Web mode: `node <cli> serve <workspace> --port 0`, its output relayed; `onUrl` gets the URL of the listening
 * line once. Returns the child process.
 */
export function startWeb({
  cli = join(root, 'bin', 'concord.js'),
  workspace,
  onUrl = () => {},
  env = process.env,
}) {
  const child = spawn(process.execPath, [cli, 'serve', workspace, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  let seen = false;
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const url = seen ? null : listeningUrl(line);
      if (url) {
        seen = true;
        onUrl(url);
      }
    }
  });
  return child;
}

function parseArgs(argv) {
  const forceWeb = argv.includes('--web');
  // Electron's binary is downloaded on first start unless --no-download (or --web); --install-electron is kept
  // as an explicit spelling of the default.
  const installElectron = !argv.includes('--no-download') || argv.includes('--install-electron');
  const positional = argv.filter((a) => !a.startsWith('--'));
  return { forceWeb, installElectron, workspace: positional[0] ?? null };
}

/** The electron package's own download step (what its first launch would run); fails fast without network. */
async function installElectron() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    say('the electron package is not installed (`npm ci` installs it)');
    return;
  }
  say("downloading Electron's binary (electron/install.js)…");
  const code = await supervise(
    spawn(process.execPath, [join(pkgDir, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'] }),
  );
  if (code !== 0) say(`the download failed (exit code ${code})`);
}

async function main() {
  const { forceWeb, installElectron: install, workspace: given } = parseArgs(process.argv.slice(2));
  const demo = resolve('concord-demo', 'demo.concord');
  const workspace = given ? resolve(given) : existsSync(demo) ? demo : null;

  try {
    const { buildPreload } = await import(pathToFileURL(join(root, 'electron', 'build-preload.mjs')).href);
    await buildPreload();
  } catch (err) {
    say(`could not bundle the preload: ${err.message}`);
    return 1;
  }

  if (install && !forceWeb && !findElectronBinary().path) await installElectron();
  const electron = findElectronBinary();
  const choice = chooseMode({ electron, forceWeb });
  let webReason = choice.reason;
  if (choice.mode === 'electron') {
    const main = join(root, 'dist', 'electron', 'main.js');
    if (!existsSync(main)) {
      say(`${main} is missing: run \`npm run build\` first (npm start does)`);
      return 1;
    }
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE; // would turn the binary into plain Node
    try {
      const { ensureElectronSqlite, electronVersion } = await import(
        pathToFileURL(join(root, 'scripts', 'electron-native.mjs')).href
      );
      env.CONCORD_SQLITE_BINDING = ensureElectronSqlite({
        root,
        electronVersion: electronVersion(root),
        log: say,
      });
    } catch (err) {
      webReason = `the worker needs better-sqlite3 built for Electron, and that failed (${err.message})`;
    }
    if (env.CONCORD_SQLITE_BINDING) {
      say(`starting the desktop app (Electron at ${electron.path})${workspace ? ` on ${workspace}` : ''}`);
      const child = spawn(electron.path, [main, ...(workspace ? [workspace] : [])], {
        stdio: 'inherit',
        env,
      });
      return supervise(child);
    }
  }

  say(`not starting the desktop app: ${webReason}.`);
  say('starting web mode instead (the same UI and worker API, served on 127.0.0.1 to your browser).');
  if (!workspace) {
    say(
      'web mode needs a workspace: run `npm run demo` first (it makes concord-demo/demo.concord), or `npm start -- path/to/workspace.concord`.',
    );
    return 2;
  }
  const child = startWeb({ workspace, onUrl: (url) => openBrowser(url) });
  const code = await supervise(child);
  if (code !== 0) say(`web mode stopped (exit code ${code})`);
  return code;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
