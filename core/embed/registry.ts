/**
 * The workspace's model registry (migration 002): every model version with its file hash, config, training data
 * hash, metrics and the code version that produced it; and embedding matrices computed with a model. Files live
 * in the workspace's `.concord.d/` folder by content hash (`models/<sha256>.onnx`, `embeddings/<sha256>.f32`).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModelFile, saveModelFile, sha256Hex } from '../../models/encoder/store.js';
import { packageInfo } from '../model/packageInfo.js';
import { ConcordError } from '../model/errors.js';
import { fieldsOf, type Fields } from '../store/columns.js';
import type { Workspace } from '../store/workspace.js';
import { readTransformerFolder } from './transformer.js';

/** Kinds of model the registry holds; the table takes any kind so later model types need no migration. */
export const MODEL_KINDS = ['encoder', 'transformer', 'scorer', 'matcher', 'recommender'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** A registered model: its row with config and metrics parsed. */
export interface ModelRecord extends Omit<Fields<ModelRow>, 'config' | 'metrics'> {
  config: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

export interface RegisterModelInput {
  kind: ModelKind;
  name: string;
  bytes: Uint8Array;
  ext?: string;
  config: Record<string, unknown>;
  trainingDataSha256?: string | null;
  metrics?: Record<string, unknown>;
  codeVersion?: string;
}

interface ModelRow {
  id: number;
  kind: ModelKind;
  name: string;
  version: number;
  sha256: string;
  /** Relative to the workspace's blob folder: a file, or a folder for transformer models. */
  path: string;
  /** JSON object. */
  config: string;
  training_data_sha256: string | null;
  /** JSON object. */
  metrics: string;
  created_at: string;
  code_version: string;
}

function fromRow(r: ModelRow): ModelRecord {
  return {
    ...fieldsOf(r),
    config: JSON.parse(r.config) as Record<string, unknown>,
    metrics: JSON.parse(r.metrics) as Record<string, unknown>,
  };
}

let codeVersionCache: string | null = null;

/** `concord@<version>`, plus the git commit when Concord runs from a checkout. */
export function codeVersion(): string {
  if (codeVersionCache) return codeVersionCache;
  let v = 'concord@0.0.0';
  try {
    const { root, version } = packageInfo();
    v = `concord@${version}`;
    const git = join(root, '.git');
    const head = readFileSync(join(git, 'HEAD'), 'utf8').trim();
    let sha = head;
    if (head.startsWith('ref: ')) {
      const ref = head.slice(5);
      const loose = join(git, ref);
      if (existsSync(loose)) sha = readFileSync(loose, 'utf8').trim();
      else {
        const packed = existsSync(join(git, 'packed-refs'))
          ? readFileSync(join(git, 'packed-refs'), 'utf8')
          : '';
        sha =
          packed
            .split('\n')
            .find((l) => l.endsWith(` ${ref}`))
            ?.split(' ')[0] ?? '';
      }
    }
    if (/^[0-9a-f]{40}$/.test(sha)) v += `+${sha.slice(0, 12)}`;
  } catch {
    // not a checkout: the package version alone
  }
  return (codeVersionCache = v);
}

/** Registers a model file (stored by hash). The same bytes under the same kind and name return the existing entry. */
export function registerModel(ws: Workspace, input: RegisterModelInput): ModelRecord {
  if (!(MODEL_KINDS as readonly string[]).includes(input.kind)) {
    throw new ConcordError(
      'BAD_INPUT',
      `unknown model kind "${input.kind}" (known: ${MODEL_KINDS.join(', ')})`,
    );
  }
  const { sha256, path } = saveModelFile(ws.blobDir, input.bytes, input.ext ?? '.onnx');
  return insertModel(ws, input, sha256, path);
}

function insertModel(
  ws: Workspace,
  input: Omit<RegisterModelInput, 'bytes'>,
  sha256: string,
  path: string,
): ModelRecord {
  return ws.db.transaction(() => {
    const existing = ws.db
      .prepare(
        'SELECT * FROM models WHERE kind = ? AND name = ? AND sha256 = ? ORDER BY version DESC LIMIT 1',
      )
      .get(input.kind, input.name, sha256) as ModelRow | undefined;
    if (existing) return fromRow(existing);
    const { v } = ws.db
      .prepare('SELECT coalesce(max(version), 0) + 1 AS v FROM models WHERE kind = ? AND name = ?')
      .get(input.kind, input.name) as {
      v: number;
    };
    const info = ws.db
      .prepare(
        `INSERT INTO models (kind, name, version, sha256, path, config, training_data_sha256, metrics, created_at, code_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.kind,
        input.name,
        v,
        sha256,
        path,
        JSON.stringify(input.config),
        input.trainingDataSha256 ?? null,
        JSON.stringify(input.metrics ?? {}),
        new Date().toISOString(),
        input.codeVersion ?? codeVersion(),
      );
    return getModel(ws, Number(info.lastInsertRowid));
  })();
}

/** Copies a sentence-transformers style folder into the workspace (`models/<sha256>/`) and registers it. */
export function registerTransformerFolder(
  ws: Workspace,
  folder: string,
  name: string,
  metrics: Record<string, unknown> = {},
): ModelRecord {
  const info = readTransformerFolder(folder);
  const files: Array<[string, string]> = [
    [info.modelPath, 'model.onnx'],
    [info.tokenizerPath, 'tokenizer.json'],
  ];
  for (const extra of ['sentence_bert_config.json', join('1_Pooling', 'config.json')]) {
    if (existsSync(join(folder, extra))) files.push([join(folder, extra), extra]);
  }
  const h = createHash('sha256');
  for (const [src, rel] of files) h.update(`${rel}\0${sha256Hex(readFileSync(src))}\n`);
  const sha256 = h.digest('hex');
  const rel = `models/${sha256}`;
  const dest = join(ws.blobDir, rel);
  if (!existsSync(join(dest, 'model.onnx'))) {
    const tmp = `${dest}.${process.pid}.tmp`;
    mkdirSync(join(tmp, '1_Pooling'), { recursive: true });
    for (const [src, relFile] of files) copyFileSync(src, join(tmp, relFile));
    renameSync(tmp, dest);
  }
  return insertModel(
    ws,
    {
      kind: 'transformer',
      name,
      config: { maxLength: info.maxLength, pooling: info.pooling, sourceFolder: folder },
      metrics,
    },
    sha256,
    rel,
  );
}

export function listModels(ws: Workspace, filter: { kind?: ModelKind; name?: string } = {}): ModelRecord[] {
  const rows = ws.db
    .prepare(
      `SELECT * FROM models WHERE (@kind IS NULL OR kind = @kind) AND (@name IS NULL OR name = @name) ORDER BY kind, name, version`,
    )
    .all({ kind: filter.kind ?? null, name: filter.name ?? null }) as ModelRow[];
  return rows.map(fromRow);
}

/**
 * A model by id, by sha256 (or a unique prefix of at least 8 hex digits), by `name@version`, or by name (its
 * newest version). NOT_FOUND when there is none.
 */
export function getModel(ws: Workspace, ref: number | string): ModelRecord {
  let row: ModelRow | undefined;
  if (typeof ref === 'number')
    row = ws.db.prepare('SELECT * FROM models WHERE id = ?').get(ref) as ModelRow | undefined;
  else if (/^[0-9a-f]{8,64}$/.test(ref)) {
    const rows = ws.db
      .prepare("SELECT * FROM models WHERE sha256 LIKE ? || '%' ORDER BY id DESC")
      .all(ref) as ModelRow[];
    if (new Set(rows.map((r) => r.sha256)).size > 1)
      throw new ConcordError('BAD_INPUT', `model hash prefix ${ref} is ambiguous`);
    row = rows[0];
  }
  if (!row && typeof ref === 'string') {
    const at = ref.lastIndexOf('@');
    row =
      at > 0
        ? (ws.db
            .prepare('SELECT * FROM models WHERE name = ? AND version = ? ORDER BY id DESC')
            .get(ref.slice(0, at), Number(ref.slice(at + 1))) as ModelRow | undefined)
        : (ws.db.prepare('SELECT * FROM models WHERE name = ? ORDER BY version DESC, id DESC').get(ref) as
            ModelRow | undefined);
  }
  if (!row)
    throw new ConcordError('NOT_FOUND', `no model ${String(ref)} in this workspace`, { model: String(ref) });
  return fromRow(row);
}

/** Absolute path of a model's file (or folder). */
export function modelPath(ws: Workspace, model: ModelRecord): string {
  return join(ws.blobDir, model.path);
}

/** A model file's bytes, checked against its registered sha256. */
export function readModelBytes(ws: Workspace, model: ModelRecord): Uint8Array {
  if (model.kind === 'transformer')
    throw new ConcordError('BAD_INPUT', `model ${model.name} is a folder; open it with TransformerEncoder`);
  try {
    return loadModelFile(ws.blobDir, model.path, model.sha256);
  } catch (err) {
    throw new ConcordError('CONFLICT', (err as Error).message, { model: model.name });
  }
}

// ---- embedding matrices -------------------------------------------------------------------------------------

/** A stored embedding set, as its row has it. */
export type EmbeddingRecord = Fields<EmbeddingRow>;

function writeBlob(blobDir: string, rel: string, bytes: Uint8Array): void {
  const abs = join(blobDir, rel);
  if (existsSync(abs)) return;
  mkdirSync(join(abs, '..'), { recursive: true });
  const tmp = `${abs}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, abs);
}

/** Stores a matrix (rows × dims) and its row keys (record ids) beside the workspace and records it. */
export function saveEmbeddings(
  ws: Workspace,
  input: {
    modelId: number;
    scope: string;
    sourceId?: number | null;
    keys: ArrayLike<number>;
    matrix: Float32Array;
    dims: number;
  },
): EmbeddingRecord {
  const rows = input.keys.length;
  if (input.matrix.length !== rows * input.dims)
    throw new Error(`embedding matrix has ${input.matrix.length} values, expected ${rows} × ${input.dims}`);
  const matrixBytes = new Uint8Array(input.matrix.buffer, input.matrix.byteOffset, input.matrix.byteLength);
  const keys = BigInt64Array.from(Array.from(input.keys), (k) => BigInt(k));
  const keyBytes = new Uint8Array(keys.buffer);
  const sha256 = createHash('sha256').update(matrixBytes).update(keyBytes).digest('hex');
  const path = `embeddings/${sha256}.f32`;
  const keysPath = `embeddings/${sha256}.keys.i64`;
  writeBlob(ws.blobDir, path, matrixBytes);
  writeBlob(ws.blobDir, keysPath, keyBytes);
  const info = ws.db
    .prepare(
      `INSERT INTO embeddings (model_id, scope, source_id, sha256, path, keys_path, rows, dims, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      input.modelId,
      input.scope,
      input.sourceId ?? null,
      sha256,
      path,
      keysPath,
      rows,
      input.dims,
      new Date().toISOString(),
    );
  return getEmbeddings(ws, Number(info.lastInsertRowid));
}

interface EmbeddingRow {
  id: number;
  model_id: number;
  scope: string;
  source_id: number | null;
  sha256: string;
  path: string;
  keys_path: string;
  rows: number;
  dims: number;
  created_at: string;
}

function embeddingFromRow(r: EmbeddingRow): EmbeddingRecord {
  return fieldsOf(r);
}

export function getEmbeddings(ws: Workspace, id: number): EmbeddingRecord {
  const row = ws.db.prepare('SELECT * FROM embeddings WHERE id = ?').get(id) as EmbeddingRow | undefined;
  if (!row) throw new ConcordError('NOT_FOUND', `no embeddings ${id} in this workspace`);
  return embeddingFromRow(row);
}

/** The newest matrices, optionally of one model and scope. */
export function listEmbeddings(
  ws: Workspace,
  filter: { modelId?: number; scope?: string } = {},
): EmbeddingRecord[] {
  const rows = ws.db
    .prepare(
      'SELECT * FROM embeddings WHERE (@m IS NULL OR model_id = @m) AND (@s IS NULL OR scope = @s) ORDER BY id DESC',
    )
    .all({ m: filter.modelId ?? null, s: filter.scope ?? null }) as EmbeddingRow[];
  return rows.map(embeddingFromRow);
}

/** Reads a matrix and its keys back, checking the hash. */
export function loadEmbeddings(
  ws: Workspace,
  rec: EmbeddingRecord,
): { matrix: Float32Array; keys: Float64Array } {
  const m = readFileSync(join(ws.blobDir, rec.path));
  const k = readFileSync(join(ws.blobDir, rec.keysPath));
  const sha = createHash('sha256').update(m).update(k).digest('hex');
  if (sha !== rec.sha256)
    throw new ConcordError('CONFLICT', `embedding files of ${rec.path} are damaged (sha256 mismatch)`);
  const matrix = new Float32Array(new Uint8Array(m).buffer);
  const keys64 = new BigInt64Array(new Uint8Array(k).buffer);
  if (matrix.length !== rec.rows * rec.dims || keys64.length !== rec.rows)
    throw new ConcordError('CONFLICT', `embedding files of ${rec.path} have the wrong size`);
  return { matrix, keys: Float64Array.from(keys64, (x) => Number(x)) };
}
