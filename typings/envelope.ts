import type { ErrorCode } from './errors';

/** The one reply shape of every cloud function action. */
export type Ok<T> = { ok: true; data: T };
export type Fail = { ok: false; code: ErrorCode; message: string };
export type Reply<T> = Ok<T> | Fail;
