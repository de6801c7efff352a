import type { ApiError } from '../api/contract.js';

/** An error with the HTTP status to answer and the contract's error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiError['code'],
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  body(): { error: ApiError } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}
