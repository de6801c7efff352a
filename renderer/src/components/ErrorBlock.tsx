import type { ApiError } from '../../../core/api/contract';
import { describeError, errorLocation } from '../api/errorText';
import { Icon } from './Icon';

/**
 * An error shown in full: the title, file / line / field as labelled values, what went wrong as a sentence, what
 * to do about it in the GUI's words, and the code on a details line.
 */
export function ErrorBlock({ title, error }: { title: string; error: ApiError }) {
  const where = errorLocation(error);
  const text = describeError(error);
  return (
    <div className="error-block" role="alert">
      <div className="error-block-title">
        <Icon name="alert" />
        <span>{title}</span>
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
      <p className="error-message">{text.sentence}</p>
      {text.remedy && <p className="error-remedy">{text.remedy}</p>}
      <p className="error-details">
        Error code <code>{error.code}</code>
      </p>
    </div>
  );
}
