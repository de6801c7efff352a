import { CloseButton } from '../components/CloseButton';
import { Icon } from '../components/Icon';
import { errorLocation } from '../components/ErrorBlock';
import { useStore } from '../lib/store';
import { dismissToast, holdToast, toasts } from '../state/toasts';

export function Toasts() {
  const list = useStore(toasts);
  return (
    <div className="toasts" aria-live="polite" aria-relevant="additions">
      {list.map((t) => (
        <div
          key={t.id}
          className={`toast toast-${t.level}`}
          role={t.level === 'error' ? 'alert' : 'status'}
          onMouseEnter={() => holdToast(t.id, true)}
          onMouseLeave={() => holdToast(t.id, false)}
          onFocus={() => holdToast(t.id, true)}
          onBlur={() => holdToast(t.id, false)}
        >
          <Icon
            name={t.level === 'error' ? 'alert' : t.level === 'success' ? 'check' : 'info'}
            className="toast-icon"
          />
          <div className="toast-body">
            <div className="toast-title">
              {t.title}
              {t.error && <code className="error-code">{t.error.code}</code>}
            </div>
            <div className="toast-message">{t.message}</div>
            {t.action && (
              <button
                type="button"
                className="btn btn-sm toast-action"
                onClick={() => {
                  dismissToast(t.id);
                  t.action!.run();
                }}
              >
                {t.action.label}
              </button>
            )}
            {t.error && errorLocation(t.error).length > 0 && (
              <div className="toast-where">
                {errorLocation(t.error)
                  .map((w) => `${w.label} ${w.value}`)
                  .join(' · ')}
              </div>
            )}
          </div>
          <CloseButton label="Dismiss" onClick={() => dismissToast(t.id)} />
        </div>
      ))}
    </div>
  );
}
