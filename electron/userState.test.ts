// Recent workspaces and window state, kept as JSON files in userData.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecentWorkspaces } from './recentWorkspaces.js';
import {
  DEFAULT_WINDOW_STATE,
  fitToDisplays,
  loadWindowState,
  saveWindowState,
  stateFromWindow,
} from './windowState.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'concord-userdata-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('RecentWorkspaces', () => {
  it('keeps the most recent first, without duplicates, at most max, across instances', () => {
    const file = join(dir, 'recent.json');
    const r = new RecentWorkspaces(file, 3, () => true);
    r.add('/w/a.concord');
    r.add('/w/b.concord');
    r.add('/w/a.concord');
    r.add('/w/c.concord');
    r.add('/w/d.concord');
    expect(new RecentWorkspaces(file, 3, () => true).list()).toEqual([
      '/w/d.concord',
      '/w/c.concord',
      '/w/a.concord',
    ]);
    r.remove('/w/c.concord');
    expect(r.list()).toEqual(['/w/d.concord', '/w/a.concord']);
    r.clear();
    expect(r.list()).toEqual([]);
  });

  it('leaves out workspaces whose file is gone, and survives a corrupt file', () => {
    const file = join(dir, 'recent.json');
    new RecentWorkspaces(file, 10, () => true).add('/w/gone.concord');
    expect(new RecentWorkspaces(file, 10, (p) => p !== '/w/gone.concord').list()).toEqual([]);
    writeFileSync(file, '{not json');
    expect(new RecentWorkspaces(file).list()).toEqual([]);
    writeFileSync(file, JSON.stringify({ version: 1, workspaces: [42] }));
    expect(new RecentWorkspaces(file).list()).toEqual([]);
  });

  it('writes a versioned JSON document', () => {
    const file = join(dir, 'sub', 'recent.json');
    new RecentWorkspaces(file, 10, () => true).add('/w/a.concord');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, workspaces: ['/w/a.concord'] });
  });
});

describe('window state', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];

  it('round-trips size, position and maximized', () => {
    const file = join(dir, 'window-state.json');
    saveWindowState(file, stateFromWindow({ x: 100.4, y: 50, width: 1400, height: 900 }, true));
    expect(loadWindowState(file, screen)).toEqual({
      x: 100,
      y: 50,
      width: 1400,
      height: 900,
      maximized: true,
    });
  });

  it('falls back to defaults for a missing or corrupt file', () => {
    expect(loadWindowState(join(dir, 'none.json'), screen)).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(join(dir, 'bad.json'), '{"width":"wide"}');
    expect(loadWindowState(join(dir, 'bad.json'), screen)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('drops a position that is on no current display (monitor unplugged)', () => {
    const s = fitToDisplays({ x: 2500, y: 100, width: 1200, height: 800, maximized: false }, screen);
    expect(s).toEqual({ width: 1200, height: 800, maximized: false });
    const second = [...screen, { x: 1920, y: 0, width: 1920, height: 1080 }];
    expect(
      fitToDisplays({ x: 2500, y: 100, width: 1200, height: 800, maximized: false }, second),
    ).toMatchObject({ x: 2500, y: 100 });
  });

  it('keeps the window within the largest display and above the minimum size', () => {
    expect(fitToDisplays({ width: 5000, height: 3000, maximized: false }, screen)).toMatchObject({
      width: 1920,
      height: 1040,
    });
    expect(fitToDisplays({ width: 200, height: 100, maximized: false }, screen)).toMatchObject({
      width: 900,
      height: 600,
    });
  });
});
