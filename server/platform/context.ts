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

/**
 * WeChat Pay as functions reach it (`cloud.cloudPay.<api>`): params and replies camelCase;
 * a business failure is `resultCode: 'FAIL'` with `errCodeDes` (see the emulator's README).
 */
export type CloudPay = (
  api: 'unifiedOrder' | 'queryOrder' | 'closeOrder' | 'refund' | 'queryRefund',
  params: Record<string, unknown>,
) => Promise<PayReply>;
export type PayReply = Record<string, unknown> & { resultCode?: string; errCodeDes?: string };

/** How a function reaches `subscribeMessage.send`; the platform's errcode, 0 for sent. */
export type SendMessage = (message: {
  touser: string;
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
}) => Promise<number>;

/** Temporary URLs of cloud files (`cloud.getTempFileURL`), by fileID; a file that does not exist has none. */
export type FileUrls = (fileIds: readonly string[]) => Promise<Map<string, string>>;

/** A cloud file's bytes (`cloud.downloadFile`), or null if there is no such file. */
export type ReadFile = (fileId: string) => Promise<Buffer | null>;

export interface ServerContext {
  db: Database;
  clock: Clock;
  caller: Caller;
  log: Logger;
  pay: CloudPay;
  /** Subscribe messages (needs the function's `openapi` permission for subscribeMessage.send). */
  send: SendMessage;
  fileUrls: FileUrls;
  readFile: ReadFile;
}

export const consoleLogger: Logger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};
