/**
 * The one handler map every client reaches (Electron, web server, CLI): each domain's handlers beside its domain,
 * composed here. Add a method to core/api/contract.ts and to its domain's handlers.ts; every host follows.
 */
import { alignHandlers } from '../align/handlers.js';
import { gapsHandlers } from '../consistency/handlers.js';
import { listExecutionProviders } from '../embed/providers.js';
import { embedHandlers } from '../embed/handlers.js';
import { graphHandlers } from '../graph/handlers.js';
import { importHandlers } from '../ingest/handlers.js';
import { jobsHandlers } from '../jobs/handlers.js';
import { packageInfo } from '../model/packageInfo.js';
import { workspaceHandlers } from '../store/handlers.js';
import type { Handlers } from './context.js';

export type { HandlerContext, Handlers } from './context.js';

export const handlers: Handlers = {
  async 'app.info'(_params, ctx) {
    return { version: packageInfo().version, mode: ctx.mode, executionProviders: listExecutionProviders() };
  },

  ...workspaceHandlers,
  ...importHandlers,
  ...jobsHandlers,
  ...embedHandlers,
  ...alignHandlers,
  ...gapsHandlers,
  ...graphHandlers,
};
