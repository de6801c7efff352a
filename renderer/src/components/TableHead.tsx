/** A column of a data table's header: its label, right-aligned when it holds numbers. */
export interface Column {
  label: string;
  num?: boolean;
}

/** A data table's header row from its column list. */
export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c.label} scope="col" className={c.num ? 'num-col' : undefined}>
            {c.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
