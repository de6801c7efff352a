/**
 * Record ids within one file (DESIGN.md "Record identity"). Real exports repeat ids: Shopify allows duplicate SKUs
 * (draft and archived copies of a product keep the SKU), generic files keyed by a URL list a page twice. What
 * happens to a later row with an id the file already had is the import's `onDuplicate` policy:
 *
 * - `warn` (default): the row takes the format's fallback identity (Shopify: Handle + option values; WooCommerce:
 *   ID); when the format has none (Google, Amazon, generic files) or the fallback is taken too, the row yields no
 *   record, so the first one is kept. Either way one `duplicate_id` warning per row names both lines.
 * - `first` / `last`: the first / the last row with the id is the record, the others yield none; no warnings.
 * - `error`: the file is refused (BAD_INPUT naming the line, the id column and the first line).
 *
 * A row without a record keeps its raw row: nothing of the file is lost. No suffix is invented for a colliding
 * fallback: an id no channel knows could not be written back in a fix list, and a row repeated whole would turn
 * into a second, phantom product.
 */
import type { OnDuplicate } from '../api/contract.js';
import { badInput } from '../model/errors.js';
import type { NormalizedRecord, WarningCode } from '../model/record.js';
import type { RawRow, RowMapper } from './types.js';

export type { OnDuplicate };

/** What becomes of a record whose id the file already had. */
export type Admission =
  | { keep: true; supersedes: null }
  /** Kept, and the earlier record with this id (from `line`) is to be removed (`last`). */
  | { keep: true; supersedes: { recordId: string; line: number } }
  | { keep: false; supersedes: null };

const KEEP: Admission = { keep: true, supersedes: null };

/**
 * A copy of an id that refers to nothing else. Cells are cut from the parser's chunk of text, and V8 keeps the
 * whole chunk alive for as long as any string sliced from it lives: a map of a million ids would otherwise keep
 * every chunk of the file. Short strings are copied by V8 anyway.
 */
function detached(id: string): string {
  return id.length < 13 ? id : Buffer.from(id, 'utf8').toString('utf8');
}
const DROP: Admission = { keep: false, supersedes: null };

export class RecordIdGuard {
  /** record id -> the line of the record that has it. */
  private readonly lines = new Map<string, number>();
  /** Rows whose id the file already had. */
  duplicates = 0;

  constructor(
    private readonly policy: OnDuplicate,
    private readonly file: string,
    private readonly mapper: Pick<RowMapper, 'idColumn' | 'fallbackId'>,
    private readonly warn: (line: number, field: string, code: WarningCode, message: string) => void,
  ) {}

  /** Decides about `rec` (read from `row`); may give it the format's fallback id. */
  admit(rec: NormalizedRecord, row: RawRow): Admission {
    const id = rec.recordId;
    const first = this.lines.get(id);
    if (first === undefined) {
      this.lines.set(detached(id), row.line);
      return KEEP;
    }
    this.duplicates++;
    const column = this.mapper.idColumn ?? 'recordId';
    switch (this.policy) {
      case 'error':
        throw badInput(
          { file: this.file, line: row.line, field: column },
          `duplicate record id "${id}" (first seen on line ${first})`,
          { do: 'onDuplicate' },
        );
      case 'first':
        return DROP;
      case 'last':
        this.lines.set(id, row.line);
        return { keep: true, supersedes: { recordId: id, line: first } };
      case 'warn': {
        const fallback = this.mapper.fallbackId?.(row) ?? null;
        if (fallback !== null && !this.lines.has(fallback)) {
          rec.recordId = fallback;
          this.lines.set(fallback, row.line);
          this.warn(
            row.line,
            column,
            'duplicate_id',
            `record id "${id}" is already on line ${first}: this row is the record "${fallback}" (the format's fallback identity)`,
          );
          return KEEP;
        }
        const why =
          fallback === null
            ? 'the format has no other identity'
            : `its fallback identity "${fallback}" is taken too (line ${this.lines.get(fallback)})`;
        this.warn(
          row.line,
          column,
          'duplicate_id',
          `record id "${id}" is already on line ${first} and ${why}: the row is kept as raw text only, the record on line ${first} stands`,
        );
        return DROP;
      }
    }
  }
}
