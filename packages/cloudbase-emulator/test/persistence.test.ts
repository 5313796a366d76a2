import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { credentialsFile } from '../src';
import { callFunction, startEmulator, temporaryFolder } from './helpers';

describe('durable database file', () => {
  it('keeps what functions wrote and edited seed documents across restarts', async () => {
    const dbFile = join(temporaryFolder('cloudbase-emulator-db-'), 'db.sqlite');
    const first = await startEmulator({ dbFile });
    assert.ok((await first.fireTrigger('probe', 'nightly')).ok);
    first.database.apply([{ collection: 'roles', id: 'editor-1', doc: { _id: 'editor-1', role: 'editor', team: 'team-9' }, mode: 'put' }]);
    await first.close();

    const second = await startEmulator({ dbFile });
    try {
      assert.equal(second.store.count('probe_firings'), 1, 'a function’s write survives');
      assert.equal(second.store.count('roles'), 2);
      assert.equal(second.store.get('roles', 'editor-1')?.['team'], 'team-9', 'a local edit to seed data survives a restart');
      second.reset();
      assert.equal(second.store.get('roles', 'editor-1')?.['team'], 'team-1', 'reset restores the seed');
    } finally {
      await second.close();
    }
  });
});

describe('the /admin key pair kept with the database', () => {
  it('is made on first start beside the file, readable by its owner only, and kept across restarts', async () => {
    const dbFile = join(temporaryFolder('cloudbase-emulator-keys-'), 'db.sqlite');
    const first = await startEmulator({ dbFile });
    const made = first.credentials;
    await first.close();
    assert.deepEqual(JSON.parse(readFileSync(credentialsFile(dbFile), 'utf8')), made);
    assert.equal(statSync(credentialsFile(dbFile)).mode & 0o777, 0o600);
    const second = await startEmulator({ dbFile });
    try {
      assert.deepEqual(second.credentials, made);
      assert.equal(second.sdkEnvironment()['TENCENTCLOUD_SECRETKEY'], made.secretKey, 'what its workers sign with');
    } finally {
      await second.close();
    }
    const other = await startEmulator({ dbFile: join(temporaryFolder('cloudbase-emulator-keys-'), 'db.sqlite') });
    assert.notEqual(other.credentials.secretKey, made.secretKey, 'another database, another pair');
    await other.close();
  });
});

describe('simulated time kept with the database', () => {
  const clock = async (url: string, body?: unknown) => {
    const res = await fetch(
      `${url}/_emu/clock`,
      body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    return { status: res.status, body: (await res.json()) as { now?: string; code?: string; message?: string } };
  };

  it('a restart keeps the simulated time; jumping back before what functions saw is refused until a reset', async () => {
    const dbFile = join(temporaryFolder('cloudbase-emulator-clock-'), 'db.sqlite');
    const first = await startEmulator({ dbFile });
    assert.equal((await clock(first.url, { now: '2031-05-01T10:00:00+08:00' })).status, 200);
    await callFunction(first, 'probe', { do: 'echo' }, 'o-time');
    await first.close();

    const second = await startEmulator({ dbFile });
    try {
      const now = await clock(second.url);
      assert.match(String(now.body.now), /^2031-05-01T02:00/);
      const back = await clock(second.url, { now: '2031-04-30T10:00:00+08:00' });
      assert.equal(back.status, 409);
      assert.equal(back.body.code, 'CONFLICT');
      assert.match(String((await clock(second.url)).body.now), /^2031-05-01/, 'the refused jump changed nothing');
      assert.equal((await clock(second.url, { now: '2031-06-01T10:00:00+08:00' })).status, 200, 'forward is fine');
      await fetch(`${second.url}/_emu/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      assert.equal((await clock(second.url, { now: '2031-04-30T10:00:00+08:00' })).status, 200, 'after a reset the clock may go anywhere');
    } finally {
      await second.close();
    }
  });
});
