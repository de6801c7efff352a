import WebSocket from 'ws';
import type { EventMessage, MethodName, Params, Result } from '../api/contract.js';
import { ConcordError } from '../model/errors.js';
import { ChannelClient } from '../rpc/client.js';
import { webSocketTransport } from '../rpc/transport.js';

/**
 * A Node client for the web-mode API (`/api/ws`): the shared channel client over a `ws` socket, with the events
 * pushed so far. For tests, benchmarks and scripts; the browser uses the same client in the renderer.
 */
export class ApiSocket {
  /** Every event received, oldest first. */
  readonly events: EventMessage[] = [];
  private readonly client = new ChannelClient({
    toError: (error) => new ConcordError(error.code, error.message, error.details),
  });
  private readonly waiters: { test(e: EventMessage): boolean; resolve(e: EventMessage): void }[] = [];

  private constructor(readonly socket: WebSocket) {
    this.client.connect(webSocketTransport(socket), () => 'the WebSocket closed before the answer came');
    this.client.onEvent((event) => this.onEvent(event));
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
    return this.client.call(method, params);
  }

  /** Sends anything as a request (tests of bad input); resolves with the result. */
  send(method: string, params: unknown): Promise<unknown> {
    return this.client.invoke(method, params);
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
    this.client.close('the WebSocket was closed');
  }

  private onEvent(event: EventMessage): void {
    this.events.push(event);
    for (const w of [...this.waiters]) {
      if (w.test(event)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  }
}
