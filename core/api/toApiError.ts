import type { z } from 'zod';
import { ConcordError } from '../model/errors.js';
import type { ApiError } from './contract.js';

/**
 * Any thrown value as the `{code, message, details}` that crosses process boundaries: a ConcordError keeps its
 * code and details, an abort is CANCELLED, anything else is INTERNAL (its message kept, its stack left behind).
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ConcordError)
    return { code: err.code, message: err.message, details: plainDetails(err.details) };
  if (err instanceof Error && err.name === 'AbortError')
    return { code: 'CANCELLED', message: 'cancelled', details: {} };
  const message = err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.name : typeof err;
  return { code: 'INTERNAL', message: `internal error: ${message}`, details: { name } };
}

/** Details must survive JSON and structured clone: drop what neither can carry (functions, cycles). */
function plainDetails(details: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** `sourceId: expected number, received string; limit: …` — each issue with the path to its field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(params)'}: ${i.message}`)
    .join('; ');
}
