import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeOf } from '../api/contentTypes.js';
import { extname, join, relative, resolve, sep } from 'node:path';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Concord: UI not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5">
<h1>The Concord UI is not built yet</h1>
<p>The server is running, but <code>renderer/dist/</code> is missing. In the Concord folder, run
<code>npm run build:renderer</code>, then reload this page.</p>
</body></html>
`;

/**
 * Serves the built renderer: `/` is index.html, other paths are files under `root` (never outside it), and
 * paths without an extension fall back to index.html (client-side routes). A missing build is a 503 page.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string): Promise<void> {
  const index = join(root, 'index.html');
  if (!(await isFile(index))) {
    send(res, 503, 'text/html; charset=utf-8', NOT_BUILT_PAGE, req.method === 'HEAD');
    return;
  }
  const file = await pickFile(root, new URL(req.url ?? '/', 'http://x').pathname);
  if (file === null) {
    send(res, 404, 'text/plain; charset=utf-8', 'not found\n', req.method === 'HEAD');
    return;
  }
  const type = contentTypeOf(file);
  const { size } = await stat(file);
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': size,
    // Vite puts content hashes in asset names; the page itself must always be fresh.
    'Cache-Control':
      file === index
        ? 'no-store'
        : relative(root, file).startsWith(`assets${sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

async function pickFile(root: string, pathname: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const index = join(root, 'index.html');
  if (decoded === '/' || decoded === '') return index;
  const candidate = resolve(root, `.${decoded}`);
  const rel = relative(root, candidate);
  if (rel.startsWith('..') || rel === '' || resolve(root, rel) !== candidate) return null;
  if (await isFile(candidate)) return candidate;
  return extname(decoded) === '' ? index : null;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

function send(res: ServerResponse, status: number, type: string, body: string, headOnly: boolean): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(headOnly ? undefined : body);
}
