// The concord:// protocol handler serves renderer/dist and nothing else, always with the CSP header.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mimeType, resolveAppPath, serveAppRequest } from './appProtocol.js';
import { CONTENT_SECURITY_POLICY } from './security.js';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'concord-protocol-'));
  root = join(base, 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Concord</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string) => serveAppRequest({ url, method: 'GET' }, root);

describe('serveAppRequest', () => {
  it('serves index.html at / with the CSP and hardening headers', async () => {
    const r = await get('concord://app/');
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<title>Concord</title>');
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves assets with their types', async () => {
    const js = await get('concord://app/assets/index-abc.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    expect((await get('concord://app/assets/index-abc.css')).headers.get('content-type')).toContain(
      'text/css',
    );
  });

  it('falls back to index.html for client routes, 404 for missing assets', async () => {
    const route = await get('concord://app/gaps/price');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('Concord');
    expect((await get('concord://app/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside renderer/dist', async () => {
    for (const url of [
      'concord://app/../secret.txt',
      'concord://app/%2e%2e/secret.txt',
      'concord://app/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'concord://app/..%5csecret.txt',
      'concord://app/assets/link.txt',
      'concord://app/%00index.html',
      'concord://evil/index.html',
      'file:///etc/passwd',
      'https://evil.example/index.html',
    ]) {
      const r = await get(url);
      const body = await r.text();
      expect(body, url).not.toContain('outside the renderer');
      if (r.status === 200) expect(body, url).toContain('<title>Concord</title>'); // at most the SPA fallback
    }
    expect((await get('concord://app/assets/link.txt')).status).toBe(404);
    expect((await get('concord://evil/index.html')).status).toBe(404);
  });

  it('answers only GET and HEAD', async () => {
    expect((await serveAppRequest({ url: 'concord://app/', method: 'POST' }, root)).status).toBe(405);
    const head = await serveAppRequest({ url: 'concord://app/', method: 'HEAD' }, root);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('says so when the renderer is not built', async () => {
    const r = await serveAppRequest({ url: 'concord://app/', method: 'GET' }, join(base, 'nothing-here'));
    expect(r.status).toBe(404);
    expect(await r.text()).toMatch(/build:renderer/);
  });
});

describe('resolveAppPath / mimeType', () => {
  it('maps app URLs under the root and refuses the rest', () => {
    expect(resolveAppPath('concord://app/assets/a.js', '/r')).toBe(join('/r', 'assets', 'a.js'));
    expect(resolveAppPath('concord://app/', '/r')).toBe(join('/r', 'index.html'));
    // WHATWG URL parsing already folds (encoded) dot segments at the root: it stays inside.
    expect(resolveAppPath('concord://app/%2e%2e/x', '/r')).toBe(join('/r', 'x'));
    expect(resolveAppPath('concord://app/a/..%2f..%2fx', '/r')).toBeNull();
    expect(resolveAppPath('concord://app/a%2fb', '/r')).toBeNull();
    expect(resolveAppPath('concord://app/%E0%A4%A', '/r')).toBeNull();
  });

  it('knows the renderer build types', () => {
    expect(mimeType('a.svg')).toBe('image/svg+xml');
    expect(mimeType('a.woff2')).toBe('font/woff2');
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
  });
});
