import { basename, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { badInput, cancelled, ConcordError } from '../model/errors.js';
import { SourceKindSchema, type OnDuplicate } from '../api/contract.js';
import type { FormatName } from '../model/record.js';
import { throttleProgress, type ProgressListener } from '../jobs/progress.js';
import { bulkWriteMode, openWorkspace } from '../store/workspace.js';
import { readText, sniffFile } from './decode.js';
import { sniffDelimiter } from './delimited.js';
import type { ParseJob, ParseWorkerMessage } from './parseWorkerProtocol.js';
import { readSource } from './readSource.js';
import {
  createRowPipeline,
  type PipelineCounts,
  type PipelineOptions,
  type SourceKind,
} from './rowPipeline.js';
import { containerOf, decodeStart, guessEncoding, looksLikeXml } from './sniff.js';
import { SourceWriter } from './sourceWriter.js';

export const SOURCE_KINDS = SourceKindSchema.options;
export type { SourceKind };

/** Files at least this large are parsed in a worker thread while this thread writes. */
const THREADED_FROM_BYTES = 4 * 1024 * 1024;

export interface ImportRequest {
  /** Workspace file. */
  workspace: string;
  file: string;
  /** The file's name as the user knows it (web uploads are stored under an id); default basename(file). */
  displayName?: string;
  /** Channel name; default the format's name. */
  channel?: string;
  format?: FormatName;
  kind?: SourceKind;
  encoding?: string;
  /** Generic formats: target field -> column. */
  mapping?: Record<string, string>;
  /** Replace an earlier import of this file (same name or same content) into the channel. */
  replace?: boolean;
  /** Rows repeating a record id (default warn): core/ingest/recordIds.ts. */
  onDuplicate?: OnDuplicate;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Force the threaded (true) or single-thread (false) path; default by file size. */
  threaded?: boolean;
}

export interface ImportResult {
  sourceId: number;
  channel: string;
  kind: SourceKind;
  format: string;
  formatConfidence: number;
  encoding: string;
  encodingConfidence: number;
  file: string;
  sha256: string;
  rows: number;
  records: number;
  warnings: number;
  /** Row warnings by kind (code). */
  warningsByKind: Record<string, number>;
  /** Rows whose record id an earlier row had. */
  duplicates: number;
  replaced: number[];
  seconds: number;
}

interface Prepared {
  path: string;
  name: string;
  size: number;
  encoding: string;
  encodingConfidence: number;
  bomLength: number;
  delimiter: string;
  options: PipelineOptions;
}

/**
 * Imports one export file as one transaction: raw rows verbatim, normalized records, row warnings.
 * Any error or a cancel rolls everything back, so the workspace is exactly as it was.
 */
export async function importFile(req: ImportRequest): Promise<ImportResult> {
  const started = performance.now();
  const prep = await prepare(req);
  const ws = openWorkspace(req.workspace, { purpose: 'import' });
  const db = ws.db;
  const restoreJournal = bulkWriteMode(db);
  const progress = throttleProgress(req.onProgress);
  const writer = new SourceWriter(db, {
    channel: req.channel,
    kind: prep.options.kind,
    encoding: prep.encoding,
    name: prep.name,
    path: prep.path,
    size: prep.size,
    mapping: req.mapping,
    replace: req.replace === true,
  });
  try {
    db.exec('BEGIN IMMEDIATE');
    const threaded = req.threaded ?? prep.size >= THREADED_FROM_BYTES;
    const { sha256, counts } = threaded
      ? await parseInWorker(prep, writer, req.signal, progress)
      : await parseHere(prep, writer, req.signal, progress);
    if (req.signal?.aborted) throw cancelled();
    if (counts.rows === 0) throw badInput({ file: prep.name, line: 2 }, 'file has a header but no data rows');
    const written = writer.finish(sha256, counts);
    db.exec('COMMIT');
    progress({
      done: prep.size,
      total: prep.size,
      phase: 'import',
      message: `${counts.rows.toLocaleString('en-US')} rows`,
    });
    return {
      ...written,
      kind: prep.options.kind,
      encoding: prep.encoding,
      encodingConfidence: prep.encodingConfidence,
      file: prep.name,
      sha256,
      ...counts,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (err instanceof ConcordError) throw err;
    if ((err as Error).name === 'AbortError') throw cancelled();
    throw err;
  } finally {
    restoreJournal();
    ws.close();
  }
}

async function prepare(req: ImportRequest): Promise<Prepared> {
  const path = resolve(req.file);
  const name = req.displayName ?? basename(path);
  const kind = req.kind ?? 'products';
  const sample = await sniffFile(path, name);
  const { head, size } = sample;
  if (size === 0) throw badInput({ file: name, line: 1 }, 'file is empty');
  const guess = guessEncoding(sample, name, req.encoding);
  const container = containerOf(name, head, guess, req.format);
  if (req.format !== undefined && req.format !== 'gmc' && looksLikeXml(decodeStart(head, guess))) {
    throw badInput(
      { file: name, line: 1 },
      `the file is XML, and an XML file can only be a Google Merchant Center feed, not --format ${req.format}`,
    );
  }
  return {
    path,
    name,
    size,
    encoding: guess.encoding,
    encodingConfidence: guess.confidence,
    bomLength: guess.bomLength,
    delimiter: container === 'delimited' ? sniffDelimiter(decodeStart(head, guess)) : ',',
    options: {
      file: name,
      kind,
      container,
      format: req.format,
      mapping: req.mapping,
      onDuplicate: req.onDuplicate,
    },
  };
}

interface Parsed {
  sha256: string;
  counts: PipelineCounts;
}

/** Small files: read, normalize and write in this thread. */
async function parseHere(
  prep: Prepared,
  writer: SourceWriter,
  signal: AbortSignal | undefined,
  progress: ProgressListener,
): Promise<Parsed> {
  const text = readText(prep.path, prep.encoding, prep.bomLength, signal, prep.name);
  const pipeline = createRowPipeline(prep.options, {
    header: (info) => writer.header(info),
    batch: (batch) => {
      writer.batch(batch);
      progress({
        done: text.bytesRead(),
        total: prep.size,
        phase: 'import',
        message: `${pipeline.counts().rows.toLocaleString('en-US')} rows`,
      });
    },
  });
  try {
    await readSource(text, prep.options.container, prep.delimiter, {
      file: prep.name,
      signal,
      onHeader: pipeline.onHeader,
      onRow: pipeline.onRow,
    });
  } finally {
    await text.chunks.return(undefined).catch(() => {});
  }
  pipeline.finish();
  return { sha256: text.sha256(), counts: pipeline.counts() };
}

/** Large files: a worker thread reads and normalizes while this thread writes, on two cores at once. */
function parseInWorker(
  prep: Prepared,
  writer: SourceWriter,
  signal: AbortSignal | undefined,
  progress: ProgressListener,
): Promise<Parsed> {
  const job: ParseJob = {
    path: prep.path,
    encoding: prep.encoding,
    bomLength: prep.bomLength,
    delimiter: prep.delimiter,
    options: prep.options,
  };
  const worker = new Worker(parseWorkerUrl(), { workerData: job });
  let rows = 0;
  return new Promise<Parsed>((resolvePromise, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => settle(() => reject(cancelled()));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (msg: ParseWorkerMessage) => {
      if (settled) return;
      try {
        if (msg.type === 'header') writer.header(msg.info);
        else if (msg.type === 'batch') {
          writer.batch(msg.batch);
          worker.postMessage({ type: 'ack' });
          rows += msg.batch.block.lines.length / 4;
          progress({
            done: msg.bytesRead,
            total: prep.size,
            phase: 'import',
            message: `${rows.toLocaleString('en-US')} rows`,
          });
        } else if (msg.type === 'done')
          settle(() => resolvePromise({ sha256: msg.sha256, counts: msg.counts }));
        else settle(() => reject(new ConcordError(msg.error.code, msg.error.message, msg.error.details)));
      } catch (err) {
        settle(() => reject(err));
      }
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) =>
      settle(() => reject(new ConcordError('INTERNAL', `import worker thread exited early (code ${code})`))),
    );
  });
}

/** The compiled worker script. Under vitest this module runs from TypeScript source, so point at dist/. */
function parseWorkerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts'))
    return new URL(here.replace(/\/core\/ingest\/importFile\.ts$/, '/dist/core/ingest/parseWorker.js'));
  return new URL('./parseWorker.js', here);
}
