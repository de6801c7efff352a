import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { LocalApi } from '../cli/api.js';
import { concord, concordAs } from '../test-support/cli.js';
import { fingerprintOf } from '../test-support/fingerprint.js';
import { shopifyCsv } from '../test-support/shopifyCsv.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { importFile } from './importFile.js';
import { previewFile } from './preview.js';

/** The unprivileged user the unreadable-file case runs as when the tests run as root. */
const NOBODY = { uid: 65534, gid: 65534 };

/**
 * Paths that are not regular files (issue 13 point 6): a directory, a FIFO, a character device. Each is refused
 * at once with a clear error naming the file (BAD_INPUT, exit 2), through the CLI, the API and the importer itself,
 * and the workspace stays as it was. Nothing is read from a FIFO or a device, so nothing hangs.
 */
describe('inputs that are not regular files', () => {
  const tmp = useTempDir();
  let ws: string;
  const paths: Record<string, () => string> = {
    directory: () => {
      const d = join(tmp(), 'exports.csv');
      mkdirSync(d);
      return d;
    },
    'named pipe (FIFO)': () => {
      const f = join(tmp(), 'pipe.csv');
      execFileSync('mkfifo', [f]);
      return f;
    },
    'character device': () => '/dev/zero',
  };
  const kinds: Record<string, RegExp> = {
    directory: /exports\.csv: not a regular file \(a directory\)/,
    'named pipe (FIFO)': /pipe\.csv: not a regular file \(a named pipe \(FIFO\)\)/,
    'character device': /zero: not a regular file \(a character device\)/,
  };

  beforeEach(() => {
    ws = join(tmp(), 'w.concord');
    expect(concord('init', ws).code).toBe(0);
  });

  for (const [kind, make] of Object.entries(paths)) {
    it(`${kind}: concord import exits 2 with the error, workspace unchanged`, () => {
      const path = make();
      const before = fingerprintOf(ws);
      for (const args of [['--channel', 'shopify'], []]) {
        const r = concord('import', ws, path, ...args);
        expect(r.stderr).toMatch(kinds[kind]);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(r.code).toBe(2);
      }
      expect(fingerprintOf(ws)).toEqual(before);
    });

    it(`${kind}: import.preview through the API and the importer refuse it as BAD_INPUT`, async () => {
      const path = make();
      const api = new LocalApi();
      await api.call('workspace.open', { path: ws });
      await expect(api.call('import.preview', { file: { path }, rows: 5 })).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: expect.stringMatching(kinds[kind]),
      });
      await expect(previewFile(path, { rows: 5 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
      const before = fingerprintOf(ws);
      await expect(importFile({ workspace: ws, file: path, channel: 'shopify' })).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: expect.stringMatching(kinds[kind]),
      });
      expect(fingerprintOf(ws)).toEqual(before);
    });
  }

  // Root reads a mode-000 file, so under root the CLI runs as `nobody` for this case (the importer's own check
  // opens the file, so it sees exactly what the user running Concord may read).
  it('a file that cannot be read: exit 2, "permission denied", workspace unchanged', () => {
    const dir = tmp();
    const file = writeTemp(dir, 'locked.csv', shopifyCsv(2));
    chmodSync(file, 0o000);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      chmodSync(dir, 0o777);
      chmodSync(ws, 0o666);
    }
    const before = fingerprintOf(ws);
    const run = (...args: string[]) => (asRoot ? concordAs(NOBODY, ...args) : concord(...args));
    for (const args of [['--channel', 'shopify'], []]) {
      const r = run('import', ws, file, ...args);
      expect(r.stderr).toMatch(/locked\.csv: cannot be read: permission denied/);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(r.code).toBe(2);
    }
    expect(fingerprintOf(ws)).toEqual(before);
  });
});
