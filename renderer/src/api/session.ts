/**
 * Web mode (`concord serve`): the page is opened as `/?token=TOKEN`. The server also sets an HttpOnly cookie on
 * that load, so the token is only a fallback for requests that cannot carry the cookie; it is kept in memory and
 * in sessionStorage (so a reload of this tab still works), and removed from the address bar at once so it does not
 * end up in history, bookmarks or screenshots.
 */
import { ErrorCodeSchema, type ApiError } from '../../../core/api/contract';

const STORAGE_KEY = 'concord.session-token';

export interface UploadResult {
  uploadId: string;
  name: string;
  size: number;
}

export interface WebSession {
  socketUrl(): string;
  /** True when the server answers but refuses this session's token (it was restarted). */
  sessionRefused(): Promise<boolean>;
  upload(
    file: File,
    onProgress: (sent: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<UploadResult>;
}

function readToken(): string | null {
  const url = new URL(window.location.href);
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) {
    try {
      sessionStorage.setItem(STORAGE_KEY, fromQuery);
    } catch {
      // storage disabled: the cookie still authenticates this tab
    }
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromQuery;
  }
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function withToken(path: string, token: string | null, extra: Record<string, string> = {}): URL {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  if (token) url.searchParams.set('token', token);
  return url;
}

/** Turns a failed upload response into the contract's error shape. */
function uploadError(xhr: XMLHttpRequest, name: string): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(xhr.responseText);
  } catch {
    body = null;
  }
  const obj = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const inner = (obj.error && typeof obj.error === 'object' ? obj.error : obj) as Record<string, unknown>;
  if (typeof inner.message === 'string') {
    const code = ErrorCodeSchema.safeParse(inner.code);
    return {
      code: code.success ? code.data : 'INTERNAL',
      message: inner.message,
      details: (inner.details && typeof inner.details === 'object'
        ? inner.details
        : { file: name }) as Record<string, unknown>,
    };
  }
  const status = xhr.status === 0 ? 'the connection was lost' : `HTTP ${xhr.status} ${xhr.statusText}`.trim();
  return {
    code: xhr.status === 401 ? 'UNAUTHORIZED' : xhr.status === 403 ? 'FORBIDDEN' : 'INTERNAL',
    message: `${name}: upload failed (${status})`,
    details: { file: name },
  };
}

export function startWebSession(): WebSession {
  const token = readToken();
  return {
    socketUrl() {
      const url = withToken('/api/ws', token);
      url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
      return url.href;
    },
    async sessionRefused() {
      try {
        const res = await fetch(withToken('/', token).href, {
          method: 'HEAD',
          cache: 'no-store',
          credentials: 'same-origin',
        });
        return res.status === 401;
      } catch {
        return false; // not reachable: down, not refusing
      }
    },
    upload(file, onProgress, signal) {
      // XMLHttpRequest rather than fetch only for upload progress events: the raw File is the body either way,
      // so the browser streams it from disk and never holds it in memory.
      return new Promise<UploadResult>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', withToken('/api/upload', token, { name: file.name }).href);
        xhr.setRequestHeader('Content-Type', 'application/octet-stream');
        xhr.responseType = 'text';
        xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
        xhr.onload = () => {
          if (xhr.status >= 200 && xhr.status < 300) {
            try {
              const r = JSON.parse(xhr.responseText) as UploadResult;
              if (typeof r.uploadId !== 'string') throw new Error('no uploadId');
              onProgress(file.size, file.size);
              resolve(r);
            } catch {
              reject({
                code: 'INTERNAL',
                message: `${file.name}: the server's upload answer was not understood`,
                details: { file: file.name },
              });
            }
          } else reject(uploadError(xhr, file.name));
        };
        xhr.onerror = () => reject(uploadError(xhr, file.name));
        xhr.onabort = () =>
          reject({
            code: 'CANCELLED',
            message: `${file.name}: upload cancelled`,
            details: { file: file.name },
          });
        signal?.addEventListener('abort', () => xhr.abort(), { once: true });
        xhr.send(file);
      });
    },
  };
}
