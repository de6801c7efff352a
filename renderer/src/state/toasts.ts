/** Transient messages (errors that belong to no card, notices from the worker, confirmations). */
import type { ApiError } from '../../../core/api/contract';
import { toApiError } from '../api/transport';
import { createStore } from '../lib/store';

export type ToastLevel = 'error' | 'info' | 'success';

export interface Toast {
  id: number;
  level: ToastLevel;
  title: string;
  message: string;
  /** Error code and details, shown in full. */
  error?: ApiError;
  /** A button on the toast (Undo): clicking it runs `run` and dismisses the toast. */
  action?: ToastAction;
}

export interface ToastAction {
  label: string;
  run: () => void;
}

const MAX_TOASTS = 5;
const AUTO_DISMISS_MS: Record<ToastLevel, number | null> = { info: 6000, success: 4000, error: null };
/** A toast with an action stays longer: time to read it and reach the button. */
const ACTION_DISMISS_MS = 12_000;

export const toasts = createStore<Toast[]>([]);
/**
 * Where toasts show while a modal dialog is open: a slot inside it (components/Dialog.tsx). A modal dialog sits in
 * the browser's top layer and makes the rest of the page inert, so toasts outside it would sit under its backdrop,
 * unreachable; inside, below its content, they neither cover it nor go dead.
 */
export const toastHost = createStore<HTMLElement | null>(null);
let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function clearTimer(id: number): void {
  const t = timers.get(id);
  if (t !== undefined) clearTimeout(t);
  timers.delete(id);
}

export function dismissToast(id: number): void {
  clearTimer(id);
  toasts.set((list) => list.filter((x) => x.id !== id));
}

/** Pauses a toast's auto-dismiss while the pointer or focus is on it. */
export function holdToast(id: number, hold: boolean): void {
  const toast = toasts.get().find((t) => t.id === id);
  if (!toast) return;
  clearTimer(id);
  const ms = toast.action && toast.level !== 'error' ? ACTION_DISMISS_MS : AUTO_DISMISS_MS[toast.level];
  if (!hold && ms !== null)
    timers.set(
      id,
      setTimeout(() => dismissToast(id), ms),
    );
}

export function showToast(level: ToastLevel, title: string, message: string, error?: ApiError): number {
  return pushToast({ level, title, message, error });
}

/** A toast with a button (Undo) that runs `action.run` and closes the toast. */
export function showActionToast(
  level: ToastLevel,
  title: string,
  message: string,
  action: ToastAction,
): number {
  return pushToast({ level, title, message, action });
}

function pushToast(toast: Omit<Toast, 'id'>): number {
  const id = nextId++;
  toasts.set((list) => {
    const next = [...list, { ...toast, id }];
    for (const old of next.slice(0, Math.max(0, next.length - MAX_TOASTS))) clearTimer(old.id);
    return next.slice(-MAX_TOASTS);
  });
  holdToast(id, false);
  return id;
}

/** An error toast for a failed call, with the error's full message and details. */
export function showError(title: string, err: unknown): void {
  const e = toApiError(err);
  showToast('error', title, e.message, e);
}
