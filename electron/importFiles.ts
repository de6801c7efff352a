/**
 * File ▸ Import Files…: each picked file is previewed by the worker and imported as a job on the default channel
 * of its detected format (DEFAULT_CHANNEL_BY_FORMAT: a Google feed goes to `google`). The jobs show in the
 * page's job list like any other. Files whose format cannot be detected are returned as skipped, for the Import
 * page, which lets the user choose the format and mapping.
 */
import { basename } from 'node:path';
import {
  DEFAULT_CHANNEL_BY_FORMAT,
  FormatSchema,
  type MethodName,
  type Params,
  type Result,
} from '../core/api/contract.js';

type Request = <M extends MethodName>(method: M, params: Params<M>) => Promise<Result<M>>;

export interface ImportOutcome {
  started: number;
  /** `file name: why` per file not imported. */
  skipped: string[];
}

export async function importPickedFiles(request: Request, files: readonly string[]): Promise<ImportOutcome> {
  const skipped: string[] = [];
  let started = 0;
  for (const file of files) {
    const preview = await request('import.preview', { file: { path: file } });
    const format = FormatSchema.safeParse(preview.format);
    if (preview.error || !format.success) {
      skipped.push(`${basename(file)}: ${preview.error?.message ?? 'its format was not recognised'}`);
      continue;
    }
    await request('import.start', {
      file: { path: file },
      channel: DEFAULT_CHANNEL_BY_FORMAT[format.data],
      format: format.data,
    });
    started++;
  }
  return { started, skipped };
}
