/**
 * Web-mode transport: one WebSocket to `concord serve` carrying `{type:'request'}` out and `{type:'response'}` /
 * `{type:'event'}` in. When the socket drops, requests in flight fail (the server may or may not have run them),
 * new requests wait, and the socket reconnects with exponential backoff; the state is observable for the UI.
 */
import type { ApiError, EventMessage } from '../../../core/api/contract';
import { parseEvent, toApiError, type ConnectionState, type Transport } from './transport';

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(error: ApiError): void;
}

export class WebSocketTransport implements Transport {
  readonly mode = 'web';
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: { id: number; frame: string }[] = [];
  private readonly eventListeners = new Set<(e: EventMessage) => void>();
  private readonly connectionListeners = new Set<(s: ConnectionState) => void>();
  private state: ConnectionState = { status: 'connecting', attempt: 0, retryAt: null, everOpen: false };
  private timer: ReturnType<typeof setTimeout> | null = null;

  /**
   * @param url the socket URL (with the token)
   * @param sessionRefused asks the server over HTTP whether it refuses this session (401), to tell "server down"
   *   from "server restarted with a new token" — a browser does not expose why a WebSocket handshake failed.
   */
  constructor(
    private readonly url: string,
    private readonly sessionRefused: () => Promise<boolean>,
  ) {
    this.connect();
    window.addEventListener('online', () => this.reconnectNow());
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    const frame = JSON.stringify({ type: 'request', id, method, params });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(frame);
      else this.queue.push({ id, frame });
    });
  }

  onEvent(listener: (e: EventMessage) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  connection(): ConnectionState {
    return this.state;
  }

  onConnection(listener: (s: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  reconnectNow(): void {
    if (this.state.status !== 'reconnecting' && this.state.status !== 'ended') return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  }

  private setState(next: Partial<ConnectionState>): void {
    this.state = { ...this.state, ...next };
    for (const l of this.connectionListeners) l(this.state);
  }

  private connect(): void {
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      // The browser refused the URL itself: retry like a dropped socket.
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    if (this.state.status === 'reconnecting') this.setState({ retryAt: null });
    socket.onopen = () => {
      this.setState({ status: 'open', attempt: 0, retryAt: null, everOpen: true });
      for (const q of this.queue.splice(0)) socket.send(q.frame);
    };
    socket.onmessage = (e) => this.receive(e.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      const queued = new Set(this.queue.map((q) => q.id));
      for (const [id, p] of this.pending) {
        // Only requests already sent are lost; queued ones are sent after the reconnect.
        if (!queued.has(id)) {
          this.pending.delete(id);
          p.reject({
            code: 'INTERNAL',
            message: `Lost the connection to Concord while waiting for ${p.method}; it may or may not have run.`,
            details: { method: p.method },
          });
        }
      }
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    const attempt = this.state.attempt + 1;
    if (attempt >= 2) {
      void this.sessionRefused().then((refused) => {
        if (!refused || this.socket || this.timer === null) return;
        clearTimeout(this.timer);
        this.timer = null;
        this.setState({ status: 'ended', retryAt: null });
      });
    }
    const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
    this.setState({ status: 'reconnecting', attempt, retryAt: Date.now() + delay });
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as Record<string, unknown>;
    if (m.type === 'response' && typeof m.id === 'number') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok === true) p.resolve(m.result);
      else p.reject(toApiError(m.error));
      return;
    }
    const event = parseEvent(msg);
    if (event) for (const l of this.eventListeners) l(event);
  }
}
