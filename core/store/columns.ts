/**
 * The column-to-field rule every table module shares: a snake_case column fills the camelCase field of its row type
 * (`price_minor` -> `priceMinor`), so a table needs one column list and one row type, and no map between them.
 */

/** The row field a column fills (`image_url` -> `imageUrl`). */
export type FieldOf<C extends string> = C extends `${infer H}_${infer T}`
  ? `${H}${Capitalize<FieldOf<T>>}`
  : C;

const fields = new Map<string, string>();

/** The row field a column fills, at run time. */
export function fieldOf<C extends string>(column: C): FieldOf<C> {
  let f = fields.get(column);
  if (f === undefined) {
    f = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    fields.set(column, f);
  }
  return f as FieldOf<C>;
}

/** A row read as `raw` in the order of `columns` -> the fields they fill (`T`: those fields of the row type). */
export function hydrate<T>(columns: readonly string[], row: readonly unknown[]): T {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) out[fieldOf(columns[i])] = row[i];
  return out as T;
}

/** A table's columns but the given ones, in table order. */
export function columnsExcept<C extends string, X extends C>(
  columns: readonly C[],
  omit: readonly X[],
): Exclude<C, X>[] {
  return columns.filter((c): c is Exclude<C, X> => !(omit as readonly string[]).includes(c));
}

/** A row read by column name, its values under their field names. */
export type Fields<R> = { [K in keyof R as FieldOf<K & string>]: R[K] };

/** A row read by column name (`.get()`, `.all()`) -> the same values under their field names. */
export function fieldsOf<R extends object>(row: R): Fields<R> {
  const out: Record<string, unknown> = {};
  for (const column in row) out[fieldOf(column)] = row[column];
  return out as Fields<R>;
}
