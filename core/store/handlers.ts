/** Handlers of the workspace and sources methods: which workspace is open, opening or creating one, its sources. */
import type { HandlerContext, Handlers } from '../app/context.js';
import { refuseWhileWriting } from '../app/context.js';
import { ConcordError } from '../model/errors.js';
import { listSources, listWarnings } from './sources.js';

type WorkspaceMethods =
  'workspace.current' | 'workspace.open' | 'workspace.create' | 'sources.list' | 'sources.warnings';

export const workspaceHandlers: Pick<Handlers, WorkspaceMethods> = {
  async 'workspace.current'(_params, ctx: HandlerContext) {
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

  async 'sources.warnings'({ sourceId, code, offset, limit }, ctx) {
    const db = ctx.session.requireDb();
    if (sourceId !== undefined && !db.prepare('SELECT 1 FROM sources WHERE id = ?').get(sourceId)) {
      throw new ConcordError('NOT_FOUND', `no source #${sourceId} in this workspace`, { sourceId });
    }
    return listWarnings(db, { sourceId, code, offset, limit });
  },
};
