import assert from 'node:assert/strict';
import type { Emulator } from '../src';
import { startEmulator, useSdkAgainst } from './helpers';

/**
 * Contract: the real, unmodified wx-server-sdk and @cloudbase/node-sdk against the
 * emulator, for every call the project relies on. An SDK release that changes the wire
 * protocol fails here.
 */
let emulator: Emulator;
// The SDKs are loaded after the environment points them at the emulator.
let wx: typeof import('wx-server-sdk');
let node: typeof import('@cloudbase/node-sdk');

beforeAll(async () => {
  emulator = await startEmulator();
  for (const name of ['things', 'others', 'empty']) emulator.store.ensureCollection(name);
  emulator.store.ensureCollection('claims', [{ name: 'claimKey', fields: ['key'], unique: true }]);
  useSdkAgainst(emulator);
  wx = require('wx-server-sdk') as typeof wx;
  node = require('@cloudbase/node-sdk') as typeof node;
  wx.init({ env: wx.DYNAMIC_CURRENT_ENV as unknown as string });
});
afterAll(() => emulator.close());

// The SDK's typings union in callback-style returns (`void | string`); this suite checks the
// runtime protocol, and each assertion states the shape it expects.
// biome-ignore lint/suspicious/noExplicitAny: see above
const db = (): any => wx.database();

