/**
 * The one API contract (DESIGN.md "Process architecture"): every method's name with zod schemas for its params
 * and result. The worker implements it (core/api/handlers.ts); the renderer client, the preload bridge, the web
 * server and the CLI derive their types from it. This file imports only zod, so every environment may use it.
 */
import { z } from 'zod';

export const ErrorCodeSchema = z.enum(['BAD_INPUT', 'NOT_FOUND', 'CANCELLED', 'CONFLICT', 'INTERNAL']);

export const ApiErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).default({}),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const ProgressSchema = z.object({
  done: z.number(),
  total: z.number(),
  phase: z.string(),
  message: z.string(),
});

export const JobStateSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  progress: ProgressSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  result: z.unknown().optional(),
  error: ApiErrorSchema.optional(),
});
export type JobState = z.infer<typeof JobStateSchema>;

export const WorkspaceInfoSchema = z.object({
  path: z.string(),
  name: z.string(),
  schemaVersion: z.number(),
  channels: z.array(z.object({ name: z.string(), priority: z.number() })),
  counts: z.object({ sources: z.number(), records: z.number(), rows: z.number() }),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfoSchema>;

export const SourceSummarySchema = z.object({
  id: z.number(),
  channel: z.string(),
  kind: z.string(),
  format: z.string(),
  encoding: z.string(),
  file: z.string(),
  sha256: z.string(),
  importedAt: z.string(),
  rows: z.number(),
  records: z.number(),
  warnings: z.number(),
});
export type SourceSummary = z.infer<typeof SourceSummarySchema>;

export const SourceWarningSchema = z.object({ line: z.number(), field: z.string(), code: z.string(), message: z.string() });

export const FormatSchema = z.enum(['shopify', 'woocommerce', 'gmc', 'amazon', 'csv', 'jsonl']);
export const SourceKindSchema = z.enum(['products', 'interactions', 'orders', 'reviews']);

/** A file the worker may read: an absolute path (Electron, CLI) or an upload id (web mode). */
export const FileRefSchema = z.union([
  z.object({ path: z.string().min(1) }),
  z.object({ uploadId: z.string().regex(/^[a-f0-9]{32}$/) }),
]);
export type FileRef = z.infer<typeof FileRefSchema>;

export const ImportPreviewSchema = z.object({
  file: z.string(),
  sizeBytes: z.number(),
  container: z.enum(['delimited', 'xml', 'jsonl']),
  encoding: z.string(),
  encodingConfidence: z.number(),
  format: z.string().nullable(),
  formatConfidence: z.number(),
  ranking: z.array(z.object({ format: z.string(), confidence: z.number() })),
  header: z.array(z.string()),
  /** First rows, as text cells (never markup). */
  rows: z.array(z.object({ line: z.number(), cells: z.array(z.string()) })),
  /** Present when the preview itself found the file unreadable. */
  error: ApiErrorSchema.optional(),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

export const ImportResultSchema = z.object({
  sourceId: z.number(),
  channel: z.string(),
  kind: z.string(),
  format: z.string(),
  formatConfidence: z.number(),
  encoding: z.string(),
  encodingConfidence: z.number(),
  file: z.string(),
  sha256: z.string(),
  rows: z.number(),
  records: z.number(),
  warnings: z.number(),
  replaced: z.array(z.number()),
  seconds: z.number(),
});

const empty = z.object({}).strict();
const jobStarted = z.object({ jobId: z.string() });

/** Method name -> { params, result }. Add a method here and in core/api/handlers.ts; every host follows. */
export const API = {
  'app.info': {
    params: empty,
    result: z.object({
      version: z.string(),
      mode: z.enum(['electron', 'web', 'test']),
      executionProviders: z.array(z.object({ name: z.string(), available: z.boolean(), note: z.string() })),
    }),
  },
  'workspace.current': { params: empty, result: WorkspaceInfoSchema.nullable() },
  'workspace.open': { params: z.object({ path: z.string().min(1) }).strict(), result: WorkspaceInfoSchema },
  'workspace.create': { params: z.object({ path: z.string().min(1) }).strict(), result: WorkspaceInfoSchema },
  'sources.list': { params: empty, result: z.array(SourceSummarySchema) },
  'sources.warnings': {
    params: z.object({ sourceId: z.number().int(), limit: z.number().int().min(1).max(10000).default(200) }).strict(),
    result: z.array(SourceWarningSchema),
  },
  'import.preview': {
    params: z.object({ file: FileRefSchema, encoding: z.string().optional(), rows: z.number().int().min(1).max(200).default(20) }).strict(),
    result: ImportPreviewSchema,
  },
  'import.start': {
    params: z
      .object({
        file: FileRefSchema,
        channel: z.string().min(1).max(100),
        format: FormatSchema.optional(),
        kind: SourceKindSchema.optional(),
        encoding: z.string().optional(),
        mapping: z.record(z.string(), z.string()).optional(),
        replace: z.boolean().optional(),
      })
      .strict(),
    result: jobStarted,
  },
  'jobs.list': { params: empty, result: z.array(JobStateSchema) },
  'jobs.cancel': { params: z.object({ jobId: z.string() }).strict(), result: z.object({ cancelled: z.boolean() }) },
} as const;

export type Api = typeof API;
export type MethodName = keyof Api;
export type Params<M extends MethodName> = z.input<Api[M]['params']>;
export type Result<M extends MethodName> = z.output<Api[M]['result']>;

/** Messages on the wire between a client and the worker (over MessagePort, child-process IPC or WebSocket). */
export const RequestMessageSchema = z.object({
  type: z.literal('request'),
  id: z.number().int(),
  method: z.string(),
  params: z.unknown(),
});
export type RequestMessage = z.infer<typeof RequestMessageSchema>;

export type ResponseMessage =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: ApiError };

/** Pushed to every client: a job changed. */
export interface JobEventMessage {
  type: 'event';
  event: 'job';
  job: JobState;
}
/** Pushed to every client: the worker restarted after a crash, or the workspace changed. */
export interface NoticeEventMessage {
  type: 'event';
  event: 'notice';
  level: 'info' | 'error';
  message: string;
}
export type EventMessage = JobEventMessage | NoticeEventMessage;
export type ServerMessage = ResponseMessage | EventMessage;

export function isMethod(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(API, name);
}
