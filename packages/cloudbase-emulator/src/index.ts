/**
 * A local Tencent CloudBase for cloud functions written with the unmodified wx-server-sdk
 * (and @cloudbase/node-sdk): the database service behind the SDK's own wire protocol,
 * functions in worker processes, timer triggers on a simulated clock, subscribe messages,
 * WeChat Pay, and a gateway for people and tests. See README.md.
 */
export { type CollectionDefinition, Emulator, type EmulatorOptions, type FunctionDefinition, type Identity } from './emulator';
export type { FunctionConfig, TimerTrigger } from './functions';
export {
  type AppPages,
  type FunctionFolder,
  appPages,
  readCollections,
  readFunctions,
  readPages,
  readSeed,
  readSeedFiles,
  readStorageRules,
  readTemplates,
} from './files';

// The types of the emulator's public fields (`clock`, `store`, `database`, `subscribe`, `pay`, `storage`, `credentials`).
export type { SimulatedClock } from './clock';
export { type Credentials, credentialsFile } from './credentials';
export { type Doc, parseWire, toWire } from './db/ejson';
export { type IndexSpec, Store } from './db/store';
export { VersionedDatabase, type Write } from './db/database';
export type { DbErrorCode } from './db/errors';
export type { OutboxMessage, SubscribeMessages, TemplateDefinition, WxReply } from './openapi/subscribe';
export type { Delivery, PayOutcome, Payment, TradeState, WxPay } from './openapi/pay';
export { type CloudStorage, MAX_FILE_BYTES } from './storage';
export { DEFAULT_STORAGE_RULES, type StorageRules } from './storage-rules';
export type { Outcome } from './runner/pool';
export type { Firing } from './scheduler/scheduler';

/** The database service without HTTP (the `database.*` actions, EJSON in and out): for benchmarks and tests of the engine. */
export { type Body, DatabaseService } from './db/service';
/** A subscribe-message field value checked against its template type's rule, as WeChat checks it: the problem, or undefined. */
export { checkFieldValue } from './openapi/fields';

export { sdkEnvironment } from './sdk-env';
export { HttpError, MAX_EVENT_BYTES, readBody, refuseForeign, requireJson, sendError } from './http';
export { type GatewayReply, callGateway } from './gateway-client';
