import { randomBytes } from 'node:crypto';
import { lstat, readFile, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { ConcordError } from '../model/errors.js';

/**
 * Web-mode uploads: the browser cannot hand the worker a path, so the server streams the file into the workspace's
 * folder (`<workspace>.d/uploads/<32 hex>`) with its original name beside it (`<id>.json`). The id is the only
 * thing that becomes a path; the name is metadata.
 */
export const UPLOAD_ID_PATTERN = /^[a-f0-9]{32}$/;

export interface UploadMeta {
  /** The file name the browser gave, shown in messages and stored as the source's file name. */
  name: string;
  size: number;
  uploadedAt: string;
}

export interface ResolvedUpload extends UploadMeta {
  path: string;
}

export function uploadsDir(workspacePath: string): string {
  return join(`${resolve(workspacePath)}.d`, 'uploads');
}

export function newUploadId(): string {
  return randomBytes(16).toString('hex');
}

export function uploadPaths(dir: string, id: string): { data: string; meta: string } {
  if (!UPLOAD_ID_PATTERN.test(id))
    throw new ConcordError('BAD_INPUT', `"${id}" is not an upload id (32 hex digits)`, { uploadId: id });
  return { data: join(dir, id), meta: join(dir, `${id}.json`) };
}

/** The file behind an upload id: always a regular file directly inside the uploads folder, never a link or anything outside. */
export async function resolveUpload(workspacePath: string, id: string): Promise<ResolvedUpload> {
  const dir = uploadsDir(workspacePath);
  const paths = uploadPaths(dir, id);
  const rel = relative(dir, paths.data);
  if (rel === '' || rel.startsWith('..') || rel.includes(sep))
    throw new ConcordError('BAD_INPUT', `upload ${id} is outside the uploads folder`, { uploadId: id });
  const stat = await lstat(paths.data).catch(() => null);
  if (!stat?.isFile())
    throw new ConcordError('NOT_FOUND', `no upload ${id} in this workspace (upload the file again)`, {
      uploadId: id,
    });
  let meta: Partial<UploadMeta> = {};
  try {
    meta = JSON.parse(await readFile(paths.meta, 'utf8')) as Partial<UploadMeta>;
  } catch {
    // The name is only for display: without it the id stands in.
  }
  return {
    path: paths.data,
    name: typeof meta.name === 'string' && meta.name !== '' ? meta.name : id,
    size: stat.size,
    uploadedAt: typeof meta.uploadedAt === 'string' ? meta.uploadedAt : stat.mtime.toISOString(),
  };
}

/**
 * Deletes an upload (its data and its name). An upload is only a way to hand the worker a file: once imported
 * (or refused) the workspace holds what it needs, and a copy of a merchant's export should not stay behind.
 */
export async function discardUpload(dir: string, id: string): Promise<void> {
  const paths = uploadPaths(dir, id);
  await Promise.all([rm(paths.data, { force: true }), rm(paths.meta, { force: true })]);
}
