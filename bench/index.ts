import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { VersionedDatabase } from '../emulator/db/database';
import { toWire } from '../emulator/db/ejson';
import { DatabaseService } from '../emulator/db/service';
import { Store } from '../emulator/db/store';
import { ROOT } from '../emulator/functions';
import { type Measurement, describe, measure } from './measure';

/**
 * `npm run bench`: what the emulator costs, as ratios measured in this one run.
 *  (a) real wx-server-sdk, 8 concurrent loops: emulator vs a canned-reply server (the
 *      SDK's own transport floor) for a conditional update and an insert;
 *  (b) the database service alone vs the same operation straight on SQLite;
 *  (c) a no-op cloud function invoked through the gateway.
 */
const SDK_OPS_PER_WORKER = Number(process.env['BENCH_SDK_OPS'] ?? 500);
const ENGINE_OPS = Number(process.env['BENCH_ENGINE_OPS'] ?? 20000);
const GATEWAY_OPS_PER_WORKER = Number(process.env['BENCH_GATEWAY_OPS'] ?? 250);
const FIXTURES = join(ROOT, 'test', 'fixtures', 'functions');

function tsx(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  return line;
}

async function startServer(kind: 'canned' | 'emulator'): Promise<{ port: string; child: ChildProcess }> {
  const child = tsx(['bench/servers.ts', kind, FIXTURES]);
  return { port: await firstLine(child), child };
}

async function sdkRun(port: string): Promise<{ update: Measurement; insert: Measurement }> {
  const child = tsx(['bench/sdk-client.ts', port, String(SDK_OPS_PER_WORKER)]);
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  await once(child, 'exit');
  return JSON.parse(lines.at(-1) ?? '{}') as { update: Measurement; insert: Measurement };
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}

async function transport(): Promise<string[]> {
  console.log('(a) wx-server-sdk → server, 8 concurrent loops');
  const canned = await startServer('canned');
  const emulator = await startServer('emulator');
  try {
    console.log(' canned-reply server (SDK transport floor):');
    const floor = await sdkRun(canned.port);
    console.log(' emulator database service:');
    const real = await sdkRun(emulator.port);
    return [
      `(a) conditional update: emulator ${ratio(real.update.opsPerSecond, floor.update.opsPerSecond)} of the SDK transport floor (target ≥ 0.5×)`,
      `(a) insert:             emulator ${ratio(real.insert.opsPerSecond, floor.insert.opsPerSecond)} of the SDK transport floor (target ≥ 0.5×)`,
    ];
  } finally {
    canned.child.kill();
    emulator.child.kill();
  }
}

async function engine(): Promise<string[]> {
  console.log('(b) database service vs the same operation on SQLite, in-process');
  const store = new Store(':memory:');
  const service = new DatabaseService(new VersionedDatabase(store), () => new Date());
  store.ensureCollection('svc');
  store.ensureCollection('raw');
  service.handle('database.insertDocument', { collectionName: 'svc', data: [toWire({ _id: 's', n: 1e9 })] });
  const sql = store.engine;
  sql.prepare(`INSERT INTO "c_raw" (id, doc) VALUES (?, ?)`).run('s', JSON.stringify({ _id: 's', n: 1e9 }));
  const rawUpdate = sql.prepare(`UPDATE "c_raw" SET doc = json_set(doc, '$.n', json_extract(doc, '$.n') - 1) WHERE id = ? AND json_extract(doc, '$.n') >= 1`);
  const rawInsert = sql.prepare(`INSERT INTO "c_raw" (id, doc) VALUES (?, ?)`);
  const updateBody = {
    collectionName: 'svc',
    queryType: 'WHERE',
    query: toWire({ _id: 's', n: { $gte: 1 } }),
    data: toWire({ $inc: { n: -1 } }),
    multi: true,
    merge: true,
    upsert: false,
  };
  const svcUpdate = await measure(1, ENGINE_OPS, () => service.handle('database.modifyDocument', updateBody));
  const sqlUpdate = await measure(1, ENGINE_OPS, () => rawUpdate.run('s'));
  const svcInsert = await measure(1, ENGINE_OPS, (_, i) => service.handle('database.insertDocument', { collectionName: 'svc', data: [toWire({ i, at: new Date() })] }));
  const sqlInsert = await measure(1, ENGINE_OPS, (_, i) => rawInsert.run(`r${i}`, JSON.stringify({ _id: `r${i}`, i, at: { $date: new Date().toISOString() } })));
  console.log(`  service update ${describe(svcUpdate)}\n  sqlite  update ${describe(sqlUpdate)}\n  service insert ${describe(svcInsert)}\n  sqlite  insert ${describe(sqlInsert)}`);
  store.close();
  return [
    `(b) conditional update: service ${ratio(svcUpdate.opsPerSecond, sqlUpdate.opsPerSecond)} of bare SQLite`,
    `(b) insert:             service ${ratio(svcInsert.opsPerSecond, sqlInsert.opsPerSecond)} of bare SQLite`,
  ];
}

async function gateway(): Promise<string[]> {
  console.log('(c) no-op cloud function through the gateway, 8 concurrent callers');
  const server = await startServer('emulator');
  try {
    const url = `http://127.0.0.1:${server.port}/fn/noop`;
    const call = async () => {
      const res = await fetch(url, { method: 'POST', headers: { 'x-wx-openid': 'bench' }, body: '{}' });
      await res.json();
    };
    await measure(8, 20, call); // warm the worker pool
    const noop = await measure(8, GATEWAY_OPS_PER_WORKER, call);
    console.log(`  no-op invocation ${describe(noop)}`);
    return [`(c) no-op invocation: ${noop.opsPerSecond.toFixed(0)} calls/s, p50 ${noop.p50ms.toFixed(2)} ms, p99 ${noop.p99ms.toFixed(2)} ms`];
  } finally {
    server.child.kill();
  }
}

async function main(): Promise<void> {
  const summary = [...(await transport()), ...(await engine()), ...(await gateway())];
  console.log(`\nSummary (one run, ${new Date().toISOString()}):\n${summary.map((s) => `  ${s}`).join('\n')}`);
}

void main();
