/**
 * Worker-thread entry for large imports: reads, parses and normalizes the file and posts batches to the
 * importing thread, which only writes them to SQLite. Both run at once, on separate cores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ConcordError } from '../model/errors.js';
import { rawBlockTransferables } from '../store/rawRows.js';
import { readText } from './decode.js';
import { readSource } from './readSource.js';
import { createRowPipeline } from './rowPipeline.js';
import type { ParseJob, ParseWorkerMessage } from './parseWorkerProtocol.js';

/** Batches posted but not yet written; beyond this the reader waits, so memory stays flat. */
const MAX_IN_FLIGHT = 8;

const port = parentPort;
if (!port) throw new Error('parseWorker must run in a worker thread');
const job = workerData as ParseJob;
const post = (msg: ParseWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

let credits = MAX_IN_FLIGHT;
let wake: (() => void) | null = null;
port.on('message', (m: { type: 'ack' }) => {
  if (m.type === 'ack') {
    credits++;
    wake?.();
    wake = null;
  }
});

const text = readText(job.path, job.encoding, job.bomLength, undefined, job.options.file);
const pipeline = createRowPipeline(job.options, {
  header: (info) => post({ type: 'header', info }),
  batch: (batch) => {
    credits--;
    post({ type: 'batch', batch, bytesRead: text.bytesRead() }, rawBlockTransferables(batch.block));
  },
});

try {
  await readSource(text, job.options.container, job.delimiter, {
    file: job.options.file,
    onHeader: pipeline.onHeader,
    onRow: pipeline.onRow,
    pace: async () => {
      while (credits <= 0) await new Promise<void>((resolve) => (wake = resolve));
    },
  });
  pipeline.finish();
  post({ type: 'done', counts: pipeline.counts(), sha256: text.sha256() });
} catch (err) {
  const error =
    err instanceof ConcordError
      ? err.toJSON()
      : { code: 'INTERNAL' as const, message: (err as Error).stack ?? String(err), details: {} };
  post({ type: 'error', error });
}
