/** Handlers of the import methods: preview a file, and import it as a write job. */
import { basename, resolve } from 'node:path';
import type { FileRef } from '../api/contract.js';
import type { HandlerContext, Handlers } from '../app/context.js';
import { discardUpload, resolveUpload, uploadsDir } from '../app/uploads.js';
import { ConcordError } from '../model/errors.js';
import { openInputFile } from './decode.js';
import { importFile } from './importFile.js';
import { previewFile } from './preview.js';

export const importHandlers: Pick<Handlers, 'import.preview' | 'import.start'> = {
  async 'import.preview'({ file, encoding, rows }, ctx) {
    const target = await resolveFile(file, ctx);
    return previewFile(target.path, { encoding, rows, displayName: target.name });
  },

  async 'import.start'(params, ctx) {
    const workspace = ctx.session.requirePath();
    const target = await resolveFile(params.file, ctx);
    const kind = params.kind ?? 'products';
    if (
      (params.format === 'csv' || params.format === 'jsonl') &&
      kind === 'products' &&
      !params.mapping?.recordId
    ) {
      throw new ConcordError(
        'BAD_INPUT',
        `format ${params.format} needs a column mapping with at least recordId`,
        { field: 'mapping' },
      );
    }
    const channel = params.channel.trim();
    const job = ctx.jobs.start({
      kind: 'import',
      title: `Import ${target.name} into ${channel}`,
      writes: true,
      workspace,
      run: async ({ signal, progress }) => {
        try {
          return await importFile({
            workspace,
            file: target.path,
            displayName: target.name,
            channel,
            format: params.format,
            kind,
            encoding: params.encoding,
            mapping: params.mapping,
            replace: params.replace,
            onDuplicate: params.onDuplicate,
            signal,
            onProgress: progress,
          });
        } finally {
          // Imported or refused, the upload has done its job (a retry uploads the file again).
          if ('uploadId' in params.file) await discardUpload(uploadsDir(workspace), params.file.uploadId);
        }
      },
    });
    return { jobId: job.id };
  },
};

/** A FileRef as a readable path and the name to show: uploads resolve inside the workspace's uploads folder only. */
async function resolveFile(ref: FileRef, ctx: HandlerContext): Promise<{ path: string; name: string }> {
  if ('uploadId' in ref) {
    const upload = await resolveUpload(ctx.session.requirePath(), ref.uploadId);
    return { path: upload.path, name: upload.name };
  }
  const path = resolve(ref.path);
  // Checked here too, so a job is not started for a directory, a pipe or a file that cannot be read.
  await (await openInputFile(path, ref.path)).close();
  return { path, name: basename(path) };
}
