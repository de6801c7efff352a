// better-sqlite3 is a native addon built for this machine's Node. Electron's worker (utilityProcess) runs
// Electron's own Node, with another ABI, so it needs a second build of the addon for that Electron version.
// This makes one once, beside the project (.electron-native/), without touching node_modules (the CLI and tests
// keep using the Node build); the worker loads it through CONCORD_SQLITE_BINDING (core/store/workspace.ts).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Returns the path of better_sqlite3.node built for `electronVersion`, building it when missing. */
export function ensureElectronSqlite({ root, electronVersion, log = () => {} }) {
  const tag = `electron-${electronVersion}-${process.platform}-${process.arch}`;
  const target = join(root, '.electron-native', tag, 'better_sqlite3.node');
  if (existsSync(target)) return target;

  const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
  const work = join(root, '.electron-native', `build-${tag}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const part of ['package.json', 'binding.gyp', 'src', 'deps', 'lib']) {
    if (existsSync(join(pkgDir, part))) cpSync(join(pkgDir, part), join(work, part), { recursive: true });
  }

  // 1) A prebuilt binary for this Electron version (what better-sqlite3's own install does for Node).
  log(`fetching better-sqlite3 for Electron ${electronVersion}…`);
  const prebuild = join(dirname(require.resolve('prebuild-install/package.json')), 'bin.js');
  const fetched = spawnSync(
    process.execPath,
    [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch],
    {
      cwd: work,
      stdio: 'inherit',
    },
  );
  // 2) Else compile it against Electron's headers.
  if (fetched.status !== 0 || !existsSync(join(work, 'build', 'Release', 'better_sqlite3.node'))) {
    log(`no prebuilt binary; compiling better-sqlite3 against Electron ${electronVersion}'s headers…`);
    const nodeGyp = findNodeGyp();
    spawnSync(
      process.execPath,
      [
        nodeGyp,
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        '--runtime=electron',
        '--dist-url=https://electronjs.org/headers',
      ],
      { cwd: work, stdio: 'inherit' },
    );
  }
  const built = join(work, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built))
    throw new Error(`could not build better-sqlite3 for Electron ${electronVersion} (see the output above)`);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(built, target);
  rmSync(work, { recursive: true, force: true });
  return target;
}

export function electronVersion(root) {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

function findNodeGyp() {
  const candidates = [
    () => require.resolve('node-gyp/bin/node-gyp.js'),
    () =>
      join(
        dirname(process.execPath),
        '..',
        'lib',
        'node_modules',
        'npm',
        'node_modules',
        'node-gyp',
        'bin',
        'node-gyp.js',
      ),
  ];
  for (const c of candidates) {
    try {
      const p = c();
      if (existsSync(p)) return p;
    } catch {
      // try the next place
    }
  }
  throw new Error('node-gyp not found (it ships with npm)');
}
