// Launch arguments, app paths and dialog options.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  createWorkspaceDialog,
  IMPORT_EXTENSIONS,
  importFilesDialog,
  openWorkspaceDialog,
  withWorkspaceExtension,
} from './dialogOptions.js';
import { workspaceFromArgv } from './launchArgs.js';
import { appPaths } from './paths.js';

describe('workspaceFromArgv', () => {
  it('finds the workspace of a development launch, a packaged launch and a second instance', () => {
    expect(workspaceFromArgv(['electron', 'dist/electron/main.js', 'demo.concord'], 2, '/home/u')).toBe(
      resolve('/home/u', 'demo.concord'),
    );
    expect(workspaceFromArgv(['/opt/Concord/concord', '/data/shop.concord'], 1, '/')).toBe(
      resolve('/data/shop.concord'),
    );
    expect(
      workspaceFromArgv(['concord', '--allow-file-access-from-files', '--workspace', 'w.concord'], 1, '/x'),
    ).toBe(resolve('/x', 'w.concord'));
    expect(workspaceFromArgv(['concord', '--workspace=/a/b.concord'], 1, '/x')).toBe(resolve('/a/b.concord'));
  });

  it('ignores switches and other files', () => {
    expect(workspaceFromArgv(['electron', 'dist/electron/main.js'], 2, '/')).toBeNull();
    expect(workspaceFromArgv(['concord', '--inspect', 'notes.txt'], 1, '/')).toBeNull();
  });
});

describe('appPaths', () => {
  it('derives every path from dist/electron/main.js', () => {
    const root = resolve('/opt/concord');
    const p = appPaths(pathToFileURL(join(root, 'dist', 'electron', 'main.js')).href);
    expect(p).toEqual({
      root,
      preload: join(root, 'dist', 'electron', 'preload.cjs'),
      rendererDist: join(root, 'renderer', 'dist'),
      worker: join(root, 'dist', 'core', 'worker', 'main.js'),
    });
  });
});

describe('dialog options', () => {
  it('filters workspaces by .concord and imports by the readable formats', () => {
    expect(openWorkspaceDialog('/w').filters).toEqual([
      { name: 'Concord workspace', extensions: ['concord'] },
    ]);
    expect(openWorkspaceDialog().properties).toEqual(['openFile']);
    expect(createWorkspaceDialog('/w/Untitled.concord')).toMatchObject({
      defaultPath: '/w/Untitled.concord',
      filters: [{ extensions: ['concord'] }],
    });
    expect([...IMPORT_EXTENSIONS]).toEqual(['csv', 'tsv', 'txt', 'xml', 'jsonl']);
    expect(importFilesDialog().properties).toEqual(['openFile', 'multiSelections']);
    expect(importFilesDialog().filters?.[0].extensions).toEqual(['csv', 'tsv', 'txt', 'xml', 'jsonl']);
  });

  it('adds .concord to a saved name without it', () => {
    expect(withWorkspaceExtension('/w/shop')).toBe('/w/shop.concord');
    expect(withWorkspaceExtension('/w/shop.CONCORD')).toBe('/w/shop.CONCORD');
    expect(withWorkspaceExtension('/w/shop.csv')).toBe('/w/shop.csv.concord');
  });
});
