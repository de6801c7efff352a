/**
 * Web-mode transport: the shared channel client (core/rpc/client.ts) over one WebSocket to `concord serve`. When
 * the socket drops, requests in flight fail (the server may or may not have run them), new requests wait, and the
 * socket reconnects with exponential backoff; the state is observable for the UI.
 */
import type { EventMessage } from '../../../core/api/contract';
import { ChannelClient } from '../../../core/rpc/client';
import { webSocketTransport } from '../../../core/rpc/transport';
import type { ConnectionState, Transport } from './transport';

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

export class WebSocketTransport implements Transport {
  readonly mode = 'web';
  private readonly client = new ChannelClient({ toError: (error) => error });
  private socket: WebSocket | null = null;
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
    return this.client.invoke(method, params);
  }

  onEvent(listener: (e: EventMessage) => void): () => void {
    return this.client.onEvent(listener);
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
      // Requests queued meanwhile go out now.
      this.client.connect(
        webSocketTransport(socket),
        (method) => `Lost the connection to Concord while waiting for ${method}; it may or may not have run.`,
      );
    };
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleReconnect();
    });
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
}
