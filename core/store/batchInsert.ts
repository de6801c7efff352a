import type Database from 'better-sqlite3';

/**
 * Inserts rows through multi-row prepared statements (`VALUES (…),(…),…`), which cuts the per-row cost of
 * crossing into SQLite; the tail goes through a single-row statement.
 */
export class BatchInsert {
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;
  private readonly buffer: unknown[] = [];
  private readonly width: number;

  constructor(
    db: Database.Database,
    table: string,
    columns: readonly string[],
    private readonly batchRows = 64,
  ) {
    this.width = columns.length;
    const tuple = `(${columns.map(() => '?').join(',')})`;
    const head = `INSERT INTO ${table} (${columns.join(',')}) VALUES `;
    this.many = db.prepare(head + Array(batchRows).fill(tuple).join(','));
    this.one = db.prepare(head + tuple);
  }

  /** Values in column order. */
  add(...values: unknown[]): void {
    for (let i = 0; i < this.width; i++) this.buffer.push(values[i]);
    if (this.buffer.length === this.width * this.batchRows) {
      this.many.run(this.buffer);
      this.buffer.length = 0;
    }
  }

  /** A row made of `prefix` followed by the next values of `values` from `offset`: no per-row array. */
  addFrom(prefix: readonly unknown[], values: readonly unknown[], offset: number): void {
    const buffer = this.buffer;
    for (let i = 0; i < prefix.length; i++) buffer.push(prefix[i]);
    const rest = this.width - prefix.length;
    for (let i = 0; i < rest; i++) buffer.push(values[offset + i]);
    if (buffer.length === this.width * this.batchRows) {
      this.many.run(buffer);
      buffer.length = 0;
    }
  }

  flush(): void {
    for (let i = 0; i < this.buffer.length; i += this.width)
      this.one.run(this.buffer.slice(i, i + this.width));
    this.buffer.length = 0;
  }
}

/** Clears the part of `table` a rewrite replaces: the rows whose `column` is one of `ids`, or every row (ids null). */
export function deleteScope(
  db: Database.Database,
  table: string,
  column: string,
  ids: readonly number[] | null,
): void {
  if (ids === null) db.prepare(`DELETE FROM ${table}`).run();
  else
    db.prepare(`DELETE FROM ${table} WHERE ${column} IN (SELECT value FROM json_each(?))`).run(
      JSON.stringify(ids),
    );
}
