/** Handlers of the knowledge-graph methods (DESIGN.md "Knowledge graph"): the build's and the queries'. */
import type { Handlers } from '../app/context.js';
import { graphBuildHandlers } from './buildHandlers.js';
import { graphQueryHandlers } from './queryHandlers.js';

type GraphMethods = keyof typeof graphBuildHandlers | keyof typeof graphQueryHandlers;

export const graphHandlers: Pick<Handlers, GraphMethods> = { ...graphBuildHandlers, ...graphQueryHandlers };
