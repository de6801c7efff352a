import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { RequestMessageSchema, type ApiError, type ServerMessage } from '../api/contract.js';
import { describeIssues } from '../api/toApiError.js';
import type { WorkerHost } from './workerHost.js';

/** Requests are small JSON documents; anything bigger is refused with an error response. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * The WebSocket API (`/api/ws`): each text message is a RequestMessage, answered with a ResponseMessage carrying
 * the same id; events go to every socket. Sockets share the one worker through the host, which gives each call its
 * own worker-side id. Broken messages get a BAD_INPUT response; nothing a client sends can bring the server down.
 */
export class WebSocketBridge {
  private readonly wss: WebSocketServer;

  constructor(
    private readonly host: WorkerHost,
    private readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
  ) {
    // ws itself closes the socket (1009) beyond maxPayload; below that, oversized messages get an error response.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: Math.max(maxMessageBytes * 16, 16 * 1024 * 1024),
    });
    this.wss.on('connection', (socket) => this.serve(socket));
    host.onEvent((event) => this.broadcast(event));
  }

  /** Completes an upgrade the server has already authorized. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  get clientCount(): number {
    return this.wss.clients.size;
  }

  close(): void {
    for (const socket of this.wss.clients) socket.close(1001, 'server shutting down');
    this.wss.close();
  }

  private serve(socket: WebSocket): void {
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      void this.onMessage(socket, data, isBinary);
    });
  }

  private async onMessage(socket: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary)
      return send(
        socket,
        errorResponse(-1, 'binary messages are not accepted: send each request as JSON text'),
      );
    const text = bytes.toString('utf8');
    if (bytes.length > this.maxMessageBytes) {
      return send(
        socket,
        errorResponse(peekId(text), `message is ${bytes.length} bytes; the limit is ${this.maxMessageBytes}`),
      );
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (err) {
      return send(socket, errorResponse(-1, `message is not valid JSON (${(err as Error).message})`));
    }
    const request = RequestMessageSchema.safeParse(message);
    if (!request.success) {
      return send(
        socket,
        errorResponse(peekId(text), `not a request message: ${describeIssues(request.error.issues)}`),
      );
    }
    const { id, method, params } = request.data;
    const outcome = await this.host.call(method, params);
    send(
      socket,
      outcome.ok
        ? { type: 'response', id, ok: true, result: outcome.result }
        : { type: 'response', id, ok: false, error: outcome.error },
    );
  }

  private broadcast(message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const socket of this.wss.clients) if (socket.readyState === WebSocket.OPEN) socket.send(text);
  }
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function errorResponse(id: number, message: string): ServerMessage {
  const error: ApiError = { code: 'BAD_INPUT', message, details: {} };
  return { type: 'response', id, ok: false, error };
}

/** The request id of a message that could not be parsed as one, when its start shows it: else -1. */
function peekId(text: string): number {
  const m = /"id"\s*:\s*(-?\d{1,15})\s*[,}]/.exec(text.slice(0, 4096));
  return m ? Number(m[1]) : -1;
}
