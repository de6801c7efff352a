import { createPortal } from 'react-dom';
import { CloseButton } from '../components/CloseButton';
import { Icon } from '../components/Icon';
import { describeError } from '../api/errorText';
import { useStore } from '../lib/store';
import { dismissToast, holdToast, toastHost, toasts } from '../state/toasts';

export function Toasts() {
  const list = useStore(toasts);
  const host = useStore(toastHost);
  const stack = (
    <div className={host ? 'toasts toasts-in-dialog' : 'toasts'} aria-live="polite" aria-relevant="additions">
      {list.map((t) => {
        const text = t.error ? describeError(t.error) : null;
        return (
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
              <div className="toast-title">{t.title}</div>
              <div className="toast-message">{text ? text.sentence : t.message}</div>
              {text?.remedy && <div className="toast-remedy">{text.remedy}</div>}
              {text && <div className="toast-where">{text.details}</div>}
            </div>
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
            <CloseButton label="Dismiss" onClick={() => dismissToast(t.id)} />
          </div>
        );
      })}
    </div>
  );
  return host ? createPortal(stack, host) : stack;
}
