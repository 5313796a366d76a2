/**
 * A database-service error, answered with HTTP 200 and `{code, message}` exactly as the
 * real CloudBase service does. wx-server-sdk maps known codes to numeric errCodes and
 * otherwise keeps `message`, so every message starts with its code: callers can still
 * recognise e.g. a duplicate write by `[DATABASE_DUPLICATE_WRITE]` in the message.
 */
export type DbErrorCode =
  | 'DATABASE_COLLECTION_NOT_EXIST'
  | 'DATABASE_COLLECTION_ALREADY_EXIST'
  | 'DATABASE_DUPLICATE_WRITE'
  | 'DATABASE_TRANSACTION_CONFLICT'
  | 'DATABASE_TRANSACTION_FAIL'
  | 'DATABASE_REQUEST_FAILED'
  | 'INVALID_PARAM'
  | 'FUNCTIONS_EXECUTE_FAIL'
  | 'FUNCTIONS_REQUEST_FAIL';

export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    detail: string,
  ) {
    super(`[${code}] ${detail}`);
  }
}
