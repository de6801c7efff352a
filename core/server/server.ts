import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { packageInfo } from '../model/packageInfo.js';
import { discardUpload, uploadsDir } from '../app/uploads.js';
import { HttpError } from './httpError.js';
import { RequestGuard, newToken, parseRequestUrl, securityHeaders } from './security.js';
import { serveStatic } from './staticFiles.js';
import { DEFAULT_UPLOAD_LIMIT, receiveUpload } from './upload.js';
import { WorkerHost } from './workerHost.js';
import { WebSocketBridge } from './wsBridge.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './wsMessage.js';

export const WS_PATH = '/api/ws';
export const UPLOAD_PATH = '/api/upload';

export interface ServerOptions {
  /** Workspace the worker opens (it must exist). */
  workspace: string | null;
  /** 0 = any free port. */
  port?: number;
  /** Session token; default a fresh random one. */
  token?: string;
  uploadLimitBytes?: number;
  maxMessageBytes?: number;
  /** Built renderer (default renderer/dist/ in the Concord folder). */
  rendererDir?: string;
  /** Compiled worker entry (default dist/core/worker/main.js in the Concord folder). */
  workerEntry?: string;
  log?: (line: string) => void;
}

export interface RunningServer {
  port: number;
  token: string;
  /** The URL to open: the page with the token, which then sets the session cookie. */
  url: string;
  worker: WorkerHost;
  close(): Promise<void>;
}

const UNPARSABLE_URL = 'bad request: the request URL does not parse';

/** Bodies the server keeps reading after refusing an upload, so the client sees the 413 instead of a reset. */
const DRAIN_AFTER_REFUSAL_BYTES = 64 * 1024 * 1024;

/**
 * Web mode (DESIGN.md "Process architecture"): an HTTP server on 127.0.0.1 only that serves the built renderer,
 * the API over a WebSocket and file uploads, all behind the session token, Host/Origin checks and a strict CSP.
 * The API is served by a supervised worker process.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const root = packageInfo().root;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = options.token ?? newToken();
  const rendererDir = resolve(options.rendererDir ?? join(root, 'renderer', 'dist'));
  const uploadLimit = options.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT;

  const worker = new WorkerHost({
    entry: options.workerEntry ?? join(root, 'dist', 'core', 'worker', 'main.js'),
    workspace: options.workspace,
    log,
  });
  await worker.start();
  const bridge = new WebSocketBridge(worker, options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
  // Uploads this server received, deleted on close: those never imported, or whose import died with its worker.
  const received: { dir: string; id: string }[] = [];

  const server = createServer();
  const port = await listen(server, options.port ?? 0).catch(async (err: Error) => {
    await worker.stop();
    throw err;
  });
  const guard = new RequestGuard(port, token);
  const headers = securityHeaders(port);

  // Nothing a request brings may throw out of these listeners: an exception there would end the process.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const failed = (err: unknown) => {
      log(`request ${req.method} ${req.url} failed: ${(err as Error)?.stack ?? String(err)}`);
      if (res.headersSent) res.destroy();
      else sendError(res, new HttpError(500, 'INTERNAL', 'internal server error'));
    };
    try {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value!);
      handleRequest(req, res).catch((err: unknown) => {
        try {
          failed(err);
        } catch {
          res.destroy();
        }
      });
    } catch (err) {
      failed(err);
    }
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = parseRequestUrl(req.url);
      if (url === null) return refuseUpgrade(socket, 400, UNPARSABLE_URL, headers);
      const verdict = guard.check(req, url);
      if (!verdict.ok) return refuseUpgrade(socket, verdict.status, verdict.message, headers);
      if (url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'not found', headers);
      bridge.accept(req, socket, head);
    } catch (err) {
      log(`upgrade ${req.url} failed: ${(err as Error)?.stack ?? String(err)}`);
      if (socket.writable) refuseUpgrade(socket, 500, 'internal server error', headers);
      else socket.destroy();
    }
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseRequestUrl(req.url);
    if (url === null) return sendError(res, new HttpError(400, 'BAD_INPUT', UNPARSABLE_URL));
    const verdict = guard.check(req, url);
    if (!verdict.ok) return sendError(res, new HttpError(verdict.status, verdict.code, verdict.message));
    if (url.pathname === UPLOAD_PATH) {
      if (req.method !== 'POST')
        return sendError(res, new HttpError(405, 'BAD_INPUT', `use POST ${UPLOAD_PATH}?name=<file name>`), {
          Allow: 'POST',
        });
      return upload(req, res, url.searchParams.get('name'));
    }
    if (url.pathname.startsWith('/api/'))
      return sendError(res, new HttpError(404, 'NOT_FOUND', `no endpoint ${url.pathname}`));
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendError(res, new HttpError(405, 'BAD_INPUT', 'method not allowed'), { Allow: 'GET, HEAD' });
    if (verdict.tokenFrom === 'query') res.setHeader('Set-Cookie', guard.cookie());
    await serveStatic(req, res, rendererDir);
  }

  async function upload(req: IncomingMessage, res: ServerResponse, name: string | null): Promise<void> {
    try {
      const current = await worker.call('workspace.current', {});
      if (!current.ok) throw new HttpError(500, current.error.code, current.error.message);
      if (current.result === null)
        throw new HttpError(409, 'CONFLICT', 'no workspace is open: open or create one before uploading');
      const dir = uploadsDir((current.result as { path: string }).path);
      const result = await receiveUpload(req, dir, name, uploadLimit);
      received.push({ dir, id: result.uploadId });
      sendJson(res, 200, result);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      sendError(res, err, { Connection: 'close' });
      drain(req);
    }
  }

  let closing: Promise<void> | null = null;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    worker,
    close() {
      closing ??= (async () => {
        bridge.close();
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
        await worker.stop();
        await Promise.all(received.map((u) => discardUpload(u.dir, u.id)));
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    // Loopback only: web mode is for this machine's browser and tests, never the network.
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(text);
}

function sendError(res: ServerResponse, err: HttpError, extra: Record<string, string> = {}): void {
  sendJson(res, err.status, err.body(), extra);
}

/** Reads and drops the rest of a refused body (up to a bound), then lets the connection close. */
function drain(req: IncomingMessage): void {
  if (req.complete) return;
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_AFTER_REFUSAL_BYTES) req.destroy();
  });
  req.on('error', () => {});
  req.resume();
}

function refuseUpgrade(
  socket: Duplex,
  status: number,
  message: string,
  headers: Record<string, unknown>,
): void {
  const reason = STATUS_CODES[status] ?? 'Error';
  const body = `${message}\n`;
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${String(v)}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
