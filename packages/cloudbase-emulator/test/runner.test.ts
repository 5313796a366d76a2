import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '../src';
import { callFunction, startEmulator, useSdkAgainst } from './helpers';

type Echo = {
  openid: string | null;
  appid: string | null;
  unionid: string | null;
  now: string;
  pid: number;
  event: Record<string, unknown>;
};

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ functionTimeoutMs: 1500, poolSize: 3 });
  emulator.store.ensureCollection('probe_firings');
  emulator.store.ensureCollection('probe_counts');
});
afterAll(() => emulator.close());

describe('function runner', () => {
  it('gives each invocation the identity of its own caller', async () => {
    const replies = await Promise.all(
      ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map((openid) => callFunction<Echo>(emulator, 'probe', { do: 'echo' }, openid)),
    );
    assert.deepEqual(
      replies.map((r) => r.body.openid),
      ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'],
    );
    assert.ok(replies.every((r) => r.body.appid === 'wx-local-app'));
  });

  it('an invocation without a caller has no OPENID', async () => {
    const reply = await callFunction<Echo>(emulator, 'probe', { do: 'echo' });
    assert.equal(reply.body.openid, null);
  });

  it('runs concurrent invocations in separate workers at the same time', async () => {
    const replies = await Promise.all(
      [1, 2, 3].map(() => callFunction<{ pid: number }>(emulator, 'probe', { do: 'sleep', ms: 300 }, 'u1')),
    );
    assert.equal(new Set(replies.map((r) => r.body.pid)).size, 3);
  });

  it('passes the simulated clock to the function', async () => {
    emulator.setNow(new Date('2030-05-06T07:08:09Z'));
    const reply = await callFunction<Echo>(emulator, 'probe', { do: 'echo' }, 'u1');
    const drift = Date.parse(reply.body.now) - Date.parse('2030-05-06T07:08:09Z');
    assert.ok(drift >= 0 && drift < 5000, `function clock ${reply.body.now}`);
  });

  it('a throwing function answers 502 and the next call gets a fresh worker', async () => {
    const before = await callFunction<Echo>(emulator, 'probe', { do: 'echo' }, 'u1');
    const failed = await callFunction<{ ok: boolean; code: string }>(emulator, 'probe', { do: 'throw' }, 'u1');
    assert.equal(failed.status, 502);
    assert.deepEqual([failed.body.ok, failed.body.code], [false, 'INTERNAL']);
    const afterwards = await callFunction<Echo>(emulator, 'probe', { do: 'echo' }, 'u1');
    assert.equal(afterwards.status, 200);
    assert.ok(before.body.pid > 0 && afterwards.body.pid > 0);
  });

  it('a function exceeding its time limit answers 504, and the emulator stays up', async () => {
    const slow = await callFunction(emulator, 'probe', { do: 'sleep', ms: 5000 }, 'u1');
    assert.equal(slow.status, 504);
    const next = await callFunction<Echo>(emulator, 'probe', { do: 'echo' }, 'u1');
    assert.equal(next.status, 200);
  });

  it('a function that kills its process answers 502, and the emulator stays up', async () => {
    const crashed = await callFunction(emulator, 'probe', { do: 'exit' }, 'u1');
    assert.equal(crashed.status, 502);
    assert.equal((await callFunction(emulator, 'probe', { do: 'echo' }, 'u1')).status, 200);
  });

  it('a worker killed between invocations is replaced on the next call, even before its death is noticed', async () => {
    const first = await callFunction<Echo>(emulator, 'probe', { do: 'echo' }, 'u1');
    process.kill(first.body.pid, 'SIGKILL');
    const replies = await Promise.all([1, 2, 3].map(() => callFunction<Echo>(emulator, 'probe', { do: 'echo' }, 'u1')));
    assert.ok(replies.every((r) => r.status === 200 && r.body.pid !== first.body.pid));
  });

  it('a warm instance keeps its module scope until an edit from outside the functions, which starts it afresh', async () => {
    const count = async () => (await callFunction<{ invocations: number; pid: number }>(emulator, 'probe', { do: 'count' })).body;
    const first = await count();
    const second = await count();
    assert.equal(second.pid, first.pid, 'one worker served both (calls in sequence)');
    assert.equal(second.invocations, first.invocations + 1, 'the function’s own writes keep the instance warm');
    emulator.database.apply([{ collection: 'probe_counts', id: 'console-edit', doc: { _id: 'console-edit' }, mode: 'put' }]);
    const afterEdit = await count();
    assert.equal(afterEdit.pid, first.pid, 'the same process, its module loaded again');
    assert.equal(afterEdit.invocations, 1);
    assert.equal((await count()).invocations, 2);
    // An SDK caller outside the functions (the console, a script) edits too.
    useSdkAgainst(emulator);
    const node = require('@cloudbase/node-sdk') as typeof import('@cloudbase/node-sdk');
    await node.init({ env: node.SYMBOL_CURRENT_ENV }).database().collection('probe_counts').add({ note: 'script' });
    assert.equal((await count()).invocations, 1);
  });

  it('what functions print goes to the functionLogs file, stdout and stderr alike, and to a new file once switched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudbase-emulator-logs-'));
    const file = join(dir, 'nested', 'functions.log');
    const next = join(dir, 'next.log');
    const logging = await startEmulator({ functionLogs: file });
    try {
      await callFunction(logging, 'probe', { do: 'log', text: 'first' }, 'u1');
      await callFunction(logging, 'probe', { do: 'log', text: 'second' }, 'u1');
      logging.setFunctionLogs(next);
      await callFunction(logging, 'probe', { do: 'log', text: 'third' }, 'u1');
    } finally {
      await logging.close();
    }
    assert.deepEqual(readFileSync(file, 'utf8').trim().split('\n').sort(), ['error: first', 'error: second', 'first', 'second']);
    assert.deepEqual(
      readFileSync(next, 'utf8').trim().split('\n').sort(),
      ['error: third', 'third'],
      'the same warm worker, its output moved',
    );
    rmSync(dir, { recursive: true });
  });

  it('cloud.callFunction reaches another function in the caller’s context', async () => {
    const reply = await callFunction<Echo>(emulator, 'probe', { do: 'call' }, 'u-chain');
    assert.equal(reply.body.openid, 'u-chain');
    assert.deepEqual(reply.body.event, { do: 'echo' });
  });
});

describe('scheduler', () => {
  it('fires the timer trigger each time simulated time passes it, with the clock at the fire time', async () => {
    emulator.setNow(new Date('2031-01-01T00:00:00Z')); // 08:00 Beijing
    const fired = await emulator.advance(2 * 86_400_000);
    assert.deepEqual(
      fired.map((f) => f.at),
      ['2031-01-01T18:30:00.000Z', '2031-01-02T18:30:00.000Z'],
    );
    assert.ok(fired.every((f) => f.ok && f.functionName === 'probe' && f.triggerName === 'nightly'));
    const docs = emulator.store.all('probe_firings');
    const clocks = docs.map((d) => (d['clock'] as Date).getTime() - Date.parse(d['time'] as string));
    assert.equal(docs.length, 2);
    assert.ok(
      clocks.every((delta) => delta >= 0 && delta < 5000),
      'the function saw the fire time as now',
    );
  });

  it('a jump of the clock fires nothing', async () => {
    const before = emulator.store.all('probe_firings').length;
    emulator.setNow(new Date('2031-06-01T00:00:00Z'));
    assert.deepEqual(await emulator.advance(1000), []);
    assert.equal(emulator.store.all('probe_firings').length, before);
  });
});
