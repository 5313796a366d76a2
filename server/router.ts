import { z } from 'zod';
import type { Reply } from '../typings/envelope';
import { AppError } from './errors';
import type { ServerContext } from './context';

export interface Action<Input, Output> {
  input: z.ZodType<Input>;
  run(ctx: ServerContext, input: Input): Promise<Output>;
}

/** Declares an action; the schema is strict, so unknown fields are rejected, not ignored. */
export function action<Input, Output>(
  input: z.ZodType<Input>,
  run: (ctx: ServerContext, input: Input) => Promise<Output>,
): Action<Input, Output> {
  return { input, run };
}


// `any`: each action has its own input type; the router validates it before the call.
export type Actions = Record<string, Action<any, unknown>>;

const envelope = z.object({ action: z.string().min(1).max(64) }).passthrough();

/**
 * Routes `{ action, ...input }` to the action, validating input first. Every outcome is
 * one envelope: `{ ok: true, data }` or `{ ok: false, code, message }`. `userInfo`, which
 * the platform adds to events from the mini-program, is dropped: identity comes from
 * WXContext only.
 */
export async function route(actions: Actions, ctx: ServerContext, event: unknown): Promise<Reply<unknown>> {
  try {
    const parsed = envelope.safeParse(event);
    if (!parsed.success) throw new AppError('INVALID_INPUT', 'event must be an object with an action');
    const { action: name, userInfo: _platformUserInfo, ...rest } = parsed.data;
    const target = Object.hasOwn(actions, name) ? actions[name] : undefined;
    if (!target) throw new AppError('UNKNOWN_ACTION', `unknown action ${name}`);
    const input = target.input.safeParse(rest);
    if (!input.success) throw new AppError('INVALID_INPUT', z.prettifyError(input.error));
    return { ok: true, data: await target.run(ctx, input.data) };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, message: err.message };
    ctx.log.error('action failed', { error: err instanceof Error ? err.stack : String(err) });
    return { ok: false, code: 'INTERNAL', message: '服务繁忙，请稍后再试' };
  }
}
