import type { Migration } from '../migrate.js';
import { initial } from './001-initial.js';
import { models } from './002-models.js';
import { alignment } from './003-alignment.js';
import { consistency } from './004-consistency.js';
import { products } from './005-products.js';
import { possibleMatches } from './006-possible-matches.js';
import { clusterEdits } from './007-cluster-edits.js';
import { graph } from './008-graph.js';

/** Every schema change, in order. Append only: never edit a migration that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  models,
  alignment,
  consistency,
  products,
  possibleMatches,
  clusterEdits,
  graph,
];
