/**
 * The rows of a fix list as the channel writers build them: rows identified by the channel's update key, cells
 * set by the gaps they correct, and the bookkeeping of which gaps the file corrects and which it skips (and why).
 * Rendering puts the key columns first, then the changed columns in the writer's order; a cell a row does not
 * change stays empty, which every channel's update reads as "leave as is".
 */
import { csvLine, runsAsFormula, tsvLine, tsvValue, type CellEscaping } from './cells.js';

export interface FixRow {
  readonly id: string;
  /** Sort position (the export's line). */
  readonly order: number;
  readonly cells: Map<string, string>;
  /** Gap id that set each changed cell. */
  readonly setBy: Map<string, number>;
  /** Written even when it changes nothing (a Shopify product's first row, which carries its Title). */
  kept: boolean;
}

export interface Skip {
  id: number;
  reason: string;
}

export class FixTable {
  private readonly rows = new Map<string, FixRow>();
  private readonly corrected = new Set<number>();
  private readonly skips = new Map<number, string>();
  private readonly keyColumns: string[] = [];
  private readonly valueColumns: string[] = [];

  /** `defaultKeys`: the key columns of a file without rows. */
  constructor(private readonly defaultKeys: readonly string[] = []) {}

  /** The row with this id, created with its key cells when new. */
  row(id: string, order: number, keys: readonly (readonly [string, string])[]): FixRow {
    let row = this.rows.get(id);
    if (row === undefined) {
      row = { id, order, cells: new Map(), setBy: new Map(), kept: false };
      for (const [column, value] of keys) {
        if (!this.keyColumns.includes(column)) this.keyColumns.push(column);
        row.cells.set(column, value);
      }
      this.rows.set(id, row);
    }
    return row;
  }

  /** Declares value columns in their display order (columns never set are not written). */
  columns(...names: string[]): void {
    for (const n of names) if (!this.valueColumns.includes(n)) this.valueColumns.push(n);
  }

  /**
   * Sets a cell for a gap. Returns null when done (or already set to the same value), else the reason it cannot
   * be set: another gap already set the cell to another value.
   */
  set(row: FixRow, column: string, value: string, gapId: number): string | null {
    const had = row.cells.get(column);
    const by = row.setBy.get(column);
    if (had !== undefined && by !== undefined && had !== value) {
      return `the same row already gets ${column} "${had}" from gap ${by}`;
    }
    if (!this.valueColumns.includes(column)) this.valueColumns.push(column);
    row.cells.set(column, value);
    if (by === undefined) row.setBy.set(column, gapId);
    return null;
  }

  /** Sets a cell that changes nothing but the channel's update needs (written only on rows that are written). */
  context(row: FixRow, column: string, value: string): void {
    if (!this.valueColumns.includes(column)) this.valueColumns.push(column);
    if (!row.setBy.has(column)) row.cells.set(column, value);
  }

  /** True when the row changes a cell. */
  changes(row: FixRow): boolean {
    return row.setBy.size > 0;
  }

  correct(gapId: number): void {
    this.skips.delete(gapId);
    this.corrected.add(gapId);
  }

  skip(gapId: number, reason: string): void {
    if (!this.corrected.has(gapId)) this.skips.set(gapId, reason);
  }

  get correctedCount(): number {
    return this.corrected.size;
  }

  get skipped(): Skip[] {
    return [...this.skips].map(([id, reason]) => ({ id, reason })).sort((a, b) => a.id - b.id);
  }

  /** The data rows `render` writes. */
  get rowCount(): number {
    return this.changedRows().length;
  }

  /** Rows that change at least one cell, in export order. */
  private changedRows(): FixRow[] {
    return [...this.rows.values()]
      .filter((r) => r.setBy.size > 0 || r.kept)
      .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * The file: header and rows, CSV or TSV, its cells written as `escaping` says. `formulaCells`: the cells a
   * spreadsheet would run as formulas if they were written exactly (as a TSV writes them: line breaks as spaces).
   */
  render(
    delimiter: ',' | '\t',
    escaping: CellEscaping,
  ): { content: string; rows: number; formulaCells: number } {
    const rows = this.changedRows();
    const used = new Set<string>();
    for (const r of rows) for (const c of r.setBy.keys()) used.add(c);
    const header = [
      ...(this.keyColumns.length > 0 ? this.keyColumns : this.defaultKeys),
      ...this.valueColumns.filter((c) => used.has(c) || this.isContext(c, rows)),
    ];
    const line = delimiter === ',' ? csvLine : tsvLine;
    let content = line(header, escaping);
    let formulaCells = 0;
    for (const r of rows) {
      const cells = header.map((c) => r.cells.get(c) ?? '');
      for (const c of cells) if (runsAsFormula(delimiter === ',' ? c : tsvValue(c))) formulaCells++;
      content += line(cells, escaping);
    }
    return { content, rows: rows.length, formulaCells };
  }

  /** A context column (set without a gap, e.g. Shopify's Title on a Handle's first row) of a written row. */
  private isContext(column: string, rows: readonly FixRow[]): boolean {
    return rows.some((r) => r.cells.has(column) && !r.setBy.has(column));
  }
}
