/**
 * The fixed error codes that cross every boundary (DESIGN.md "One API contract"). UNAUTHORIZED (no or a wrong
 * session token) and FORBIDDEN (a caller that may not do this: a foreign Host or Origin, a path from web mode).
 */
export const ERROR_CODES = [
  'BAD_INPUT',
  'NOT_FOUND',
  'CANCELLED',
  'CONFLICT',
  'INTERNAL',
  'UNAUTHORIZED',
  'FORBIDDEN',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

import type { Remedy } from './remedy.js';

export interface ErrorDetails {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
  /** What a person can do about it, worded by each host (core/model/remedy.ts). */
  remedy?: Remedy;
  [key: string]: unknown;
}

export class ConcordError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'ConcordError';
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Bad input at a place in a file: the message always names file, line and (when known) the field. */
export function badInput(
  where: { file: string; line?: number; column?: number; field?: string },
  problem: string,
  remedy?: Remedy,
): ConcordError {
  const parts = [where.file];
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.field !== undefined) parts.push(`field "${where.field}"`);
  else if (where.column !== undefined) parts.push(`column ${where.column}`);
  return new ConcordError('BAD_INPUT', `${parts.join(', ')}: ${problem}`, {
    ...where,
    ...(remedy ? { remedy } : {}),
  });
}

export function cancelled(): ConcordError {
  return new ConcordError('CANCELLED', 'cancelled');
}
