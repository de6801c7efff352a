import WebSocket from 'ws';
import type { ApiError, EventMessage, MethodName, Params, Result, ServerMessage } from '../api/contract.js';
import { ConcordError } from '../model/errors.js';

/**
 * A Node client for the web-mode API (`/api/ws`): typed calls from the contract, and the events pushed so far.
 * For tests, benchmarks and scripts; the browser has its own client in the renderer.
 */
export class ApiSocket {
  /** Every event received, oldest first. */
  readonly events: EventMessage[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(err: Error): void }>();
  private readonly waiters: { test(e: EventMessage): boolean; resolve(e: EventMessage): void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.onMessage(JSON.parse(String(data)) as ServerMessage));
    socket.on('close', () => {
      for (const p of this.pending.values())
        p.reject(new Error('the WebSocket closed before the answer came'));
      this.pending.clear();
    });
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<ApiSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(new ApiSocket(socket)));
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`WebSocket upgrade refused: HTTP ${res.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }

  /** Calls a method; an error response rejects with a ConcordError carrying its code and details. */
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    return this.send(method, params) as Promise<Result<M>>;
  }

  /** Sends anything as a request (tests of bad input); resolves with the result. */
  send(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ type: 'request', id, method, params }));
    });
  }

  /** Resolves with the first event (already received or coming) that passes `test`. */
  waitForEvent(test: (event: EventMessage) => boolean, timeoutMs = 30_000): Promise<EventMessage> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching event within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        test,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  close(): void {
    this.socket.close();
  }

  private onMessage(message: ServerMessage): void {
    if (message.type === 'event') {
      this.events.push(message);
      for (const w of [...this.waiters]) {
        if (w.test(message)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(message);
        }
      }
      return;
    }
    const p = this.pending.get(message.id);
    if (!p) return;
    this.pending.delete(message.id);
    if (message.ok) p.resolve(message.result);
    else p.reject(toError(message.error));
  }
}

function toError(error: ApiError): ConcordError {
  return new ConcordError(error.code, error.message, error.details);
}
