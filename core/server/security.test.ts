import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSuiteTempDir } from '../test-support/tmp.js';
import WebSocket from 'ws';
import { httpRequest, type HttpReply } from '../test-support/http.js';
import { tokenCookieName, tokensEqual } from './security.js';
import { startTestServer } from '../test-support/webServer.js';
import type { RunningServer } from './server.js';
import { ApiSocket } from './wsClient.js';

/** A raw HTTP request, so tests control every header (Host and Origin included). */
function send(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: Buffer,
): Promise<HttpReply> {
  return httpRequest(port, path, { method, headers, body });
}

/** Writes `request` on a plain TCP socket and resolves with everything the server sent before it closed. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (reply += d));
    socket.on('end', () => resolve(reply));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' ? resolve(reply) : reject(err),
    );
    socket.write(request);
  });
}

/** A WebSocket upgrade request for `path`, written by hand so the path can be anything. */
function upgradeRequest(port: number, path: string, headers: Record<string, string> = {}): string {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The HTTP status of a WebSocket upgrade: 101 when accepted, else what the server refused with. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode!);
      res.resume();
    });
    ws.once('error', reject);
  });
}

function jarHeader(jar: Map<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
  "connect-src 'self' ws://127.0.0.1:PORT; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

describe('web server security (real HTTP and WebSocket on 127.0.0.1)', () => {
  const dir = useSuiteTempDir('concord-server-');
  let renderer: string;
  let server: RunningServer;
  let port: number;
  let token: string;

  beforeAll(async () => {
    renderer = join(dir(), 'renderer-dist');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(
      join(renderer, 'index.html'),
      '<!doctype html><title>Concord</title><script type="module" src="/assets/app.js"></script>',
    );
    writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log("concord");');
    writeFileSync(join(renderer, 'assets', 'app.css'), 'body{}');
    writeFileSync(join(renderer, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir(), 'secret.txt'), 'outside the renderer');
    server = await startTestServer(join(dir(), 'w.concord'), {
      rendererDir: renderer,
      maxMessageBytes: 65536,
    });
    port = server.port;
    token = server.token;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('prints a URL on 127.0.0.1 with a 32-byte hex token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
  });

  it("serves the page for /?token= and sets an HttpOnly SameSite=Strict cookie that the page's assets then use", async () => {
    const page = await send(port, `/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>Concord</title>');
    expect(page.headers['set-cookie']).toEqual([
      `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    ]);

    const cookie = { Cookie: `${tokenCookieName(port)}=${token}` };
    const js = await send(port, '/assets/app.js', cookie);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("concord");');
    expect((await send(port, '/assets/app.css', cookie)).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    expect((await send(port, '/logo.svg', cookie)).headers['content-type']).toBe('image/svg+xml');
    expect((await send(port, '/sources', cookie)).body).toContain('<title>Concord</title>'); // client-side route
    expect((await send(port, '/assets/missing.js', cookie)).status).toBe(404);
  });

  it('keeps two servers in one browser apart: each sets its own cookie, so neither overwrites the other', async () => {
    const other = await startTestServer(join(dir(), 'second.concord'), { rendererDir: renderer });
    try {
      // A browser keeps one cookie per name and host, whatever the port (RFC 6265 §8.5).
      const jar = new Map<string, string>();
      const load = async (p: number, query: string) => {
        const reply = await send(p, `/${query}`, jar.size > 0 ? { Cookie: jarHeader(jar) } : {});
        for (const line of reply.headers['set-cookie'] ?? []) {
          const [pair] = line.split(';');
          const eq = pair.indexOf('=');
          jar.set(pair.slice(0, eq), pair.slice(eq + 1));
        }
        return reply.status;
      };
      expect(await load(port, `?token=${token}`)).toBe(200);
      expect(await load(other.port, `?token=${other.token}`)).toBe(200);
      expect(jar.size).toBe(2);
      expect(await load(port, '')).toBe(200);
      expect(await load(other.port, '')).toBe(200);
      expect(await upgradeStatus(`ws://127.0.0.1:${port}/api/ws`, { Cookie: jarHeader(jar) })).toBe(101);
      expect(await upgradeStatus(`ws://127.0.0.1:${other.port}/api/ws`, { Cookie: jarHeader(jar) })).toBe(
        101,
      );
    } finally {
      await other.close();
    }
  });

  it('refuses requests without the right token with 401, and accepts the Bearer header', async () => {
    for (const path of ['/', '/assets/app.js', '/api/upload?name=x.csv']) {
      expect((await send(port, path)).status).toBe(401);
      expect((await send(port, path, { Cookie: `${tokenCookieName(port)}=${'0'.repeat(64)}` })).status).toBe(
        401,
      );
    }
    expect((await send(port, `/?token=${token.slice(0, -1)}`)).status).toBe(401);
    expect((await send(port, `/?token=`)).status).toBe(401);
    expect((await send(port, '/', { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect(
      (await send(port, '/', { Cookie: `other=1; ${tokenCookieName(port)}=${token.toUpperCase()}` })).status,
    ).toBe(401);
    const bearer = await send(port, '/', { Authorization: `Bearer ${token}` });
    expect(bearer.status).toBe(200);
    expect(bearer.headers['set-cookie']).toBeUndefined();
    expect((await send(port, '/', { Cookie: `other=1; ${tokenCookieName(port)}=${token}` })).status).toBe(
      200,
    );
  });

  it('refuses a foreign Host header with 403 even with the token (DNS rebinding)', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      `0.0.0.0:${port}`,
      `[::1]:${port}`,
    ]) {
      expect((await send(port, '/', { ...auth, Host: host })).status).toBe(403);
    }
    expect((await send(port, '/', { ...auth, Host: `localhost:${port}` })).status).toBe(200);
    expect((await send(port, '/', { ...auth, Host: `LOCALHOST:${port}` })).status).toBe(200);
  });

  it("refuses a foreign Origin with 403, and accepts this server's own", async () => {
    const auth = { Authorization: `Bearer ${token}` };
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${port + 1}`,
      `https://127.0.0.1:${port}`,
      'null',
    ]) {
      expect((await send(port, '/', { ...auth, Origin: origin })).status).toBe(403);
      expect(
        (await send(port, '/api/upload?name=a.csv', { ...auth, Origin: origin }, 'POST', Buffer.from('x')))
          .status,
      ).toBe(403);
    }
    expect((await send(port, '/', { ...auth, Origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await send(port, '/', { ...auth, Origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it('sends the strict CSP and hardening headers on every response', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const replies = [
      await send(port, '/', auth),
      await send(port, '/assets/app.js', auth),
      await send(port, '/'),
      await send(port, '/', { ...auth, Host: 'evil.example' }),
      await send(port, '/nope.png', auth),
      await send(port, '/api/nothing', auth),
      await send(port, '/', auth, 'DELETE'),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 401, 403, 404, 404, 405]);
    for (const r of replies) {
      expect(r.headers['content-security-policy']).toBe(CSP.replace('PORT', String(port)));
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(r.headers['x-frame-options']).toBe('DENY');
    }
    expect(replies[0].headers['content-security-policy']).not.toMatch(/unsafe-eval|https?:\/\/(?!127)/);
  });

  it('never serves a file outside the renderer folder', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    for (const path of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets%00.js',
    ]) {
      const r = await send(port, path, auth);
      expect(r.body).not.toContain('outside the renderer');
      expect([400, 404]).toContain(r.status);
    }
  });

  it('shows a 503 page that says how to build the UI when renderer/dist is missing', async () => {
    renameSync(join(renderer, 'index.html'), join(renderer, 'index.off'));
    try {
      const r = await send(port, '/', { Authorization: `Bearer ${token}` });
      expect(r.status).toBe(503);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.body).toContain('npm run build:renderer');
      expect(r.headers['content-security-policy']).toBe(CSP.replace('PORT', String(port)));
    } finally {
      renameSync(join(renderer, 'index.off'), join(renderer, 'index.html'));
    }
  });

  it('lets a WebSocket upgrade through only with the token, this Host and this Origin', async () => {
    const url = `ws://127.0.0.1:${port}/api/ws`;
    expect(await upgradeStatus(url)).toBe(401);
    expect(await upgradeStatus(`${url}?token=wrong`)).toBe(401);
    expect(await upgradeStatus(`${url}?token=${token}`)).toBe(101);
    expect(await upgradeStatus(url, { Authorization: `Bearer ${token}` })).toBe(101);
    expect(
      await upgradeStatus(url, {
        Cookie: `${tokenCookieName(port)}=${token}`,
        Origin: `http://127.0.0.1:${port}`,
      }),
    ).toBe(101);
    expect(await upgradeStatus(`${url}?token=${token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(`${url}?token=${token}`, { Host: `evil.example:${port}` })).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/other?token=${token}`)).toBe(404);
  });

  it('answers broken WebSocket messages with BAD_INPUT errors and keeps serving', async () => {
    const api = await ApiSocket.connect(`ws://127.0.0.1:${port}/api/ws?token=${token}`);
    const raw: unknown[] = [];
    api.socket.on('message', (d, isBinary) => raw.push(isBinary ? 'binary' : JSON.parse(String(d))));
    const nextRaw = async (count: number) => {
      while (raw.length < count) await new Promise((r) => setTimeout(r, 5));
      return raw[count - 1];
    };
    api.socket.send('{"type":"request","id":');
    expect(await nextRaw(1)).toMatchObject({
      type: 'response',
      id: -1,
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/^message is not valid JSON/) },
    });
    const oversized = JSON.stringify({
      type: 'request',
      id: 5,
      method: 'app.info',
      params: { padding: 'x'.repeat(70000) },
    });
    api.socket.send(oversized);
    expect(await nextRaw(2)).toMatchObject({
      id: 5,
      ok: false,
      error: { code: 'BAD_INPUT', message: `message is ${oversized.length} bytes; the limit is 65536` },
    });
    api.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await nextRaw(3)).toMatchObject({
      id: -1,
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/^binary messages are not accepted/) },
    });
    api.socket.send(JSON.stringify({ type: 'request', id: 6, params: {} }));
    expect(await nextRaw(4)).toMatchObject({
      id: 6,
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/^not a request message: method/) },
    });
    api.socket.send(
      JSON.stringify({ type: 'request', id: 7, method: 'sources.warnings', params: { sourceId: 'x' } }),
    );
    expect(await nextRaw(5)).toMatchObject({
      id: 7,
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/sourceId/) },
    });

    await expect(api.call('app.info', {})).resolves.toMatchObject({ mode: 'web' });
    api.close();
  });

  it('keeps request ids apart when several sockets share the worker', async () => {
    const sockets = await Promise.all(
      [1, 2, 3].map(() => ApiSocket.connect(`ws://127.0.0.1:${port}/api/ws?token=${token}`)),
    );
    // Every socket uses ids 1, 2, 3…: each must get its own answers back.
    const results = await Promise.all(
      sockets.flatMap((s, i) => [
        s.call('workspace.current', {}),
        s.send(i === 1 ? 'nope' : 'app.info', {}).catch((e: Error) => e.message),
      ]),
    );
    expect(results[0]).toMatchObject({ name: 'w' });
    expect(results[1]).toMatchObject({ mode: 'web' });
    expect(results[3]).toMatch(/^unknown method "nope"/);
    expect(results[5]).toMatchObject({ mode: 'web' });
    for (const s of sockets) s.close();
  });

  it('answers 401 with code UNAUTHORIZED and 403 with code FORBIDDEN', async () => {
    const missing = await send(port, '/api/upload?name=a.csv', {}, 'POST', Buffer.from('x'));
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const wrong = await send(port, '/?token=wrong');
    expect(JSON.parse(wrong.body)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const foreignHost = await send(port, '/', { Authorization: `Bearer ${token}`, Host: 'evil.example' });
    expect(foreignHost.status).toBe(403);
    expect(JSON.parse(foreignHost.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const foreignOrigin = await send(port, '/', {
      Authorization: `Bearer ${token}`,
      Origin: 'http://evil.example',
    });
    expect(JSON.parse(foreignOrigin.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('refuses a valid cookie with a wrong ?token= (the token in the URL wins), over HTTP and WebSocket', async () => {
    const cookie = { Cookie: `${tokenCookieName(port)}=${token}` };
    expect((await send(port, '/', cookie)).status).toBe(200);
    const r = await send(port, '/?token=wrong', cookie);
    expect(r.status).toBe(401);
    expect(r.headers['set-cookie']).toBeUndefined();
    const url = `ws://127.0.0.1:${port}/api/ws`;
    expect(await upgradeStatus(url, cookie)).toBe(101);
    expect(await upgradeStatus(`${url}?token=wrong`, cookie)).toBe(401);
  });

  it('answers 400 to a URL that does not parse, over HTTP and WebSocket upgrade, and keeps serving', async () => {
    for (const path of ['//[', '//[?token=x', '//%zz[']) {
      const upgrade = await rawExchange(
        port,
        upgradeRequest(port, path, { Authorization: `Bearer ${token}` }),
      );
      expect(upgrade).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(upgrade).toContain('X-Frame-Options: DENY');
      const anonymous = await rawExchange(port, upgradeRequest(port, path));
      expect(anonymous).toMatch(/^HTTP\/1\.1 400 /);
      const http = await send(port, path, { Authorization: `Bearer ${token}` });
      expect(http.status).toBe(400);
      expect(JSON.parse(http.body)).toMatchObject({
        error: { code: 'BAD_INPUT', message: expect.stringMatching(/URL/) },
      });
    }
    expect((await send(port, '/', { Authorization: `Bearer ${token}` })).status).toBe(200);
    const api = await ApiSocket.connect(`ws://127.0.0.1:${port}/api/ws?token=${token}`);
    await expect(api.call('app.info', {})).resolves.toMatchObject({ mode: 'web' });
    api.close();
  });

  it('refuses a message nested 5,000 levels deep with BAD_INPUT before forwarding it, and keeps serving', async () => {
    const api = await ApiSocket.connect(`ws://127.0.0.1:${port}/api/ws?token=${token}`);
    const worker = server.worker.pid;
    const depth = 5000;
    for (const params of [
      `${'['.repeat(depth)}${']'.repeat(depth)}`,
      `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    ]) {
      const answer = new Promise<unknown>((resolve) =>
        api.socket.once('message', (d) => resolve(JSON.parse(String(d)))),
      );
      api.socket.send(`{"type":"request","id":41,"method":"rules.set","params":${params}}`);
      expect(await answer).toEqual({
        type: 'response',
        id: 41,
        ok: false,
        error: { code: 'BAD_INPUT', message: 'message nests deeper than 64 levels', details: { limit: 64 } },
      });
    }
    // The host itself fails such a call (its IPC serializer overflows) instead of throwing.
    let deep: unknown = [];
    for (let i = 0; i < depth; i++) deep = [deep];
    expect(await server.worker.call('rules.set', deep)).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/^Could not send rules\.set: /) },
    });
    expect(server.worker.pid).toBe(worker);
    await expect(api.call('app.info', {})).resolves.toMatchObject({ mode: 'web' });
    api.close();
  });

  it('takes no paths in web mode: every method that names a file on this machine is refused (FORBIDDEN, naming the field)', async () => {
    const api = await ApiSocket.connect(`ws://127.0.0.1:${port}/api/ws?token=${token}`);
    const before = await api.call('workspace.current', {});
    const created = join(dir(), 'elsewhere.concord');
    const calls: [string, unknown, string][] = [
      ['import.preview', { file: { path: '/etc/passwd' } }, 'file.path'],
      ['import.start', { file: { path: '/etc/passwd' }, channel: 'x' }, 'file.path'],
      ['workspace.open', { path: join(dir(), 'w.concord') }, 'path'],
      ['workspace.create', { path: created }, 'path'],
      ['embed.start', { modelFolder: dir() }, 'modelFolder'],
      ['align.start', { labelsFile: '/etc/passwd' }, 'labelsFile'],
      ['align.start', { truthFile: '/etc/passwd' }, 'truthFile'],
    ];
    for (const [method, params, field] of calls) {
      const error = await api.send(method, params).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error, method).toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining(`"${field}"`),
        details: { method, field },
      });
    }
    expect(existsSync(created)).toBe(false);
    expect(await api.call('workspace.current', {})).toEqual(before);
    expect(await api.call('jobs.list', {})).toEqual([]);
    api.close();
  });

  it('compares tokens in constant time over their hashes', () => {
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual(token, `${token}0`)).toBe(false);
    expect(tokensEqual('', token)).toBe(false);
  });
});
