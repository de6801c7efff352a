import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { z } from 'zod';
import { listExecutionProviders } from '../embed/providers.js';
import { importFile } from '../ingest/importFile.js';
import { previewFile } from '../ingest/preview.js';
import type { JobRunner } from '../jobs/jobRunner.js';
import { ConcordError } from '../model/errors.js';
import { listSources, listWarnings } from '../store/sources.js';
import { alignHandlers } from './alignHandlers.js';
import { embedHandlers } from './embedHandlers.js';
import { gapsHandlers } from './gapsHandlers.js';
import type { Api, FileRef, MethodName, Result } from './contract.js';
import { packageInfo } from './packageInfo.js';
import type { WorkspaceSession } from './session.js';
import { resolveUpload } from './uploads.js';

/** What every handler may use: the state the worker holds. */
export interface HandlerContext {
  mode: Result<'app.info'>['mode'];
  session: WorkspaceSession;
  jobs: JobRunner;
}

/** One handler per contract method; params arrive parsed (defaults applied) by dispatch. */
export type Handlers = {
  [M in MethodName]: (params: z.output<Api[M]['params']>, ctx: HandlerContext) => Promise<Result<M>>;
};

export const handlers: Handlers = {
  async 'app.info'(_params, ctx) {
    return { version: packageInfo().version, mode: ctx.mode, executionProviders: listExecutionProviders() };
  },

  async 'workspace.current'(_params, ctx) {
    return ctx.session.info();
  },

  async 'workspace.open'({ path }, ctx) {
    refuseWhileWriting(ctx);
    return ctx.session.open(path);
  },

  async 'workspace.create'({ path }, ctx) {
    refuseWhileWriting(ctx);
    return ctx.session.create(path);
  },

  async 'sources.list'(_params, ctx) {
    return listSources(ctx.session.requireDb());
  },

  async 'sources.warnings'({ sourceId, limit }, ctx) {
    const db = ctx.session.requireDb();
    if (!db.prepare('SELECT 1 FROM sources WHERE id = ?').get(sourceId)) {
      throw new ConcordError('NOT_FOUND', `no source #${sourceId} in this workspace`, { sourceId });
    }
    return listWarnings(db, sourceId, limit);
  },

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
      run: ({ signal, progress }) =>
        importFile({
          workspace,
          file: target.path,
          displayName: target.name,
          channel,
          format: params.format,
          kind,
          encoding: params.encoding,
          mapping: params.mapping,
          replace: params.replace,
          signal,
          onProgress: progress,
        }),
    });
    return { jobId: job.id };
  },

  async 'jobs.list'(_params, ctx) {
    return ctx.jobs.list();
  },

  async 'jobs.cancel'({ jobId }, ctx) {
    return { cancelled: ctx.jobs.cancel(jobId) };
  },

  ...embedHandlers,
  ...alignHandlers,
  ...gapsHandlers,
};

/** A FileRef as a readable path and the name to show: uploads resolve inside the workspace's uploads folder only. */
async function resolveFile(ref: FileRef, ctx: HandlerContext): Promise<{ path: string; name: string }> {
  if ('uploadId' in ref) {
    const upload = await resolveUpload(ctx.session.requirePath(), ref.uploadId);
    return { path: upload.path, name: upload.name };
  }
  const path = resolve(ref.path);
  const info = await stat(path).catch(() => null);
  if (!info) throw new ConcordError('NOT_FOUND', `${ref.path}: no such file`, { file: ref.path });
  if (!info.isFile()) throw new ConcordError('BAD_INPUT', `${ref.path} is not a file`, { file: ref.path });
  return { path, name: basename(path) };
}

function refuseWhileWriting(ctx: HandlerContext): void {
  if (ctx.jobs.hasPendingWrites()) {
    throw new ConcordError(
      'CONFLICT',
      'an import is running in the open workspace: wait for it or cancel it first',
    );
  }
}
