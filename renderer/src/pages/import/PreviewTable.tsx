import type { ImportPreview } from '../../../../core/api/contract';

/** The first rows of a file as the worker read them: header and cells as text, horizontally scrollable. */
export function PreviewTable({
  preview,
  caption,
  highlightLine = null,
}: {
  preview: ImportPreview;
  caption: string;
  /** The line an error points at, marked in the table. */
  highlightLine?: number | null;
}) {
  const width = Math.max(preview.header.length, ...preview.rows.map((r) => r.cells.length));
  const columns = Array.from({ length: width }, (_, i) => preview.header[i] ?? '');
  return (
    <div className="table-scroll preview-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="data-table preview-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="col-line">
              Line
            </th>
            {columns.map((h, i) => (
              <th
                key={i}
                scope="col"
                title={h}
                className={i >= preview.header.length ? 'cell-extra' : undefined}
              >
                {h || <span className="text-muted">(column {i + 1})</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((r) => {
            const ragged = r.cells.length !== preview.header.length;
            const marked = ragged || r.line === highlightLine;
            return (
              <tr
                key={r.line}
                className={marked ? 'row-ragged' : undefined}
                aria-current={r.line === highlightLine ? 'true' : undefined}
              >
                <td
                  className="col-line num"
                  title={
                    ragged ? `${r.cells.length} fields, the header has ${preview.header.length}` : undefined
                  }
                >
                  {r.line}
                </td>
                {columns.map((_, i) => {
                  const v = r.cells[i];
                  return (
                    <td key={i} title={v} className={v === undefined ? 'cell-missing' : undefined}>
                      {v}
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {preview.rows.length === 0 && (
            <tr>
              <td colSpan={width + 1} className="empty-cell">
                No data rows in the first part of the file.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
