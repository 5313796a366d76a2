/** Messages between the function runner and its worker processes. */
export interface InvokeMessage {
  type: 'invoke';
  id: number;
  event: unknown;
  /** Per-invocation environment: WX_OPENID, WX_APPID, WX_UNIONID, WX_API_TOKEN, clock offset. */
  env: Record<string, string>;
  functionName: string;
  /** Bumped by edits from outside the functions: a worker that loaded an older one loads its bundle afresh. */
  generation: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  /** The invocation reached the worker: a crash before this never ran the function, so it may go to another worker. */
  | { type: 'started'; id: number }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string };
