import type { Clock } from './clock';
import type { Database } from './db';

/** Who is calling, as the platform says (WXContext) — never as the event says. */
export interface Caller {
  openid: string | null;
  appid: string | null;
  unionid: string | null;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ServerContext {
  db: Database;
  clock: Clock;
  caller: Caller;
  log: Logger;
}

export const consoleLogger: Logger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};
