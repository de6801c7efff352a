import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { newUploadId, uploadPaths, type UploadMeta } from '../app/uploads.js';
import { HttpError } from './httpError.js';

/** 2 GiB: larger than any channel export Concord expects, small enough to stop a runaway upload. */
export const DEFAULT_UPLOAD_LIMIT = 2 * 1024 ** 3;

export interface UploadResult {
  uploadId: string;
  name: string;
  size: number;
}

/**
 * Streams a request body to `<dir>/<new id>` (never held in memory), with the original name in `<id>.json`.
 * Over `limit` bytes it stops, removes the partial file and throws 413. The name is metadata only.
 */
export async function receiveUpload(
  req: IncomingMessage,
  dir: string,
  rawName: string | null,
  limit: number,
): Promise<UploadResult> {
  const name = displayName(rawName);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const id = newUploadId();
  const paths = uploadPaths(dir, id);
  const partial = `${paths.data}.part`;
  let size = 0;
  // Over the limit the copy stops but the request stays open, so the caller can still answer 413.
  async function* limited(): AsyncGenerator<Buffer> {
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge(limit);
      yield chunk;
    }
  }
  try {
    await pipeline(limited, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
    const meta: UploadMeta = { name, size, uploadedAt: new Date().toISOString() };
    await writeFile(paths.meta, JSON.stringify(meta), { mode: 0o600 });
    await rename(partial, paths.data);
  } catch (err) {
    await rm(partial, { force: true });
    await rm(paths.meta, { force: true });
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'BAD_INPUT', `upload did not complete: ${(err as Error).message}`);
  }
  return { uploadId: id, name, size };
}

/** The file name as the browser gave it, reduced to its last path segment; refused when empty or odd. */
function displayName(raw: string | null): string {
  const name = (raw ?? '').split(/[\\/]/).pop()?.trim() ?? '';
  if (name === '' || name.length > 255 || [...name].some((c) => c < ' ' || c === '\u007f')) {
    throw new HttpError(
      400,
      'BAD_INPUT',
      'give the file name as ?name=<file name> (1-255 characters, no control characters)',
    );
  }
  return name;
}

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    'BAD_INPUT',
    `the file is larger than the upload limit of ${formatBytes(limit)}`,
    { limit },
  );
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 === 0 ? 0 : 1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 === 0 ? 0 : 1)} MiB`;
  return `${n} bytes`;
}
