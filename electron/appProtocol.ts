/**
 * The `concord://app/` protocol handler: serves the built renderer (renderer/dist) and nothing else, with the CSP
 * and hardening headers on every response. Pure Node (fs, path, the global Response): main.ts registers it with
 * `protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDist))`, and the tests call it
 * directly.
 *
 * Why a custom scheme instead of file://: file:// pages share one origin with every file on disk, may read other
 * files via fetch/XHR depending on flags, and cannot carry response headers. `concord://app` is a real, secure
 * origin the navigation guard and the IPC sender check can recognise.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { contentTypeOf } from '../core/api/contentTypes.js';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security.js';

export function mimeType(file: string): string {
  return contentTypeOf(file);
}

/** Headers on every response of the app protocol. */
export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

/**
 * Maps a request URL to a file path under `root`, or null when the URL is not the app's, or any path segment would
 * leave the root (`..`, encoded slashes or backslashes, NUL). `/` and directories map to index.html.
 */
export function resolveAppPath(url: string, root: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username !== '' || u.password !== '')
    return null;
  const segments: string[] = [];
  for (const raw of u.pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..' || /[/\\\0:]/.test(segment)) return null;
    segments.push(segment);
  }
  if (segments.length === 0 || u.pathname.endsWith('/')) segments.push('index.html');
  const base = resolve(root);
  const file = resolve(base, ...segments);
  return file.startsWith(base + sep) ? file : null;
}

function textResponse(status: number, text: string, method: string): Response {
  return new Response(method === 'HEAD' ? null : text, {
    status,
    headers: securityHeaders('text/plain; charset=utf-8'),
  });
}

async function isFileInside(file: string, root: string): Promise<boolean> {
  try {
    const [realFile, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    if (!realFile.startsWith(realRoot + sep)) return false; // a symlink pointing out of renderer/dist
    return (await stat(realFile)).isFile();
  } catch {
    return false;
  }
}

/**
 * Answers one request of the app protocol. Only GET/HEAD. A missing path without an extension falls back to
 * index.html (client-side routes); a missing asset is 404.
 */
export async function serveAppRequest(
  request: { url: string; method: string },
  root: string,
): Promise<Response> {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return textResponse(405, 'Method not allowed', method);
  let file = resolveAppPath(request.url, root);
  if (file === null) return textResponse(404, 'Not found', method);
  const index = join(resolve(root), 'index.html');
  if (!(await isFileInside(file, root))) {
    if (extname(file) !== '' && file !== index) return textResponse(404, 'Not found', method);
    file = index;
    if (!(await isFileInside(file, root)))
      return textResponse(404, 'Not found (is the renderer built? npm run build:renderer)', method);
  }
  const body = method === 'HEAD' ? null : new Uint8Array(await readFile(file));
  return new Response(body, { status: 200, headers: securityHeaders(mimeType(file)) });
}
