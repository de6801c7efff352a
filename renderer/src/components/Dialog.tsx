import { useEffect, useRef, type ReactNode } from 'react';
import { toastHost } from '../state/toasts';
import { CloseButton } from './CloseButton';

/** A modal on the native <dialog>: focus is trapped and Esc closes it. */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const toastSlot = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
    if (!open) return;
    const slot = toastSlot.current;
    toastHost.set(slot);
    return () => toastHost.set((host) => (host === slot ? null : host));
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="dialog-title"
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its box) closes it.
        if (e.target === ref.current) onClose();
      }}
    >
      <div className="dialog-box">
        <header className="dialog-header">
          <h2 id="dialog-title">{title}</h2>
          <CloseButton label="Close" onClick={onClose} />
        </header>
        <div className="dialog-body">{children}</div>
        <div className="dialog-toasts" ref={toastSlot} />
      </div>
    </dialog>
  );
}
