import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { ChannelServer } from '../rpc/server.js';
import type { Transport } from '../rpc/transport.js';
import type { WorkerHost } from './workerHost.js';
import { decodeClientFrame, DEFAULT_MAX_MESSAGE_BYTES } from './wsMessage.js';

/**
 * The WebSocket API (`/api/ws`): each socket is a connection of one channel server (core/rpc/server.ts) whose
 * requests go to the worker through the host, which gives each call its own worker-side id; events go to every
 * socket. Broken messages get a BAD_INPUT response; nothing a client sends can bring the server down.
 */
export class WebSocketBridge {
  private readonly wss: WebSocketServer;
  private readonly channel: ChannelServer;

  constructor(
    host: WorkerHost,
    private readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
  ) {
    // ws itself closes the socket (1009) beyond maxPayload; below that, oversized messages get an error response.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: Math.max(maxMessageBytes * 16, 16 * 1024 * 1024),
    });
    this.channel = new ChannelServer((request, signal) =>
      host.call(request.method, request.params, { signal }),
    );
    this.wss.on('connection', (socket) => {
      socket.on('error', () => socket.terminate());
      this.channel.connect(serverSocketTransport(socket, this.maxMessageBytes));
    });
    host.onEvent((event) => this.channel.broadcast(event));
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
}

/**
 * The server's end of a `ws` socket as a transport: JSON text frames, each at most `maxBytes`. A frame that is
 * binary, too big, too deeply nested or not JSON is delivered as a MalformedMessage, which the channel server
 * answers with BAD_INPUT.
 */
function serverSocketTransport(socket: WebSocket, maxBytes: number): Transport {
  return {
    post(message) {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    },
    close: () => socket.close(),
    onClose: (listener) => void socket.on('close', listener),
    onMessage(listener) {
      socket.on('message', (data: RawData, isBinary: boolean) => {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        listener(decodeClientFrame(bytes, isBinary, maxBytes));
      });
    },
  };
}
