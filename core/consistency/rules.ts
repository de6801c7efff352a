// Owned by the rules helper: replaced by the real module.
import type { AssortmentRule } from '../api/contract.js';
export function parseRules(_input: unknown, _origin?: string): AssortmentRule[] {
  throw new Error('not implemented');
}
