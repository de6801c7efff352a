/** Worker-thread entry of alignment's profile twin (profileTwin.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { openWorkspace } from '../store/workspace.js';
import { PairSink, TextSearch } from './blocking.js';
import {
  buffersOf,
  buildTextPart,
  type TwinMessage,
  type TwinRequest,
  type TwinStart,
} from './profileTwin.js';
import { PAIR_FEATURES, pairFeatures, RecordProfiles } from './recordPairs.js';

const port = parentPort;
if (!port) throw new Error('profileTwinWorker must run in a worker thread');
const start = workerData as TwinStart;
const post = (msg: TwinMessage, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

try {
  const ws = openWorkspace(start.file, { readonly: true });
  let part;
  try {
    part = buildTextPart(ws.db);
  } finally {
    ws.close();
  }
  post({ type: 'text', part }); // a copy: the twin keeps its own
  const search = new TextSearch(part, start.blocking);
  let profiles: RecordProfiles | null = null;
  port.on('message', (req: TwinRequest) => {
    try {
      if (req.type === 'keys') profiles = new RecordProfiles({ key: req.key, text: part });
      else if (req.type === 'textTopK') {
        const sink = new PairSink(part.n);
        search.run(req, sink, req.queries);
        const keys = sink.keys();
        post({ type: 'pairs', keys }, buffersOf(keys));
      } else {
        if (!profiles) throw new Error('pair features asked for before the key part');
        const width = PAIR_FEATURES.length;
        const rows = new Float32Array(req.a.length * width);
        for (let r = 0; r < req.a.length; r++) pairFeatures(profiles, req.a[r], req.b[r], rows, r * width);
        post({ type: 'rows', rows }, buffersOf(rows));
      }
    } catch (err) {
      post({ type: 'error', message: message(err) });
    }
  });
} catch (err) {
  post({ type: 'error', message: message(err) });
}
