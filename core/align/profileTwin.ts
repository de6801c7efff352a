/**
 * Alignment's second thread on large workspaces. A worker thread opens the workspace file to read and builds the
 * text part of the record profiles (recordPairs.ts TextPart: the product records' titles and options in records.id
 * order, as the load stage reads them) while the aligning thread builds the key part; it sends a copy and keeps
 * its own, indexes it for text top-k (blocking.ts TextSearch), and then runs the text top-k of the query records
 * while the aligning thread finds the exact-key pairs. Given the key part, it computes the pair features of
 * half the pairs the matcher scores. Same records, same order, same code: the result is the one thread's result.
 */
import type Database from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { cancelled, ConcordError } from '../model/errors.js';
import { PRODUCT_RECORDS, streamProductRecords, type RecordColumn } from '../store/records.js';
import type { BlockingOptions } from './blocking.js';
import { RecordOptionsReader } from './recordOptions.js';
import { TextPartBuilder, type KeyPart, type TextPart } from './recordPairs.js';

const TEXT_COLUMNS = ['title', 'options'] as const satisfies readonly RecordColumn[];

/** The text part of the workspace's product records, built on this thread. */
export function buildTextPart(db: Database.Database): TextPart {
  const builder = new TextPartBuilder();
  const reader = new RecordOptionsReader();
  for (const row of streamProductRecords(db, TEXT_COLUMNS)) {
    const title = row[0] as string | null;
    builder.add({ title, options: reader.of(title, row[1] as string | null).canonical });
  }
  return builder.done();
}

/** From this many product records on, alignment runs a twin (on a machine with two cores or more). */
export const TWIN_FROM = 40_000;

/** Whether a twin pays for itself on this workspace and machine. */
export function twinWorthwhile(db: Database.Database): boolean {
  if (availableParallelism() < 2) return false;
  return (db.prepare(`SELECT count(*) FROM ${PRODUCT_RECORDS}`).pluck().get() as number) >= TWIN_FROM;
}

/** What the twin is started with. */
export interface TwinStart {
  file: string;
  blocking: BlockingOptions;
}

/** A text top-k request: every record's channel and the query records (null = all). */
export interface TwinTextTopK {
  type: 'textTopK';
  channel: Int32Array;
  channelCount: number;
  queries: Uint8Array | null;
}

/** The key part of the profiles, so the twin has them whole. */
export interface TwinKeys {
  type: 'keys';
  key: KeyPart;
}

/** A pair features request: pairRows of the pairs (a[r], b[r]). */
export interface TwinPairRows {
  type: 'pairRows';
  a: Int32Array;
  b: Int32Array;
}

export type TwinRequest = TwinTextTopK | TwinKeys | TwinPairRows;

export type TwinMessage =
  | { type: 'text'; part: TextPart }
  | { type: 'pairs'; keys: Float64Array }
  | { type: 'rows'; rows: Float32Array }
  | { type: 'error'; message: string };

type Waiter = { resolve: (msg: TwinMessage) => void; reject: (err: Error) => void };

export class ProfileTwin {
  private readonly worker: Worker;
  private readonly waiting: Waiter[] = [];
  private readonly arrived: TwinMessage[] = [];
  private failure: Error | null = null;

  private constructor(start: TwinStart) {
    this.worker = new Worker(workerUrl(), { workerData: start });
    this.worker.unref();
    this.worker.on('message', (msg: TwinMessage) => {
      if (msg.type === 'error')
        return this.fail(new ConcordError('INTERNAL', `profile thread: ${msg.message}`));
      const w = this.waiting.shift();
      if (w) w.resolve(msg);
      else this.arrived.push(msg);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) =>
      this.fail(new ConcordError('INTERNAL', `profile thread exited (code ${code})`)),
    );
  }

  /** Starts the twin on the workspace file (it reads the records as committed). */
  static start(start: TwinStart): ProfileTwin {
    return new ProfileTwin(start);
  }

  /** The text part (a copy of the twin's). */
  async textPart(signal?: AbortSignal): Promise<TextPart> {
    const msg = await this.next(signal);
    if (msg.type !== 'text') throw new ConcordError('INTERNAL', `profile thread sent ${msg.type}, not text`);
    return msg.part;
  }

  /** The text top-k pairs (PairSink keys) of the query records. */
  async textTopK(request: Omit<TwinTextTopK, 'type'>, signal?: AbortSignal): Promise<Float64Array> {
    this.worker.postMessage({ type: 'textTopK', ...request } satisfies TwinTextTopK);
    const msg = await this.next(signal);
    if (msg.type !== 'pairs')
      throw new ConcordError('INTERNAL', `profile thread sent ${msg.type}, not pairs`);
    return msg.keys;
  }

  /** Gives the twin the key part (a copy): from then on it can compute pair features. */
  shareKeys(key: KeyPart): void {
    this.worker.postMessage({ type: 'keys', key } satisfies TwinKeys);
  }

  /** The pair features (recordPairs.ts pairFeatures, row-major) of the pairs (a[r], b[r]); after shareKeys. */
  async pairRows(a: Int32Array, b: Int32Array, signal?: AbortSignal): Promise<Float32Array> {
    this.worker.postMessage({ type: 'pairRows', a, b } satisfies TwinPairRows);
    const msg = await this.next(signal);
    if (msg.type !== 'rows') throw new ConcordError('INTERNAL', `profile thread sent ${msg.type}, not rows`);
    return msg.rows;
  }

  /** Stops the thread (idempotent). */
  close(): void {
    this.failure ??= new ConcordError('INTERNAL', 'profile thread closed');
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
    void this.worker.terminate();
  }

  private next(signal?: AbortSignal): Promise<TwinMessage> {
    const ready = this.arrived.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise<TwinMessage>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (m) => (signal?.removeEventListener('abort', onAbort), resolve(m)),
        reject: (e) => (signal?.removeEventListener('abort', onAbort), reject(e)),
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(cancelled());
        this.close();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}

/** The distinct buffers of a value's typed arrays (moved, not copied, to the receiving thread). */
export function buffersOf(value: unknown): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) buffers.add(v.buffer as ArrayBuffer);
    else if (v && typeof v === 'object' && !Array.isArray(v)) Object.values(v).forEach(visit);
  };
  visit(value);
  return [...buffers];
}

/** The compiled worker script. Under vitest this module runs from TypeScript source, so point at dist/. */
function workerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts'))
    return new URL(here.replace(/\/core\/align\/profileTwin\.ts$/, '/dist/core/align/profileTwinWorker.js'));
  return new URL('./profileTwinWorker.js', here);
}
