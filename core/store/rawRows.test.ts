import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { countRawRows, packRawBlock, rawBlockInserter, rawRow, rawRows } from './rawRows.js';

describe('raw row blocks', () => {
  it('round-trip rows verbatim and find each by its first line, across blocks', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 'mem');
    db.prepare("INSERT INTO channels VALUES ('c', 1)").run();
    db.prepare(
      "INSERT INTO sources (id, channel, kind, format, encoding, file_name, file_path, size_bytes, sha256, imported_at, header, rows, records, warnings) VALUES (1, 'c', 'products', 'csv', 'utf-8', 'f', 'f', 0, '', '', '[]', 0, 0, 0)",
    ).run();
    const insert = rawBlockInserter(db);
    const rows = [
      { line: 2, text: 'a,"multi\nline",é' },
      { line: 4, text: '' },
      { line: 5, text: '華為,😀,"x"' },
    ];
    insert(
      1,
      packRawBlock(
        rows.slice(0, 2).map((r) => r.line),
        rows.slice(0, 2).map((r) => r.text),
      ),
    );
    insert(1, packRawBlock([5], [rows[2].text]));
    expect([...rawRows(db, 1)]).toEqual(rows);
    expect(rawRow(db, 1, 2)).toBe(rows[0].text);
    expect(rawRow(db, 1, 4)).toBe('');
    expect(rawRow(db, 1, 5)).toBe(rows[2].text);
    expect(rawRow(db, 1, 3)).toBeNull();
    expect(rawRow(db, 1, 99)).toBeNull();
    expect(countRawRows(db, 1)).toBe(3);
  });
});
