/**
 * The encoder's jobs on a workspace, as the worker runs them: train on the workspace's own records (known-same
 * pairs from valid GTINs shared across channels), export to ONNX, check and register the model, then embed every
 * record through onnxruntime and store the matrix. Progress and cancellation as every job has them.
 */
import { createHash } from 'node:crypto';
import { exportEncoder } from '../../models/encoder/graph.js';
import { makeManifest } from '../../models/encoder/manifest.js';
import { checkModel } from '../../models/onnx/checker.js';
import { decodeModel } from '../../models/onnx/proto.js';
import type { Progress } from '../jobs/progress.js';
import { ConcordError } from '../model/errors.js';
import type { Workspace } from '../store/workspace.js';
import { titledRecords } from '../store/records.js';
import { DEFAULT_ENCODER, type EncoderConfig } from './encoder.js';
import {
  codeVersion,
  getModel,
  modelPath,
  readModelBytes,
  registerModel,
  saveEmbeddings,
  type EmbeddingRecord,
  type ModelRecord,
} from './registry.js';
import { EncoderRuntime } from './runtime.js';
import type { ProviderChoice, SessionOptions } from './session.js';
import { trainEncoder, type TrainOptions, type TrainResult } from './train.js';
import { TransformerEncoder } from './transformer.js';

export interface RecordTexts {
  ids: number[];
  texts: string[];
  /** Group per record: records sharing a valid GTIN on two or more channels share a group; else -1. */
  groups: Int32Array;
}

/** The text the encoder sees for a record: its title, with the brand in front when the title lacks it. */
export function recordText(title: string | null, brand: string | null): string {
  const t = title ?? '';
  if (brand && !t.toLowerCase().includes(brand.toLowerCase())) return `${brand} ${t}`.trim();
  return t;
}

/** The workspace's product records with their encoder texts and known-same groups. */
export function readRecordTexts(ws: Workspace): RecordTexts {
  const rows = titledRecords(ws.db);
  const channelsOf = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.gtinStatus !== 'valid' || !r.gtin) continue;
    let s = channelsOf.get(r.gtin);
    if (!s) channelsOf.set(r.gtin, (s = new Set()));
    s.add(r.channel);
  }
  const groupOf = new Map<string, number>();
  const groups = new Int32Array(rows.length).fill(-1);
  rows.forEach((r, i) => {
    if (r.gtinStatus !== 'valid' || !r.gtin || (channelsOf.get(r.gtin)?.size ?? 0) < 2) return;
    let g = groupOf.get(r.gtin);
    if (g === undefined) groupOf.set(r.gtin, (g = groupOf.size));
    groups[i] = g;
  });
  return { ids: rows.map((r) => r.id), texts: rows.map((r) => recordText(r.title, r.brand)), groups };
}

/** sha256 of the training data (texts and groups, in order). */
export function trainingDataHash(texts: readonly string[], groups: ArrayLike<number>): string {
  const h = createHash('sha256');
  for (let i = 0; i < texts.length; i++) h.update(`${groups[i] ?? -1}\t${texts[i]}\n`);
  return h.digest('hex');
}

export interface TrainWorkspaceOptions extends Omit<TrainOptions, 'onProgress' | 'signal'> {
  name?: string;
  session?: SessionOptions;
  /** Embed all records with the new model and store the matrix (default true). */
  embed?: boolean;
}

export interface TrainWorkspaceResult {
  model: ModelRecord;
  embeddings: EmbeddingRecord | null;
  provider: ProviderChoice | null;
  train: Omit<TrainResult, 'weights'>;
  embedSeconds: number | null;
}

