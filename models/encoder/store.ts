/**
 * Model files beside the workspace, by content hash: `<workspace>.concord.d/models/<sha256>.onnx`. Writes are
 * atomic (temp file + rename); reads verify the hash, so a damaged file is refused rather than run.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MODELS_DIR = 'models';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Path of a model file relative to the workspace's blob folder. */
export function modelRelPath(sha256: string, ext = '.onnx'): string {
  return `${MODELS_DIR}/${sha256}${ext}`;
}

/** Writes model bytes by hash (no-op when the same file exists) and returns the hash and relative path. */
export function saveModelFile(
  blobDir: string,
  bytes: Uint8Array,
  ext = '.onnx',
): { sha256: string; path: string } {
  const sha256 = sha256Hex(bytes);
  const rel = modelRelPath(sha256, ext);
  const abs = join(blobDir, rel);
  if (!existsSync(abs)) {
    mkdirSync(join(blobDir, MODELS_DIR), { recursive: true });
    const tmp = `${abs}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, abs);
  }
  return { sha256, path: rel };
}

/** Reads a model file by its path relative to the blob folder and checks its sha256. */
export function loadModelFile(blobDir: string, relPath: string, sha256: string): Uint8Array {
  const abs = join(blobDir, relPath);
  if (!existsSync(abs)) throw new Error(`model file ${relPath} is missing from ${blobDir}`);
  const bytes = readFileSync(abs);
  const actual = sha256Hex(bytes);
  if (actual !== sha256)
    throw new Error(`model file ${relPath} is damaged: sha256 ${actual}, registry says ${sha256}`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
