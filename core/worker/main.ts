/**
 * The worker process (DESIGN.md "Process architecture"): owns the SQLite workspace and the jobs, serves the API
 * contract to its host. Started by Electron main with `utilityProcess.fork` (clients connect through MessagePorts)
 * or by the web server / tests with `child_process.fork` (Node IPC).
 *
 *   node dist/core/worker/main.js [--workspace PATH] [--mode electron|web|test]
 */
import { parseArgs } from 'node:util';
import { setLockProgram } from '../store/writeLock.js';
import { electronLink, ipcLink, type ParentPortLike } from './links.js';
import { startWorkerService } from './service.js';
import type { WorkerLink } from './transport.js';

const MODES = ['electron', 'web', 'test'] as const;

function chooseLink(): WorkerLink {
  const parentPort = (process as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) return electronLink(parentPort);
  if (process.send) {
    // The host is gone: nobody is left to serve, and an import in flight rolls back.
    process.on('disconnect', () => process.exit(0));
    return ipcLink();
  }
  process.stderr.write('concord worker: start me with child_process.fork or Electron utilityProcess.fork\n');
  process.exit(2);
}

const { values } = parseArgs({
  options: { workspace: { type: 'string' }, mode: { type: 'string' } },
  strict: true,
});
const mode = (MODES as readonly string[]).includes(values.mode ?? '')
  ? (values.mode as (typeof MODES)[number])
  : process.send
    ? 'web'
    : 'electron';
// How another program waiting for this worker's write names it.
setLockProgram(
  mode === 'web' ? 'concord serve' : mode === 'electron' ? 'the Concord app' : 'a Concord worker',
);
startWorkerService(chooseLink(), { mode, workspace: values.workspace });
