import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../store/migrate.js';
import { MIGRATIONS } from '../store/migrations/index.js';
import { SCHEMA_VERSION } from '../store/workspace.js';
import { concord, concordWith, type CliOptions } from '../test-support/cli.js';
import { shopifyCsv } from '../test-support/shopifyCsv.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * Root may write any file whatever its mode, so as root the read-only cases run the CLI as `nobody` (uid 65534):
 * the file modes then hold for real.
 */
const asOtherUser: CliOptions = process.getuid?.() === 0 ? { user: { uid: 65534, gid: 65534 } } : {};

describe('read-only commands open the workspace read-only', () => {
  const tmp = useTempDir();
  const locked: string[] = [];
  afterEach(() => {
    for (const dir of locked.splice(0)) chmodSync(dir, 0o755);
  });

  /** A workspace with one imported source, every connection to it closed (so the WAL is checkpointed away). */
  function importedWorkspace(dir: string): string {
    const ws = join(dir, 'shop.concord');
    expect(concord('init', ws).code).toBe(0);
    const csv = writeTemp(dir, 'shopify.csv', shopifyCsv(30));
    expect(concord('import', ws, csv, '--channel', 'shopify').code).toBe(0);
    return ws;
  }

  it('a listing leaves the workspace file byte-identical', () => {
    const ws = importedWorkspace(tmp());
    const before = sha256(ws);
    const sources = concord('sources', ws, '--json');
    expect(sources.code).toBe(0);
    expect(JSON.parse(sources.stdout)).toMatchObject([{ channel: 'shopify', rows: 30 }]);
    expect(concord('sources', ws).code).toBe(0);
    expect(concord('warnings', ws, '--json').code).toBe(0);
    expect(sha256(ws)).toBe(before);
  });

  it('lists a read-only workspace in a read-only folder, and a write says it cannot write', () => {
    chmodSync(tmp(), 0o755); // others may enter the temp folder
    const dir = join(tmp(), 'readonly');
    mkdirSync(dir);
    const ws = importedWorkspace(dir);
    // The last program out folded the WAL into the file and removed -wal and -shm: nothing there to read them from.
    expect(existsSync(`${ws}-wal`)).toBe(false);
    expect(existsSync(`${ws}-shm`)).toBe(false);
    // And while another program has it open, they exist (made by their owner, not writable by this user).
    const other = new Database(ws);
    other.pragma('user_version');
    expect(existsSync(`${ws}-shm`)).toBe(true);
    chmodSync(ws, 0o444);
    chmodSync(dir, 0o555);
    locked.push(dir);
    const before = sha256(ws);
    const list = () => {
      const listed = concordWith(asOtherUser, 'sources', ws, '--json');
      expect(listed.stderr).toBe('');
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toMatchObject([{ channel: 'shopify', rows: 30 }]);
    };

    list();
    other.close();
    if (asOtherUser.user) expect(existsSync(`${ws}-shm`)).toBe(false);
    list();
    expect(concordWith(asOtherUser, 'warnings', ws).code).toBe(0);

    const csv = writeTemp(tmp(), 'more.csv', shopifyCsv(5));
    const imported = concordWith(asOtherUser, 'import', ws, csv, '--channel', 'web');
    expect(imported.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(imported.stderr).toMatch(/cannot write/);
    expect(imported.code).toBe(2);
    expect(sha256(ws)).toBe(before);
  });

  it('an open upgrades an older workspace (its one write); a read-only older workspace says why it cannot open', () => {
    chmodSync(tmp(), 0o755);
    const olderWorkspace = (file: string) => {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma(`application_id = ${0x436f6e63}`);
      migrate(db, MIGRATIONS.slice(0, SCHEMA_VERSION - 1), file);
      db.close();
      return file;
    };
    const ws = olderWorkspace(join(tmp(), 'old.concord'));
    const listed = concord('sources', ws, '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
    const db = new Database(ws, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();

    const dir = join(tmp(), 'readonly');
    mkdirSync(dir);
    const readOnly = olderWorkspace(join(dir, 'old.concord'));
    chmodSync(readOnly, 0o444);
    chmodSync(dir, 0o555);
    locked.push(dir);
    const before = sha256(readOnly);
    const refused = concordWith(asOtherUser, 'sources', readOnly);
    expect(refused.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(refused.stderr).toMatch(
      new RegExp(
        `schema version ${SCHEMA_VERSION - 1}.*needs an upgrade to version ${SCHEMA_VERSION}.*cannot write`,
      ),
    );
    expect(refused.code).toBe(2);
    expect(sha256(readOnly)).toBe(before);
  });
});
