import type { ErrorCode, ErrorDetails } from '../model/errors.js';
import type { Batch, HeaderInfo, PipelineCounts, PipelineOptions } from './rowPipeline.js';

/** What the importing thread gives the parse worker. */
export interface ParseJob {
  path: string;
  encoding: string;
  bomLength: number;
  delimiter: string;
  options: PipelineOptions;
}

export type ParseWorkerMessage =
  | { type: 'header'; info: HeaderInfo }
  | { type: 'batch'; batch: Batch; bytesRead: number }
  | { type: 'done'; counts: PipelineCounts; sha256: string }
  | { type: 'error'; error: { code: ErrorCode; message: string; details: ErrorDetails } };
