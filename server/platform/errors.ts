import type { ErrorCode } from '../../typings/errors';

/** A rejection a use-case returns to the caller as `{ ok: false, code, message }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
