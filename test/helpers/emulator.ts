import { type Emulator, sdkEnvironment } from 'cloudbase-emulator';
import type { ActionName, FunctionName, ResponseOf } from '../../typings/api';
import type { Reply } from '../../typings/envelope';
import { type LocalCloudOptions, startLocalCloud } from '../../scripts/local-cloud';

/** This project on the emulator, on a free port with an in-memory database. */
export function startEmulator(options: LocalCloudOptions = {}): Promise<Emulator> {
  return startLocalCloud({ port: 0, dbFile: ':memory:', ...options });
}

export interface GatewayReply<T = unknown> {
  status: number;
  body: T;
}

/** POST /fn/<name> as the mini-program would reach it, with the caller's OPENID header. */
export async function callFunction<T = unknown>(
  emulator: Emulator,
  name: string,
  event: unknown,
  openid?: string,
): Promise<GatewayReply<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (openid) headers['x-wx-openid'] = openid;
  const res = await fetch(`${emulator.url}/fn/${name}`, { method: 'POST', headers, body: JSON.stringify(event) });
  return { status: res.status, body: (await res.json()) as T };
}

/** Points wx-server-sdk / @cloudbase/node-sdk in this process at the emulator, as its function workers are. */
export function useSdkAgainst(emulator: Emulator): void {
  Object.assign(process.env, sdkEnvironment(`${emulator.url}/admin`));
}

/**
 * One emulator for a test file: started before its tests, emptied and reseeded before
 * each, closed after. `member` calls the member function as a WeChat user.
 */
export function emulatorPerFile(options: LocalCloudOptions = {}) {
  let running: Emulator | undefined;
  beforeAll(async () => {
    running = await startEmulator(options);
  });
  beforeEach(() => running?.reset());
  afterAll(() => running?.close());
  const emulator = (): Emulator => {
    if (!running) throw new Error('the emulator starts in beforeAll()');
    return running;
  };
  // Replies are typed by the contract (typings/api.ts) from the action named; requests
  // stay open so tests can send what a client must not (bad input is half the suite).
  const call = <F extends FunctionName, A extends ActionName<F>>(fn: F, openid: string, event: { action: A } & Record<string, unknown>) =>
    callFunction<Reply<ResponseOf<F, A>>>(emulator(), fn, event, openid).then((r) => r.body);
  return {
    emulator,
    member: <A extends ActionName<'member'>>(openid: string, event: { action: A } & Record<string, unknown>) =>
      call('member', openid, event),
    /** Any function, as the WeChat user `openid`. */
    call,
    /** Any event at all (hostile or malformed input), its reply untyped. */
    raw: (fn: string, openid: string | undefined, event: unknown) =>
      callFunction<Reply<unknown>>(emulator(), fn, event, openid).then((r) => r.body),
  };
}
