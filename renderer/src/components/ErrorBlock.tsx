import type { ApiError } from '../../../core/api/contract';
import { Icon } from './Icon';

/** Where in the file the error is: the details core attaches to bad input. */
export function errorLocation(error: ApiError): { label: string; value: string }[] {
  const d = error.details;
  const out: { label: string; value: string }[] = [];
  if (typeof d.file === 'string' && d.file) out.push({ label: 'File', value: d.file });
  if (typeof d.line === 'number') out.push({ label: 'Line', value: String(d.line) });
  if (typeof d.column === 'number') out.push({ label: 'Column', value: String(d.column) });
  if (typeof d.field === 'string' && d.field) out.push({ label: 'Field', value: d.field });
  return out;
}

/** An error shown in full: the message, then file / line / field as labelled values, then the code. */
export function ErrorBlock({ title, error }: { title: string; error: ApiError }) {
  const where = errorLocation(error);
  return (
    <div className="error-block" role="alert">
      <div className="error-block-title">
        <Icon name="alert" />
        <span>{title}</span>
        <code className="error-code">{error.code}</code>
      </div>
      {where.length > 0 && (
        <dl className="error-where">
          {where.map((w) => (
            <div key={w.label} className="error-where-item">
              <dt>{w.label}</dt>
              <dd>{w.value}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="error-message">{error.message}</p>
    </div>
  );
}
