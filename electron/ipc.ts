/**
 * The fixed IPC channels between main and the preload, and the zod schema of every payload.
 *
 * Only three things cross Electron IPC: the MessagePort handshake (`connect` → `port`), main's notices, and the two
 * native dialogs. API traffic itself goes over the MessagePort straight to the worker. Imported by main (through
 * security.ts) and bundled into the preload, so it stays free of runtime Electron and Node imports.
 */
import { z } from 'zod';
import { NoticeEventMessageSchema } from '../core/api/contract.js';

export const IPC = {
  /** preload → main (send): "give this page a port to the worker". No payload. */
  connect: 'concord:connect',
  /** main → preload (webContents.postMessage): the renderer's end of a fresh MessageChannel in `ports[0]`. */
  port: 'concord:port',
  /** main → preload (webContents.send): a notice event (e.g. the worker restarted), or a job a crash ended. */
  notice: 'concord:notice',
  /** preload → main (invoke): native open dialog for files to import; resolves with absolute paths. */
  pickFiles: 'concord:pick-files',
  /** preload → main (invoke): native dialog for a workspace file; resolves with a path or null. */
  pickWorkspace: 'concord:pick-workspace',
} as const;

export const WorkspaceDialogModeSchema = z.enum(['open', 'create']);
export type WorkspaceDialogMode = z.infer<typeof WorkspaceDialogModeSchema>;

/** Arguments (after the event) of every renderer → main channel. Anything else is refused. */
export const IPC_ARGS = {
  [IPC.connect]: z.tuple([]),
  [IPC.pickFiles]: z.tuple([]),
  [IPC.pickWorkspace]: z.tuple([WorkspaceDialogModeSchema]),
} as const;
export type RendererChannel = keyof typeof IPC_ARGS;

/** What main answers on the invoke channels (the preload checks it before handing it to the page). */
export const IPC_RESULTS = {
  [IPC.pickFiles]: z.array(z.string()),
  [IPC.pickWorkspace]: z.string().nullable(),
} as const;

/** The contract's notice event, bounded and strict: what main may send on `concord:notice`. */
export const NoticeEventSchema = NoticeEventMessageSchema.extend({
  message: z.string().min(1).max(4000),
}).strict();
export type NoticeEvent = z.infer<typeof NoticeEventSchema>;

export function notice(level: NoticeEvent['level'], message: string): NoticeEvent {
  return NoticeEventSchema.parse({ type: 'event', event: 'notice', level, message });
}
