import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { SimulatedClock } from './clock';
import { type Credentials, loadCredentials } from './credentials';
import { sdkEnvironment } from './sdk-env';
import { VersionedDatabase } from './db/database';
import { DbError } from './db/errors';
import { type Body, DatabaseService } from './db/service';
import type { Doc } from './db/ejson';
import { type IndexSpec, Store } from './db/store';
import type { FunctionConfig } from './functions';
import { HttpError, MAX_EVENT_BYTES, mediaType, parseJson, readBody, refuseForeign, requireJson, sendError, sendJson } from './http';
import { SUBSCRIBE_COLLECTIONS, SubscribeMessages, type TemplateDefinition } from './openapi/subscribe';
import { type Delivery, PAY_COLLECTIONS, type PayOutcome, WxPay } from './openapi/pay';
import { decodeOpenApiPairs, encodeOpenApiReply, parseMultipart } from './openapi/wire';
import { jsonParams, multipartParams, readAuthorization, verifySignature } from './signature';
import { FunctionPool, type Outcome } from './runner/pool';
import { CloudStorage, MAX_FILE_BYTES, STORAGE_COLLECTIONS, StorageError } from './storage';
import { DEFAULT_STORAGE_RULES, type StorageRules } from './storage-rules';
import { type Firing, Scheduler } from './scheduler/scheduler';

/** A cloud function as deployed: its bundle (one CommonJS file, `exports.main`) and its config.json. */
export interface FunctionDefinition {
  name: string;
  bundle: string;
  config: FunctionConfig;
}

/** A collection and its indexes (unique ones are enforced by SQLite). */
export interface CollectionDefinition {
  name: string;
  indexes?: IndexSpec[];
}

export interface EmulatorOptions {
  /** 0 picks a free port. Default: PORT or 8787. */
  port?: number;
  /** SQLite file, or ':memory:' (the default). */
  dbFile?: string;
  /** The collections to create (the emulator also creates any a function adds). */
  collections?: CollectionDefinition[];
  /** Documents loaded into an empty collection, and again on reset; local edits survive a restart. */
  seed?: Iterable<[collection: string, docs: Doc[]]>;
  /** Files loaded into cloud storage when missing, and again on reset: `[cloud path, bytes]`. */
  files?: Iterable<[path: string, bytes: Buffer]>;
  /** The storage security rules mini-program requests are held to (default: everyone reads, a file's creator writes). */
  storageRules?: StorageRules;
  /** Subscribe-message templates as chosen in the WeChat console. */
  templates?: TemplateDefinition[];
  /** The mini-program's page paths: the only valid `page` of a subscribe message (empty: any). */
  pages?: string[];
  /** The functions to run, built by the caller. */
  functions?: FunctionDefinition[];
  /** Where function bundles resolve their dependencies (wx-server-sdk): NODE_PATH of the workers. */
  modulePaths?: string[];
  /** Worker processes per function. */
  poolSize?: number;
  /** Per-invocation time limit (the platform's default is 60 s). */
  functionTimeoutMs?: number;
  /**
   * A file the functions' console output is appended to — kept apart from their replies,
   * as the platform keeps it in its log service. Default (null): the emulator's own
   * stdout and stderr.
   */
  functionLogs?: string | null;
  /** Run timer triggers in real time (advances always fire them). */
  realTimeScheduler?: boolean;
  envId?: string;
  appId?: string;
}

export interface Identity {
  openid?: string;
  appid?: string;
  unionid?: string;
}

const LOOPBACK = '127.0.0.1';
const CLOCK_OFFSET = 'clock.offsetMs';
const LATEST_SEEN = 'clock.latestSeenMs';
/** One advance may let at most a year pass (each timer firing in between runs). */
const MAX_ADVANCE_MS = 366 * 86_400_000;

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new HttpError(400, 'bad percent-encoding in the path');
  }
}

/**
 * The local CloudBase: database service and function runner behind the SDK's wire
 * protocol (/admin), plus the gateway for people and tests (/fn, /_emu).
 */