export async function trainWorkspaceEncoder(
  ws: Workspace,
  options: TrainWorkspaceOptions = {},
  ctx: { signal?: AbortSignal; progress?: (p: Progress) => void } = {},
): Promise<TrainWorkspaceResult> {
  const progress = ctx.progress ?? (() => {});
  progress({ done: 0, total: 0, phase: 'load', message: 'reading records' });
  const data = readRecordTexts(ws);
  if (data.texts.length < 2)
    throw new ConcordError(
      'BAD_INPUT',
      'the workspace needs at least 2 product records with a title to train an encoder',
    );
  const config: EncoderConfig = options.config ?? DEFAULT_ENCODER;
  const result = await trainEncoder(
    { texts: data.texts, groups: data.groups },
    { ...options, config, onProgress: progress, signal: ctx.signal },
  );
  const name = options.name ?? 'concord-encoder';
  const dataSha = trainingDataHash(data.texts, data.groups);
  const version = (
    ws.db
      .prepare("SELECT coalesce(max(version), 0) + 1 AS v FROM models WHERE kind = 'encoder' AND name = ?")
      .get(name) as { v: number }
  ).v;
  const manifest = makeManifest({
    name,
    version,
    dim: config.dim,
    outDim: config.outDim,
    featurizer: config.featurizer,
    provenance: { trainingDataSha256: dataSha, seed: result.options.seed, codeVersion: codeVersion() },
  });
  progress({ done: 0, total: 1, phase: 'export', message: 'writing the ONNX model' });
  const bytes = exportEncoder(result.weights, manifest);
  const problems = checkModel(decodeModel(bytes));
  if (problems.length > 0)
    throw new ConcordError('INTERNAL', `exported encoder fails the ONNX checks: ${problems.join('; ')}`);
  const { weights: _weights, ...train } = result;
  const groupsKnown = new Set(Array.from(data.groups).filter((g) => g >= 0)).size;
  const model = registerModel(ws, {
    kind: 'encoder',
    name,
    bytes,
    config: { ...config, manifest, training: result.options },
    trainingDataSha256: dataSha,
    metrics: {
      records: data.texts.length,
      knownSameGroups: groupsKnown,
      firstLoss: result.firstLoss,
      lastLoss: result.lastLoss,
      epochLosses: result.epochLosses,
      steps: result.steps,
      trainSeconds: result.seconds,
      before: result.before,
      after: result.after,
    },
  });
  if (options.embed === false) return { model, embeddings: null, provider: null, train, embedSeconds: null };
  const emb = await embedWorkspace(ws, model, { session: options.session }, ctx);
  return { model, embeddings: emb.embeddings, provider: emb.provider, train, embedSeconds: emb.seconds };
}

/** Embeds every record with a registered model (built-in encoder or transformer folder) and stores the matrix. */
export async function embedWorkspace(
  ws: Workspace,
  modelRef: ModelRecord | number | string,
  options: { session?: SessionOptions; batchSize?: number } = {},
  ctx: { signal?: AbortSignal; progress?: (p: Progress) => void } = {},
): Promise<{ embeddings: EmbeddingRecord; provider: ProviderChoice; seconds: number }> {
  const model = typeof modelRef === 'object' ? modelRef : getModel(ws, modelRef);
  const data = readRecordTexts(ws);
  const started = performance.now();
  const onProgress = (p: Progress) => ctx.progress?.({ ...p, message: `${p.done} / ${p.total} records` });
  let matrix: Float32Array;
  let dims: number;
  let provider: ProviderChoice;
  if (model.kind === 'encoder') {
    const rt = await EncoderRuntime.open(readModelBytes(ws, model), options.session);
    try {
      matrix = await rt.embed(data.texts, { batchSize: options.batchSize, signal: ctx.signal, onProgress });
      dims = rt.dims;
      provider = rt.choice;
    } finally {
      await rt.close();
    }
  } else if (model.kind === 'transformer') {
    const tr = await TransformerEncoder.open(modelPath(ws, model), options.session);
    try {
      matrix = await tr.embed(data.texts, { batchSize: options.batchSize, signal: ctx.signal, onProgress });
      dims = tr.dims ?? 0;
      provider = tr.choice;
    } finally {
      await tr.close();
    }
  } else {
    throw new ConcordError('BAD_INPUT', `model ${model.name} (${model.kind}) does not embed text`);
  }
  const seconds = (performance.now() - started) / 1000;
  const embeddings = saveEmbeddings(ws, {
    modelId: model.id,
    scope: 'records',
    keys: data.ids,
    matrix,
    dims,
  });
  return { embeddings, provider, seconds };
}
