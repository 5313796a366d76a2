/**
 * A local Tencent CloudBase for cloud functions written with the unmodified wx-server-sdk
 * (and @cloudbase/node-sdk): the database service behind the SDK's own wire protocol,
 * functions in worker processes, timer triggers on a simulated clock, subscribe messages,
 * and a gateway for people and tests. See README.md.
 */
export { type CollectionDefinition, Emulator, type EmulatorOptions, type FunctionDefinition, type Identity } from './emulator';
export type { FunctionConfig, TimerTrigger } from './functions';
export type { Doc } from './db/ejson';
export type { IndexSpec } from './db/store';
export type { TemplateDefinition } from './openapi/subscribe';
export type { Outcome } from './runner/pool';
export type { Firing } from './scheduler/scheduler';
export { sdkEnvironment } from './sdk-env';
export { type Credentials, credentialsFile } from './credentials';
export { HttpError, MAX_EVENT_BYTES, readBody, refuseForeign, requireJson, sendError } from './http';
export { type GatewayReply, callGateway } from './gateway-client';