export class Emulator {
  readonly clock: SimulatedClock;
  readonly store: Store;
  readonly database: VersionedDatabase;
  readonly subscribe: SubscribeMessages;
  readonly pay: WxPay;
  /** Cloud storage: the SDKs' `storage.*` actions, uploads to `/_emu/cos/`, temporary URLs under `/_emu/files/`. */
  readonly storage: CloudStorage;
  /** The key pair /admin requests must be signed with (kept beside the database file; see README.md). */
  readonly credentials: Credentials;
  private readonly service: DatabaseService;
  private readonly pools = new Map<string, FunctionPool>();
  private readonly tokens = new Map<string, Identity>();
  private readonly server: Server;
  /** Removes the function worker bundled when the emulator runs from its TypeScript source: on close(), else when the process exits. */
  private removeWorkerBuild: (() => void) | undefined;
  private scheduler: Scheduler | undefined;
  private port = 0;
  /** The open functionLogs file, if any. */
  private logFd: number | undefined;

  private readonly functionConfigs = new Map<string, FunctionConfig>();
  /** Set to an array to record each database request (action and collection): one round trip a function made. Off by default. */
  databaseTrace: string[] | null = null;
  /** The latest simulated instant any function has run at; the clock may not jump back before it. */
  private latestSeenMs: number;
  private latestSeenSaved: number;
  /**
   * Counts edits made from outside the functions (the JS API, an SDK caller without a
   * function's token, seeding and reset): the next invocation of each warm worker then
   * loads its function afresh, so what an instance cached never hides an edit locally.
   */
  private generation = 0;
  /** Set while the database serves a request a function made. */
  private servingFunction = false;

