/**
 * The preload bridge Electron exposes as `window.concord` (electron/preload, contextBridge). Everything is
 * untyped on purpose: the bridge forwards, the client (./client.ts) checks what comes back against the contract.
 */
export interface ConcordBridge {
  /** Calls one API method; resolves with its result, rejects with `{code, message, details}` (or an Error). */
  invoke(method: string, params: unknown): Promise<unknown>;
  /** Subscribes to pushed events (`{type:'event', …}`); returns the unsubscribe function. */
  onEvent(cb: (e: unknown) => void): () => void;
  /** Native file dialog; absolute paths, empty when cancelled. */
  pickFiles?(): Promise<string[]>;
  /** Native dialog for a workspace file; null when cancelled. */
  pickWorkspace?(mode: 'open' | 'create'): Promise<string | null>;
  /**
   * The absolute path of a dropped File (Electron's `webUtils.getPathForFile`, which only the preload can call).
   * Optional: without it, files can still be picked with the dialog.
   */
  getPathForFile?(file: File): string;
}

declare global {
  interface Window {
    concord?: ConcordBridge;
  }
}

export function getBridge(): ConcordBridge | undefined {
  const b = window.concord;
  return b && typeof b.invoke === 'function' && typeof b.onEvent === 'function' ? b : undefined;
}
