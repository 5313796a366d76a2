import { z } from 'zod';
import type { Reply } from '../../typings/envelope';
import { AppError } from './errors';
import type { ServerContext } from './context';

export interface Action<Input, Output> {
  input: z.ZodType<Input>;
  run(ctx: ServerContext, input: Input): Promise<Output>;
}

/**
 * Declares an action; the schema is strict, so unknown fields are rejected, not ignored.
 * It is built on the action's first call: an instance builds only the schemas it uses.
 */
export function action<Input, Output>(
  input: () => z.ZodType<Input>,
  run: (ctx: ServerContext, input: Input) => Promise<Output>,
): Action<Input, Output> {
  return { input: z.lazy(input), run };
}

// biome-ignore lint/suspicious/noExplicitAny: each action has its own input type; the router validates it before the call
export type Actions = Record<string, Action<any, unknown>>;

/**
 * An action table that implements a function's contract (typings/api.ts) exactly: every
 * action of `Api` and no other, each validating into its request and answering its
 * response. Checked with `satisfies`, so a drift is a compile error.
 */
export type ActionsOf<Api> = { [A in keyof Api]: Api[A] extends { request: infer Q; response: infer R } ? Action<Q, R> : never };

/** More top-level fields than any action takes: refused before any schema runs. */
const MAX_FIELDS = 64;
/** Validation messages are for people: long ones are cut. */
const MAX_MESSAGE = 300;

const actionName = z.lazy(() => z.string().min(1).max(64));

export interface RouteOptions {
  /** Runs before anything about the event is looked at: a refused caller learns nothing. */
  authorize?: (ctx: ServerContext) => Promise<unknown>;
}

/**
 * Routes `{ action, ...input }` to the action, validating input first. Every outcome is
 * one envelope: `{ ok: true, data }` or `{ ok: false, code, message }`. `userInfo`, which
 * the platform adds to events from the mini-program, is dropped: identity comes from
 * WXContext only. Fields are taken as the event's own keys, so `__proto__` or
 * `constructor` reach the strict schema as the unknown fields they are.
 */
/**
 * A refused input as people read it: in Chinese, naming the fields at fault (zod's own
 * wording is English and for developers; the fields are what a caller needs to fix).
 */
export function invalidInput(error: z.ZodError): string {
  const fields = error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.')]));
  const named = [...new Set(fields.filter(Boolean))];
  return (named.length ? `参数有误：${named.join('、')}` : '参数有误').slice(0, MAX_MESSAGE);
}

export async function route(actions: Actions, ctx: ServerContext, event: unknown, options: RouteOptions = {}): Promise<Reply<unknown>> {
  try {
    await options.authorize?.(ctx);
    if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new AppError('INVALID_INPUT', '请求格式有误');
    if (Object.keys(event).length > MAX_FIELDS) throw new AppError('INVALID_INPUT', '请求字段过多');
    const { action: name, userInfo: _platformUserInfo, ...rest } = event as Record<string, unknown>;
    const parsedName = actionName.safeParse(name);
    if (!parsedName.success) throw new AppError('INVALID_INPUT', '请求格式有误');
    const target = Object.hasOwn(actions, parsedName.data) ? actions[parsedName.data] : undefined;
    if (!target) throw new AppError('UNKNOWN_ACTION', `不支持的操作：${parsedName.data}`);
    const input = target.input.safeParse(rest);
    if (!input.success) throw new AppError('INVALID_INPUT', invalidInput(input.error));
    return { ok: true, data: await target.run(ctx, input.data) };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, message: err.message };
    ctx.log.error('action failed', { error: err instanceof Error ? err.stack : String(err) });
    return { ok: false, code: 'INTERNAL', message: '服务繁忙，请稍后再试' };
  }
}