  private constructor(private readonly options: Required<EmulatorOptions>) {
    this.store = new Store(options.dbFile);
    this.credentials = loadCredentials(options.dbFile);
    // Simulated time lives with the data: a restart must not send the data's clock back to real time.
    this.clock = new SimulatedClock(Number(this.store.setting(CLOCK_OFFSET) ?? 0), (offset) =>
      this.store.setSetting(CLOCK_OFFSET, String(offset)),
    );
    this.latestSeenMs = Number(this.store.setting(LATEST_SEEN) ?? 0);
    this.latestSeenSaved = this.latestSeenMs;
    // The emulator's own bookkeeping (`emu_*`: consent credits, the outbox, payments) is no one's edit.
    this.store.onWrite = (collection) => {
      if (!this.servingFunction && !collection.startsWith('emu_')) this.generation++;
    };
    this.database = new VersionedDatabase(this.store);
    this.service = new DatabaseService(this.database, () => this.clock.now());
    this.storage = new CloudStorage(
      this.database,
      () => this.clock.now(),
      () => this.url,
      options.envId,
      options.storageRules,
    );
    this.subscribe = new SubscribeMessages(this.database, options.templates, options.pages, () => this.clock.now());
    // Pay notifications reach their function as the platform sends them: no caller identity.
    this.pay = new WxPay(
      this.database,
      () => this.clock.now(),
      async (fn, event) => {
        const outcome = await this.invoke(fn, event, 'platform');
        return outcome.ok ? outcome.value : null;
      },
    );
    // route() answers every error itself; the catch is the last guard that keeps one bad request from ending the process.
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        console.error('emulator: request failed after its reply began', err);
        res.destroy();
      });
    });
    // Node's default agent (the SDKs' in the workers) drops an idle socket after 5 s, the
    // server's default timeout is also 5 s: a request sent on a socket the server is just
    // closing fails with "socket hang up" (seen under load). Idle sockets end on the client's side.
    this.server.keepAliveTimeout = 65_000;
  }

  static async start(options: EmulatorOptions = {}): Promise<Emulator> {
    const emulator = new Emulator({
      port: options.port ?? Number(process.env['PORT'] ?? 8787),
      dbFile: options.dbFile ?? ':memory:',
      collections: options.collections ?? [],
      seed: [...(options.seed ?? [])],
      files: [...(options.files ?? [])],
      storageRules: options.storageRules ?? DEFAULT_STORAGE_RULES,
      templates: options.templates ?? [],
      pages: options.pages ?? [],
      functions: options.functions ?? [],
      modulePaths: options.modulePaths ?? [],
      poolSize: options.poolSize ?? 4,
      functionTimeoutMs: options.functionTimeoutMs ?? 60_000,
      functionLogs: options.functionLogs ?? null,
      realTimeScheduler: options.realTimeScheduler ?? false,
      envId: options.envId ?? 'local-env',
      appId: options.appId ?? 'wx-local-app',
    });
    try {
      await emulator.listen();
      emulator.provision(false);
      emulator.startFunctions();
    } catch (err) {
      // A start that fails (port taken, bad seed) leaves nothing open behind it.
      await emulator.close();
      throw err;
    }
    return emulator;
  }

  get url(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  /** The environment that points wx-server-sdk / @cloudbase/node-sdk at this emulator, signing with its keys. */
  sdkEnvironment(): Record<string, string> {
    return sdkEnvironment(`${this.url}/admin`, this.options.envId, this.credentials);
  }

  functionNames(): string[] {
    return [...this.pools.keys()];
  }

  triggerNames(): string[] {
    return this.requireScheduler().describe();
  }

  /**
   * Runs a function as the platform would for a caller with this identity, or with
   * `'platform'` as a trigger runs it: no WXContext identity at all.
   */
  async invoke(name: string, event: unknown, identity: Identity | 'platform' = {}): Promise<Outcome> {
    const pool = this.pools.get(name);
    if (!pool) return { ok: false, reason: 'error', message: `function ${name} does not exist` };
    const token = randomUUID();
    const caller = identity === 'platform' ? {} : identity;
    this.tokens.set(token, caller);
    try {
      this.sawInstant(this.clock.now().getTime());
      const env: Record<string, string> = { WX_API_TOKEN: token, CLOUDBASE_EMULATOR_CLOCK_OFFSET_MS: String(this.clock.offset) };
      if (identity !== 'platform') env['WX_APPID'] = caller.appid ?? this.options.appId;
      if (caller.openid) env['WX_OPENID'] = caller.openid;
      if (caller.unionid) env['WX_UNIONID'] = caller.unionid;
      return await pool.invoke(event, env);
    } finally {
      this.tokens.delete(token);
    }
  }

  /** Empties the database and loads collections and seed data again; the clock may then go anywhere. */
  reset(): void {
    this.provision(true);
    this.pay.failRefunds = 0;
    this.storage.clear();
    this.latestSeenMs = 0;
    this.latestSeenSaved = 0;
    this.store.setSetting(LATEST_SEEN, null);
  }

  /**
   * Jumps the clock as a person asks through the gateway: never back before an instant a
   * function has already run at (data written "later" would then lie in the future).
   */
  jumpTo(instant: Date): void {
    if (instant.getTime() < this.latestSeenMs) {
      throw new HttpError(
        409,
        `the clock cannot go back before ${new Date(this.latestSeenMs).toISOString()}, when functions last ran; POST /_emu/reset first to start over`,
      );
    }
    this.setNow(instant);
  }

  /**
   * Remembers the latest instant a function ran at. Every invocation moves it (real time
   * flows), so the database copy is written at most once a simulated second (and on close):
   * a killed emulator may forget the last second, never more.
   */
  private sawInstant(ms: number): void {
    if (ms <= this.latestSeenMs) return;
    this.latestSeenMs = ms;
    if (ms - this.latestSeenSaved >= 1000) this.saveLatestSeen();
  }

  private saveLatestSeen(): void {
    this.latestSeenSaved = this.latestSeenMs;
    this.store.setSetting(LATEST_SEEN, String(this.latestSeenMs));
  }

  /** A timer firing as the platform delivers it: the SCF timer event, and no caller. */
  async fireTrigger(functionName: string, triggerName: string, at = this.clock.now()): Promise<Outcome> {
    return this.invoke(functionName, { Type: 'Timer', TriggerName: triggerName, Time: at.toISOString(), Message: '' }, 'platform');
  }

  advance(ms: number): Promise<Firing[]> {
    return this.requireScheduler().advance(ms);
  }

  setNow(instant: Date): void {
    this.requireScheduler().jump(instant);
  }

  async close(): Promise<void> {
    this.scheduler?.stop();
    await this.pay.settle();
    try {
      await Promise.all([...this.pools.values()].map((p) => p.close()));
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeAllConnections();
      if (this.latestSeenSaved !== this.latestSeenMs) this.saveLatestSeen();
      this.store.close();
      this.setFunctionLogs(null);
    } finally {
      if (this.removeWorkerBuild) {
        this.removeWorkerBuild();
        process.off('exit', this.removeWorkerBuild);
      }
    }
  }

  /**
   * Where the functions' console output goes from now on, warm workers included: a file
   * it is appended to, or (null) the emulator's own stdout and stderr.
   */
  setFunctionLogs(file: string | null): void {
    if (this.logFd !== undefined) closeSync(this.logFd);
    this.logFd = undefined;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    this.logFd = openSync(file, 'a');
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, LOOPBACK, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private provision(empty: boolean): void {
    if (empty) {
      const declared = [
        ...this.options.collections.map((c) => c.name),
        ...SUBSCRIBE_COLLECTIONS,
        ...PAY_COLLECTIONS,
        ...STORAGE_COLLECTIONS,
      ];
      this.store.emptyAll(new Set([...declared, ...[...this.options.seed].map(([collection]) => collection)]));
      this.database.clear();
    }
    for (const spec of this.options.collections) this.store.ensureCollection(spec.name, spec.indexes ?? []);
    for (const name of [...SUBSCRIBE_COLLECTIONS, ...PAY_COLLECTIONS, ...STORAGE_COLLECTIONS]) this.store.ensureCollection(name);
    for (const [collection, docs] of this.options.seed) {
      if (!this.store.hasCollection(collection)) this.store.ensureCollection(collection);
      // Seed documents missing from the database are added; local edits to them survive a restart (reset restores them).
      const missing = docs.filter((doc) => !this.store.get(collection, doc._id));
      this.database.apply(missing.map((doc) => ({ collection, id: doc._id, doc, mode: 'insert' as const })));
    }
    for (const [path, bytes] of this.options.files) if (!this.storage.has(path)) this.storage.put(path, bytes);
  }

  /** The function worker: prebuilt beside this module in dist/; from the TypeScript source, bundled into a folder of its own. */
  private workerScript(): string {
    const prebuilt = join(__dirname, 'runner', 'worker.js');
    if (existsSync(prebuilt)) return prebuilt;
    // esbuild is needed only here (running from source), so it is loaded only here.
    const { buildSync } = require('esbuild') as typeof import('esbuild');
    const dir = mkdtempSync(join(tmpdir(), 'cloudbase-emulator-worker-'));
    this.removeWorkerBuild = () => rmSync(dir, { recursive: true, force: true });
    process.once('exit', this.removeWorkerBuild);
    const outfile = join(dir, 'worker.js');
    buildSync({
      entryPoints: [join(__dirname, 'runner', 'worker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'warning',
    });
    return outfile;
  }

  private startFunctions(): void {
    const workerScript = this.workerScript();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      NODE_PATH: this.options.modulePaths.join(delimiter),
      TZ: 'UTC',
      ...this.sdkEnvironment(),
    };
    this.setFunctionLogs(this.options.functionLogs);
    const triggers = [];
    for (const { name, bundle, config } of this.options.functions) {
      this.functionConfigs.set(name, config);
      const timeoutMs = Math.min(this.options.functionTimeoutMs, (config.timeout ?? Infinity) * 1000);
      this.pools.set(
        name,
        new FunctionPool({
          name,
          workerScript,
          bundle,
          env,
          output: () => this.logFd,
          size: this.options.poolSize,
          timeoutMs,
          generation: () => this.generation,
        }),
      );
      triggers.push(...Scheduler.triggersOf(name, config));
    }
    this.scheduler = new Scheduler(this.clock, triggers, async (fn, trigger, at) => (await this.fireTrigger(fn, trigger, at)).ok);
    if (this.options.realTimeScheduler) this.scheduler.start();
  }

  private requireScheduler(): Scheduler {
    if (!this.scheduler) throw new Error('emulator not started');
    return this.scheduler;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      refuseForeign(req, this.port);
      // The SDKs' route first, without a URL parse: every database request of every function comes here.
      if (req.method === 'POST' && (req.url ?? '').split('?', 1)[0] === '/admin') return await this.sdk(req, res);
      const url = new URL(req.url ?? '/', this.url);
      const path = decodePath(url.pathname);
      if (req.method === 'PUT' && path.startsWith('/_emu/cos/')) return await this.uploadRoute(req, res, path.slice('/_emu/cos/'.length));
      if (req.method === 'GET' && path.startsWith('/_emu/files/')) {
        const file = this.storage.download(path.slice('/_emu/files/'.length), url.searchParams.get('t'), url.searchParams.get('sign'));
        res.writeHead(200, {
          'content-type': file.contentType,
          'content-length': file.bytes.length,
          'cache-control': 'private, max-age=300',
        });
        return void res.end(file.bytes);
      }
      if (req.method === 'POST') requireJson(req);
      if (req.method === 'POST' && path.startsWith('/fn/')) return await this.gatewayCall(req, res, path.slice(4));
      if (req.method === 'POST' && path === '/_emu/client/storage') return await this.clientStorage(req, res);
      if (path === '/_emu/clock') return await this.clockRoute(req, res);
      const trigger = /^\/_emu\/trigger\/([^/]+)\/([^/]+)$/.exec(path);
      if (req.method === 'POST' && trigger) return await this.triggerRoute(res, trigger[1] as string, trigger[2] as string);
      if (req.method === 'POST' && path === '/_emu/subscribe') return await this.subscribeRoute(req, res);
      if (req.method === 'POST' && path === '/_emu/pay') return await this.payRoute(req, res);
      if (req.method === 'POST' && path === '/_emu/pay/deliver') return sendJson(res, 200, { delivered: await this.pay.deliverPending() });
      if (req.method === 'GET' && path === '/_emu/pay') return sendJson(res, 200, { payments: this.pay.payments() });
      if (req.method === 'POST' && path === '/_emu/pay/refunds') return await this.refundsRoute(req, res);
      if (req.method === 'GET' && path === '/_emu/outbox')
        return sendJson(res, 200, { messages: this.subscribe.outbox(url.searchParams.get('openid') ?? undefined) });
      if (req.method === 'POST' && path === '/_emu/reset') {
        this.reset();
        return sendJson(res, 200, { ok: true });
      }
      if (req.method === 'GET' && path === '/')
        return sendJson(res, 200, { ok: true, functions: this.functionNames(), now: this.clock.now() });
      throw new HttpError(404, `no route ${req.method} ${path}`);
    } catch (err) {
      if (!(err instanceof HttpError)) console.error('emulator: request failed', err);
      sendError(req, res, err);
    }
  }

  /** The CloudBase wire protocol spoken by wx-server-sdk and @cloudbase/node-sdk: signed with the emulator's keys, or refused. */
  private async sdk(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = readAuthorization(req, this.credentials);
    const type = mediaType(req);
    if (type !== 'application/json' && type !== 'multipart/form-data')
      throw new HttpError(415, 'the SDKs send application/json or multipart/form-data');
    const raw = await readBody(req);
    if (type === 'multipart/form-data') {
      const parts = parseMultipart(raw, req.headers['content-type'] ?? '');
      verifySignature(req, auth, multipartParams(parts), this.credentials);
      return this.openApi(parts, res);
    }
    const body = parseJson(raw) as Body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object');
    verifySignature(req, auth, jsonParams(body), this.credentials);
    const requestId = randomUUID();
    const action = typeof body['action'] === 'string' ? body['action'] : '';
    try {
      if (action === 'functions.invokeFunction') return sendJson(res, 200, { requestId, ...(await this.invokeFromFunction(body)) });
      if (action.startsWith('storage.')) return sendJson(res, 200, { requestId, data: this.storage.handle(action, body) });
      this.databaseTrace?.push(
        `${action.replace('database.', '')} ${typeof body['collectionName'] === 'string' ? body['collectionName'] : ''}`.trim(),
      );
      // handle() is synchronous: the flag covers exactly this request's writes.
      this.servingFunction = this.tokens.has(String(body['wxCloudApiToken'] ?? ''));
      try {
        return sendJson(res, 200, { requestId, ...this.service.handle(action, body) });
      } finally {
        this.servingFunction = false;
      }
    } catch (err) {
      if (err instanceof DbError || err instanceof StorageError)
        return sendJson(res, 200, { requestId, code: err.code, message: err.message });
      return sendJson(res, 200, {
        requestId,
        code: 'DATABASE_REQUEST_FAILED',
        message: `[DATABASE_REQUEST_FAILED] ${(err as Error).message}`,
      });
    }
  }

  /**
   * The PUT of an upload, as COS takes it: the bytes, with the authorization
   * `storage.getUploadMetadata` handed out for this path. COS answers an empty body on
   * success and an XML `<Error>` otherwise — the SDK reads its Code, Message, RequestId
   * and TraceId.
   */
  private async uploadRoute(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      const header = req.headers['authorization'];
      this.storage.upload(
        path,
        typeof header === 'string' ? header : undefined,
        await readBody(req, MAX_FILE_BYTES),
        req.headers['content-type'],
      );
      res.writeHead(200, { 'content-length': 0 });
      res.end();
    } catch (err) {
      if (!(err instanceof HttpError || err instanceof StorageError)) throw err;
      const code = err instanceof StorageError ? err.code : err.status === 413 ? 'EntityTooLarge' : 'SignatureDoesNotMatch';
      const xml = `<?xml version='1.0' encoding='utf-8' ?><Error><Code>${code}</Code><Message>${err.message.replace(/[<&>]/g, '')}</Message><Resource>/${path.replace(/[<&>]/g, '')}</Resource><RequestId>${randomUUID()}</RequestId><TraceId>${randomUUID()}</TraceId></Error>`;
      res.writeHead(err instanceof HttpError ? err.status : 400, {
        'content-type': 'application/xml',
        'content-length': Buffer.byteLength(xml),
      });
      res.end(xml);
    }
  }

  private async invokeFromFunction(body: Body): Promise<Body> {
    const name = String(body['function_name'] ?? '');
    const data = typeof body['request_data'] === 'string' ? (JSON.parse(body['request_data']) as unknown) : {};
    // The caller's WX_API_TOKEN tells whose context the call runs in, as on the platform.
    const identity = this.tokens.get(String(body['wxCloudApiToken'] ?? '')) ?? {};
    if (!this.pools.has(name)) throw new DbError('FUNCTIONS_REQUEST_FAIL', `function ${name} does not exist`);
    const outcome = await this.invoke(name, data, identity);
    if (!outcome.ok) throw new DbError('FUNCTIONS_EXECUTE_FAIL', outcome.message);
    return { data: { response_data: JSON.stringify(outcome.value) } };
  }

  private openApi(parts: Map<string, Buffer>, res: ServerResponse): void {
    const apiName = parts.get('apiName')?.toString('utf8');
    const requestData = parts.get('requestData');
    if (parts.get('action')?.toString('utf8') === 'wx.wxPayApi') {
      // cloudPay: JSON in, JSON out (the SDK parses the raw body); the caller is the function's.
      const caller = this.tokens.get(parts.get('wxCloudApiToken')?.toString('utf8') ?? '');
      const data = requestData ? (parseJson(requestData) as Record<string, unknown>) : {};
      const body = Buffer.from(JSON.stringify(this.pay.handle(apiName ?? '', data ?? {}, caller?.openid ?? null)));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      res.end(body);
      return;
    }
    const reply =
      apiName === 'subscribeMessage.send' && requestData
        ? this.subscribe.send(decodeOpenApiPairs(requestData))
        : { errcode: 48001, errmsg: `api unauthorized: ${apiName ?? 'none'} is not emulated` };
    const body = encodeOpenApiReply(reply);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  }

  private async gatewayCall(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (!this.pools.has(name)) throw new HttpError(404, `function ${name} does not exist`);
    const event = parseJson(await readBody(req, MAX_EVENT_BYTES));
    const header = (h: string) => {
      const value = req.headers[h];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const outcome = await this.invoke(name, event, {
      openid: header('x-wx-openid'),
      unionid: header('x-wx-unionid'),
      appid: header('x-wx-appid'),
    });
    if (outcome.ok) return sendJson(res, 200, outcome.value);
    sendJson(res, outcome.reason === 'timeout' ? 504 : 502, { ok: false, code: 'INTERNAL', message: outcome.message });
  }

  /**
   * A mini-program's storage request (`wx.cloud.uploadFile`, `getTempFileURL`, `deleteFile`),
   * as the gateway's caller (`x-wx-openid`, as `/fn/` takes it) and under the storage rules:
   * `{ action, ...params }` as the SDKs send them, answered `{ data }` or `{ code, message }`.
   */
  private async clientStorage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const openid = req.headers['x-wx-openid'];
    if (typeof openid !== 'string' || openid === '') throw new HttpError(401, 'a client storage request needs x-wx-openid');
    const body = parseJson(await readBody(req, MAX_EVENT_BYTES)) as Body;
    if (typeof body !== 'object' || body === null || typeof body['action'] !== 'string') throw new HttpError(400, 'send { action, ... }');
    try {
      return sendJson(res, 200, { data: this.storage.client(body['action'], body, openid) });
    } catch (err) {
      if (err instanceof StorageError) return sendJson(res, 200, { code: err.code, message: err.message });
      throw err;
    }
  }

  /**
   * Reads, jumps or advances the clock. An advance answers counts (`fired`, `failed`): a
   * long one fires hundreds of times; each firing is listed (`firings`) only with `detail: true`.
   */
  private async clockRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let firings: Firing[] = [];
    let detail = false;
    if (req.method === 'POST') {
      const body = parseJson(await readBody(req, MAX_EVENT_BYTES)) as { now?: unknown; advanceMs?: unknown; detail?: unknown } | null;
      const { now, advanceMs } = body ?? {};
      detail = body?.detail === true;
      if (typeof now === 'string' && !Number.isNaN(Date.parse(now))) this.jumpTo(new Date(now));
      else if (typeof advanceMs === 'number' && Number.isFinite(advanceMs) && advanceMs >= 0 && advanceMs <= MAX_ADVANCE_MS)
        firings = await this.advance(advanceMs);
      else throw new HttpError(400, `send {"now": ISO-8601} or {"advanceMs": n, "detail"?: true}, 0 <= n <= ${MAX_ADVANCE_MS}`);
    }
    const failed = firings.filter((f) => !f.ok).length;
    sendJson(res, 200, {
      now: this.clock.now().toISOString(),
      offsetMs: this.clock.offset,
      fired: firings.length,
      failed,
      ...(detail ? { firings } : {}),
    });
  }

  private async triggerRoute(res: ServerResponse, fn: string, trigger: string): Promise<void> {
    const known = (this.functionConfigs.get(fn)?.triggers ?? []).some((t) => t.name === trigger);
    if (!known) throw new HttpError(404, `no trigger ${trigger} on function ${fn}`);
    const outcome = await this.fireTrigger(fn, trigger);
    sendJson(res, outcome.ok ? 200 : 502, outcome.ok ? outcome.value : { ok: false, code: 'INTERNAL', message: outcome.message });
  }

  /** The payer's side of `wx.requestPayment`: `{ outTradeNo, outcome?: success|fail|cancel, delivery?: now|twice|held }`. */
  private async payRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (parseJson(await readBody(req, MAX_EVENT_BYTES)) ?? {}) as Record<string, unknown>;
    const outcome = body['outcome'] ?? 'success';
    const delivery = body['delivery'] ?? 'now';
    if (
      typeof body['outTradeNo'] !== 'string' ||
      !['success', 'fail', 'cancel'].includes(String(outcome)) ||
      !['now', 'twice', 'held'].includes(String(delivery))
    )
      throw new HttpError(400, 'send {"outTradeNo", "outcome": success|fail|cancel, "delivery": now|twice|held}');
    const result = await this.pay.pay(body['outTradeNo'], outcome as PayOutcome, delivery as Delivery);
    if (!result) throw new HttpError(404, `no payment ${body['outTradeNo']}`);
    sendJson(res, 200, result);
  }

  /** `{fail: n}`: the next n refund requests are refused (`SYSTEMERROR`), as WeChat Pay does at times. */
  private async refundsRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (parseJson(await readBody(req, MAX_EVENT_BYTES)) ?? {}) as Record<string, unknown>;
    const fail = body['fail'];
    if (typeof fail !== 'number' || !Number.isInteger(fail) || fail < 0 || fail > 10_000)
      throw new HttpError(400, 'send {"fail": n} (0–10000)');
    this.pay.failRefunds = fail;
    sendJson(res, 200, { failRefunds: fail });
  }

  private async subscribeRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (parseJson(await readBody(req, MAX_EVENT_BYTES)) ?? {}) as { openid?: unknown; templateId?: unknown };
    if (typeof body.openid !== 'string' || typeof body.templateId !== 'string') throw new HttpError(400, 'send {"openid", "templateId"}');
    const result = this.subscribe.grant(body.openid, body.templateId);
    if (typeof result !== 'number') throw new HttpError(404, result.errmsg);
    sendJson(res, 200, { ok: true, credits: result });
  }
}
