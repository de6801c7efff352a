import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSuiteTempDir } from '../test-support/tmp.js';
import { uploadsDir } from '../app/uploads.js';
import { httpRequest } from '../test-support/http.js';
import { startTestServer } from '../test-support/webServer.js';
import type { RunningServer } from './server.js';

const LIMIT = 64 * 1024;

describe('upload endpoint (real HTTP on 127.0.0.1)', () => {
  const dir = useSuiteTempDir('concord-upload-');
  let ws: string;
  let server: RunningServer;

  beforeAll(async () => {
    ws = join(dir(), 'w.concord');
    server = await startTestServer(ws, { rendererDir: join(dir(), 'none'), uploadLimitBytes: LIMIT });
  });

  afterAll(async () => {
    await server?.close();
  });

  const upload = (name: string | null, body: Buffer | Readable, headers: Record<string, string> = {}) =>
    httpRequest(server.port, `/api/upload${name === null ? '' : `?name=${encodeURIComponent(name)}`}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, ...headers },
      body,
    });

  const files = () => readdirSync(uploadsDir(ws)).sort();

  it('streams the body into the workspace uploads folder, the original name beside it', async () => {
    const content = Buffer.from('sku,name\nS1,Mug\n');
    const r = await upload('C:\\fakepath\\My Export.csv', content);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as { uploadId: string; name: string; size: number };
    expect(body).toEqual({
      uploadId: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'My Export.csv',
      size: content.length,
    });
    expect(readFileSync(join(uploadsDir(ws), body.uploadId))).toEqual(content);
    expect(JSON.parse(readFileSync(join(uploadsDir(ws), `${body.uploadId}.json`), 'utf8'))).toMatchObject({
      name: 'My Export.csv',
      size: content.length,
    });
    expect(files()).toEqual([body.uploadId, `${body.uploadId}.json`].sort());
  });

  it('refuses a body over the limit with 413 and leaves no partial file, whether announced or streamed', async () => {
    const before = files();
    const announced = await upload('big.csv', Buffer.alloc(LIMIT + 1, 0x61));
    expect(announced.status).toBe(413);
    expect(JSON.parse(announced.body)).toMatchObject({
      error: { code: 'BAD_INPUT', message: 'the file is larger than the upload limit of 65536 bytes' },
    });

    const chunks = Array.from({ length: 40 }, () => Buffer.alloc(4096, 0x62)); // 160 KiB, chunked: no Content-Length
    const streamed = await upload('big.csv', Readable.from(chunks));
    expect(streamed.status).toBe(413);
    expect(files()).toEqual(before);

    expect((await upload('ok.csv', Buffer.alloc(LIMIT, 0x63))).status).toBe(200); // exactly the limit is fine
  });

  it('needs a file name, POST, and the token', async () => {
    expect((await upload(null, Buffer.from('x'))).status).toBe(400);
    expect((await upload('', Buffer.from('x'))).status).toBe(400);
    expect((await upload('a\u0007b.csv', Buffer.from('x'))).status).toBe(400);
    expect(
      (
        await httpRequest(server.port, '/api/upload?name=a.csv', {
          headers: { Authorization: `Bearer ${server.token}` },
        })
      ).status,
    ).toBe(405);
    expect(
      (await httpRequest(server.port, '/api/upload?name=a.csv', { method: 'POST', body: 'x' })).status,
    ).toBe(401);
  });
});