describe('wx-server-sdk database calls', () => {
  it('add returns the new _id and doc().get() reads it back with types intact', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const { _id } = (await db()
      .collection('things')
      .add({ data: { n: 3, ratio: 1.5, at, nested: { a: [1, 'x'] } } })) as { _id: string };
    assert.match(_id, /^[0-9a-f]{32}$/);
    const { data } = (await db().collection('things').doc(_id).get()) as { data: Record<string, unknown> };
    assert.deepEqual(data, { _id, n: 3, ratio: 1.5, at, nested: { a: [1, 'x'] } });
    assert.ok(data['at'] instanceof Date);
  });

  it('add keeps a caller-chosen _id and a second add with it is a duplicate write', async () => {
    await db()
      .collection('things')
      .add({ data: { _id: 'fixed', n: 1 } });
    await assert.rejects(
      db()
        .collection('things')
        .add({ data: { _id: 'fixed', n: 2 } }),
      (err: { errMsg: string }) => /DATABASE_DUPLICATE_WRITE/.test(err.errMsg),
    );
  });

  it('a unique index admits exactly one of 50 concurrent inserts with the same key', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        db()
          .collection('claims')
          .add({ data: { key: 'claim-2026-03-01', attempt: i } }),
      ),
    );
    const rejected = attempts.filter((a) => a.status === 'rejected') as PromiseRejectedResult[];
    assert.equal(attempts.length - rejected.length, 1);
    assert.ok(rejected.every((r) => /DATABASE_DUPLICATE_WRITE/.test((r.reason as { errMsg: string }).errMsg)));
    assert.equal(((await db().collection('claims').where({ key: 'claim-2026-03-01' }).count()) as { total: number }).total, 1);
  });

  it('where/orderBy/skip/limit/field shape the result', async () => {
    const c = db().collection('others');
    for (const n of [5, 1, 4, 2, 3]) await c.add({ data: { n, label: `n${n}`, odd: n % 2 === 1 } });
    const _ = db().command;
    const res = (await c
      .where({ n: _.gte(2) })
      .orderBy('n', 'desc')
      .skip(1)
      .limit(2)
      .field({ label: true })
      .get()) as { data: Record<string, unknown>[] };
    assert.deepEqual(
      res.data.map((d) => d['label']),
      ['n4', 'n3'],
    );
    assert.deepEqual(Object.keys(res.data[0] ?? {}).sort(), ['_id', 'label']);
    const count = (await c.where({ odd: true }).count()) as { total: number };
    assert.equal(count.total, 3);
  });

  it('a conditional update is a compare-and-set reported through stats.updated', async () => {
    const c = db().collection('things');
    await c.add({ data: { _id: 'stock', n: 1 } });
    const _ = db().command;
    const first = (await c.where({ _id: 'stock', n: _.gte(1) }).update({ data: { n: _.inc(-1) } })) as { stats: { updated: number } };
    const second = (await c.where({ _id: 'stock', n: _.gte(1) }).update({ data: { n: _.inc(-1) } })) as { stats: { updated: number } };
    assert.equal(first.stats.updated, 1);
    assert.equal(second.stats.updated, 0);
    const { data } = (await c.doc('stock').get()) as { data: { n: number } };
    assert.equal(data.n, 0);
  });

  it('doc().update applies operators on dot paths, serverDate and array commands', async () => {
    const c = db().collection('things');
    const _ = db().command;
    await c.add({ data: { _id: 'ops', tags: ['a'], profile: { name: 'x' }, gone: 1, score: 2 } });
    const before = emulator.clock.now().getTime();
    await c.doc('ops').update({
      data: { 'profile.city': '上海', tags: _.push(['b', 'c']), gone: _.remove(), score: _.mul(5), seen: db().serverDate() },
    });
    const { data } = (await c.doc('ops').get()) as { data: Record<string, unknown> };
    assert.deepEqual(data['profile'], { name: 'x', city: '上海' });
    assert.deepEqual(data['tags'], ['a', 'b', 'c']);
    assert.equal('gone' in data, false);
    assert.equal(data['score'], 10);
    assert.ok(data['seen'] instanceof Date && data['seen'].getTime() >= before - 5);
  });

  it('doc().set replaces the document and upserts a missing one', async () => {
    const c = db().collection('things');
    await c.add({ data: { _id: 'setme', a: 1, b: 2 } });
    const replaced = (await c.doc('setme').set({ data: { c: 3 } })) as { stats: { updated: number; created: number } };
    const created = (await c.doc('newdoc').set({ data: { d: 4 } })) as { _id: string; stats: { updated: number; created: number } };
    assert.deepEqual(((await c.doc('setme').get()) as { data: unknown }).data, { _id: 'setme', c: 3 });
    assert.equal(replaced.stats.updated, 1);
    assert.equal(created.stats.created, 1);
    assert.deepEqual(((await c.doc('newdoc').get()) as { data: unknown }).data, { _id: 'newdoc', d: 4 });
  });

  it('remove deletes by doc and by where, reporting how many', async () => {
    const c = db().collection('things');
    await c.add({ data: { _id: 'r1', kind: 'tmp' } });
    await c.add({ data: { _id: 'r2', kind: 'tmp' } });
    await c.add({ data: { _id: 'r3', kind: 'tmp' } });
    const one = (await c.doc('r1').remove()) as { stats: { removed: number } };
    const many = (await c.where({ kind: 'tmp' }).remove()) as { stats: { removed: number } };
    assert.equal(one.stats.removed, 1);
    assert.equal(many.stats.removed, 2);
    assert.equal(((await c.where({ kind: 'tmp' }).count()) as { total: number }).total, 0);
  });

  it('doc().get of a missing document rejects, as on the platform', async () => {
    await assert.rejects(db().collection('things').doc('missing').get());
  });

  it('a missing collection is DATABASE_COLLECTION_NOT_EXIST (errCode -502005)', async () => {
    await assert.rejects(db().collection('nope').where({}).get(), (err: { errCode: number }) => err.errCode === -502005);
  });

  it('createCollection adds a collection once', async () => {
    await db().createCollection('made_here');
    await db()
      .collection('made_here')
      .add({ data: { ok: true } });
    await assert.rejects(db().createCollection('made_here'));
  });

  it('aggregate runs match/group/sort and answers 20 rows when no limit is given', async () => {
    const c = db().collection('empty');
    for (let i = 0; i < 25; i++) await c.add({ data: { i, group: i % 2 === 0 ? 'even' : 'odd' } });
    const $ = db().command.aggregate;
    const grouped = (await c
      .aggregate()
      .group({ _id: '$group', total: $.sum('$i') })
      .sort({ _id: 1 })
      .end()) as { list: unknown[] };
    assert.deepEqual(grouped.list, [
      { _id: 'even', total: 156 },
      { _id: 'odd', total: 144 },
    ]);
    const unlimited = (await c.aggregate().match({}).end()) as { list: unknown[] };
    const limited = (await c.aggregate().match({}).limit(100).end()) as { list: unknown[] };
    assert.equal(unlimited.list.length, 20);
    assert.equal(limited.list.length, 25);
  });

  it('get answers 100 documents by default and at most 1000', async () => {
    const c = db().collection('made_here');
    for (let i = 0; i < 120; i++) await c.add({ data: { i } });
    const plain = (await c.get()) as { data: unknown[] };
    assert.equal(plain.data.length, 100);
  });
});

