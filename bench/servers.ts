import { createServer } from 'node:http';
import { type Emulator, sdkEnvironment } from 'cloudbase-emulator';
import type { AddressInfo } from 'node:net';
import { startLocalCloud } from '../scripts/local-cloud';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedBoard, seedLedger } from './ledger-seed';

/**
 * A server for the SDK benchmark, run in its own process so client and server do not
 * share an event loop: `emulator` (the real database service, in-memory) or `canned`
 * (reads each request and answers a fixed valid reply — the floor the SDK's own
 * transport imposes). Prints its port and SDK environment as one JSON line on stdout.
 */
const CANNED: Record<string, string> = {
  'database.modifyDocument': JSON.stringify({ requestId: 'r', data: { updated: 1 } }),
  'database.insertDocument': JSON.stringify({ requestId: 'r', data: { insertedIds: ['x'] } }),
};

/** The first line a server prints: its port and the environment an SDK client needs to reach it (the emulator's keys). */
function announce(emulator: Emulator): void {
  console.log(JSON.stringify({ port: new URL(emulator.url).port, sdkEnv: emulator.sdkEnvironment() }));
}

async function main(): Promise<void> {
  if (process.argv[2] === 'ledger') {
    const [members, perMember] = [Number(process.argv[3]), Number(process.argv[4])];
    const dbFile = join(mkdtempSync(join(tmpdir(), 'memberloop-bench-')), 'db.sqlite');
    const emulator = await startLocalCloud({ port: 0, dbFile });
    const started = performance.now();
    seedLedger(emulator, members, perMember);
    console.error(`  seeded ${members} members × ${perMember} entries in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    announce(emulator);
    return;
  }
  if (process.argv[2] === 'board') {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'memberloop-bench-')), 'db.sqlite');
    const emulator = await startLocalCloud({ port: 0, dbFile, extraFunctionDirs: [process.argv[4] ?? ''], poolSize: 6 });
    emulator.setNow(new Date('2026-03-02T10:00:00+08:00'));
    const started = performance.now();
    seedBoard(emulator, Number(process.argv[3]), '2026-03-02');
    console.error(`  seeded ${process.argv[3]} leaderboard entries in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    announce(emulator);
    return;
  }
  if (process.argv[2] === 'emulator') {
    const emulator = await startLocalCloud({ port: 0, dbFile: ':memory:', extraFunctionDirs: process.argv.slice(3), poolSize: 6 });
    emulator.store.ensureCollection('bench');
    // Bench (g) writes 100 coupons off from one staff account in seconds, a burst no real
    // till reaches; the default attempt rate (30 a minute) would rightly refuse most of it.
    emulator.database.apply([
      { collection: 'config', id: 'codeGuard', doc: { _id: 'codeGuard', version: 1, staffAttemptsPerMinute: 600 }, mode: 'put' },
    ]);
    announce(emulator);
    return;
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const action = /"action":"([^"]+)"/.exec(body)?.[1] ?? '';
      const reply = CANNED[action] ?? JSON.stringify({ requestId: 'r', data: {} });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(reply);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as AddressInfo).port;
    const sdkEnv = sdkEnvironment(`http://127.0.0.1:${port}/admin`, 'bench', { secretId: 'canned', secretKey: 'canned' });
    console.log(JSON.stringify({ port: String(port), sdkEnv }));
  });
}

void main();