describe('wx-server-sdk transactions', () => {
  it('runTransaction commits all writes together', async () => {
    await db()
      .collection('things')
      .add({ data: { _id: 'acct-a', balance: 100 } });
    await db()
      .collection('things')
      .add({ data: { _id: 'acct-b', balance: 0 } });
    await db().runTransaction(async (t: TransactionLike) => {
      const a = (await t.collection('things').doc('acct-a').get()).data;
      await t
        .collection('things')
        .doc('acct-a')
        .update({ data: { balance: a.balance - 30 } });
      await t
        .collection('things')
        .doc('acct-b')
        .update({ data: { balance: db().command.inc(30) } });
    });
    assert.equal(((await db().collection('things').doc('acct-a').get()) as { data: { balance: number } }).data.balance, 70);
    assert.equal(((await db().collection('things').doc('acct-b').get()) as { data: { balance: number } }).data.balance, 30);
  });

  it('a rolled-back transaction leaves nothing behind', async () => {
    await db()
      .collection('things')
      .add({ data: { _id: 'rb', v: 1 } });
    await assert.rejects(
      db().runTransaction(async (t: TransactionLike) => {
        await t
          .collection('things')
          .doc('rb')
          .update({ data: { v: 2 } });
        await t.collection('things').add({ data: { _id: 'rb-new', v: 1 } });
        await t.rollback('changed my mind');
      }),
    );
    assert.equal(((await db().collection('things').doc('rb').get()) as { data: { v: number } }).data.v, 1);
    assert.equal(((await db().collection('things').where({ _id: 'rb-new' }).count()) as { total: number }).total, 0);
  });

  it('reads inside a transaction see its snapshot, not later commits', async () => {
    await db()
      .collection('things')
      .add({ data: { _id: 'snap', v: 1 } });
    const t = (await db().startTransaction()) as TransactionLike;
    assert.equal((await t.collection('things').doc('snap').get()).data.v, 1);
    await db()
      .collection('things')
      .doc('snap')
      .update({ data: { v: 2 } });
    assert.equal((await t.collection('things').doc('snap').get()).data.v, 1);
    await t.rollback();
  });

  it('concurrent read-modify-write transactions conflict, retry, and lose no update', async () => {
    await db()
      .collection('things')
      .add({ data: { _id: 'counter', n: 0 } });
    const increments = 10;
    let attempts = 0;
    const results = await Promise.allSettled(
      Array.from({ length: increments }, () =>
        db().runTransaction(async (t: TransactionLike) => {
          attempts++;
          const current = (await t.collection('things').doc('counter').get()).data.n;
          await new Promise((r) => setTimeout(r, 5));
          await t
            .collection('things')
            .doc('counter')
            .update({ data: { n: current + 1 } });
        }, 20),
      ),
    );
    const committed = results.filter((r) => r.status === 'fulfilled').length;
    const final = ((await db().collection('things').doc('counter').get()) as { data: { n: number } }).data.n;
    assert.ok(attempts > increments, 'some transactions must have conflicted and been retried');
    assert.equal(final, committed, 'every committed increment is counted exactly once');
    assert.equal(committed, increments);
  });

  it('a conflicting commit is DATABASE_TRANSACTION_CONFLICT and applies nothing', async () => {
    await db()
      .collection('things')
      .add({ data: { _id: 'ww', v: 0 } });
    const t1 = (await db().startTransaction()) as TransactionLike;
    const t2 = (await db().startTransaction()) as TransactionLike;
    await t1
      .collection('things')
      .doc('ww')
      .update({ data: { v: 1 } });
    await t2
      .collection('things')
      .doc('ww')
      .update({ data: { v: 2 } });
    await t1.commit();
    await assert.rejects(t2.commit(), (err: { code?: string }) => err.code === 'DATABASE_TRANSACTION_CONFLICT');
    assert.equal(((await db().collection('things').doc('ww').get()) as { data: { v: number } }).data.v, 1);
  });
});

describe('wx-server-sdk functions and openapi', () => {
  it('subscribeMessage.send without a consent credit is refused with 43101', async () => {
    await assert.rejects(
      wx.openapi['subscribeMessage'].send({
        touser: 'o-contract',
        templateId: 'local-tmpl-order-shipped',
        data: { thing1: { value: '已发货' }, number2: { value: '3' }, thing3: { value: '请留意查收' } },
      }),
      (err: { errCode: number }) => err.errCode === 43101,
    );
  });
});

describe('@cloudbase/node-sdk', () => {
  it('speaks the same protocol: add, query, updateAndReturn, count, remove', async () => {
    const app = node.init({ env: node.SYMBOL_CURRENT_ENV });
    const c = app.database().collection('things');
    const added = (await c.add({ _id: 'node-1', n: 1 })) as { id: string };
    assert.equal(added.id, 'node-1');
    const found = (await c.where({ _id: 'node-1' }).get()) as { data: { n: number }[] };
    assert.equal(found.data[0]?.n, 1);
    const returned = (await c.where({ _id: 'node-1' }).updateAndReturn({ n: app.database().command.inc(4) })) as {
      updated: number;
      doc: { n: number };
    };
    assert.equal(returned.updated, 1);
    assert.equal(returned.doc.n, 5);
    assert.equal(((await c.where({ n: 5 }).count()) as { total: number }).total, 1);
    assert.equal(((await c.doc('node-1').remove()) as { deleted: number }).deleted, 1);
  });
});

interface TransactionLike {
  collection(name: string): {
    doc(id: string): {
      get(): Promise<{ data: Record<string, number> & { balance: number; v: number; n: number } }>;
      update(options: { data: Record<string, unknown> }): Promise<unknown>;
    };
    add(options: { data: Record<string, unknown> }): Promise<unknown>;
  };
  commit(): Promise<unknown>;
  rollback(reason?: unknown): Promise<unknown>;
}
