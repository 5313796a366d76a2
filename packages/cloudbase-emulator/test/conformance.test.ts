import assert from 'node:assert/strict';
import { VersionedDatabase } from '../src/db/database';
import { EJSON } from 'bson';
import { fromStored, parseWire, toStored, toWire } from '../src/db/ejson';
import { DatabaseService } from '../src/db/service';
import { Store } from '../src/db/store';

/**
 * Conformance table: query, update and aggregate results as MongoDB documents them
 * (CloudBase's database is MongoDB underneath), checked through the wire-level service.
 */
const NOW = new Date('2026-03-01T00:00:00Z');
let counter = 0;

function fixture(docs: Record<string, unknown>[], indexes: { name: string; fields: string[]; unique?: boolean }[] = []) {
  const store = new Store(':memory:');
  const service = new DatabaseService(new VersionedDatabase(store), () => NOW);
  const collectionName = `c${counter++}`;
  store.ensureCollection(collectionName, indexes);
  if (docs.length) service.handle('database.insertDocument', { collectionName, data: docs.map(toWire) });
  const call = (action: string, body: Record<string, unknown>) => service.handle(action, { collectionName, ...body });
  const find = (query: unknown, extra: Record<string, unknown> = {}) =>
    (call('database.getDocument', { query: toWire(query), queryType: 'WHERE', ...extra }).data as { list: string[] }).list.map(
      (s) => parseWire(s) as Record<string, unknown>,
    );
  return { call, find, store };
}

const people = [
  { _id: 'a', age: 30, tags: ['vip', 'new'], profile: { city: 'sh' }, score: 5 },
  { _id: 'b', age: 20, tags: ['new'], profile: { city: 'bj' }, nick: null },
  {
    _id: 'c',
    age: '20',
    tags: [],
    items: [
      { sku: 'x', qty: 2 },
      { sku: 'y', qty: 5 },
    ],
  },
  { _id: 'd', profile: { city: 'sh', zone: 'pd' }, name: 'Dora' },
];

const queries: [string, unknown, string[]][] = [
  ['equality on an array field matches an element', { tags: 'vip' }, ['a']],
  ['dot path reaches into embedded documents', { 'profile.city': 'sh' }, ['a', 'd']],
  ['comparison does not cross types (string "20" is not 20)', { age: { $gte: 20 } }, ['a', 'b']],
  ['$in matches any listed value', { age: { $in: [20, '20'] } }, ['b', 'c']],
  ['$nin also matches documents without the field', { age: { $nin: [30] } }, ['b', 'c', 'd']],
  ['$ne matches documents missing the field', { score: { $ne: 5 } }, ['b', 'c', 'd']],
  ['null matches missing and null fields', { nick: null }, ['a', 'b', 'c', 'd']],
  ['$exists false matches only missing fields', { nick: { $exists: false } }, ['a', 'c', 'd']],
  ['$or unions its clauses', { $or: [{ age: 30 }, { name: 'Dora' }] }, ['a', 'd']],
  ['$and intersects its clauses', { $and: [{ 'profile.city': 'sh' }, { tags: 'new' }] }, ['a']],
  ['regular expressions match strings', { name: /^do/i }, ['d']],
  ['$elemMatch applies all conditions to one element', { items: { $elemMatch: { sku: 'y', qty: { $gt: 3 } } } }, ['c']],
  ['$size matches array length', { tags: { $size: 0 } }, ['c']],
  ['an empty query matches everything in natural order', {}, ['a', 'b', 'c', 'd']],
  ['$expr compares fields of one document with aggregation expressions', { $expr: { $gt: ['$score', { $size: '$tags' }] } }, ['a']],
  ['$expr inside $and and $or', { $or: [{ name: 'Dora' }, { $and: [{ $expr: { $eq: ['$age', 20] } }] }] }, ['b', 'd']],
  ['equality on an embedded document needs the same fields in the same order', { profile: { city: 'sh', zone: 'pd' } }, ['d']],
  ['the same fields in another order do not match an embedded document', { profile: { zone: 'pd', city: 'sh' } }, []],
  ['an embedded document with fewer fields does not match', { profile: { city: 'sh' } }, ['a']],
  [
    'equality on an array of documents is order-sensitive inside each document',
    {
      items: [
        { qty: 2, sku: 'x' },
        { sku: 'y', qty: 5 },
      ],
    },
    [],
  ],
  [
    '…and matches the array exactly as stored',
    {
      items: [
        { sku: 'x', qty: 2 },
        { sku: 'y', qty: 5 },
      ],
    },
    ['c'],
  ],
];

describe('query conformance', () => {
  for (const [name, query, ids] of queries) {
    it(name, () => {
      assert.deepEqual(
        fixture(people)
          .find(query)
          .map((d) => d['_id']),
        ids,
      );
    });
  }

  it('the same answers come back when the queried field is indexed', () => {
    const { find } = fixture(people, [{ name: 'age', fields: ['age'] }]);
    assert.deepEqual(
      find({ age: 20 }).map((d) => d['_id']),
      ['b'],
    );
    assert.deepEqual(
      find({ age: { $in: [20, '20'] } }).map((d) => d['_id']),
      ['b', 'c'],
    );
    assert.deepEqual(find({ age: 20, tags: 'nope' }), []);
  });

  it('a key-range page (_id > x, by _id) served by the primary key matches a filtered scan', () => {
    const docs = ['m05', 'm01', 'm10', 'm03', 'a9', 'm07'].map((_id) => ({ _id }));
    const { find } = fixture(docs);
    const order = toWire({ _id: 1 });
    assert.deepEqual(
      find({ _id: { $gt: 'm03' } }, { order, limit: 2 }).map((d) => d['_id']),
      ['m05', 'm07'],
    );
    assert.deepEqual(
      find({ _id: { $gte: 'm03' } }, { order, limit: 10 }).map((d) => d['_id']),
      ['m03', 'm05', 'm07', 'm10'],
    );
    assert.deepEqual(
      find({ _id: { $gt: 'm03' } }, { order, offset: 1, limit: 2 }).map((d) => d['_id']),
      ['m07', 'm10'],
      'with an offset the scan path answers',
    );
  });

  it('orderBy on an indexed field pages from the index: same answer as a scan, without reading the collection', () => {
    const board = Array.from({ length: 2000 }, (_, i) => ({ _id: `m${i}`, score: (i * 7919) % 1000, active: i % 3 !== 0 }));
    const scan = fixture(board);
    const indexed = fixture(board, [{ name: 'score', fields: ['score'] }]);
    const query = { active: true, score: { $gt: 10 } };
    for (const [dir, offset] of [
      [-1, 0],
      [-1, 3],
      [1, 5],
    ] as const) {
      const extra = { order: toWire({ score: dir }), offset, limit: 4 };
      assert.deepEqual(
        indexed.find(query, extra).map((d) => d['score']),
        scan.find(query, extra).map((d) => d['score']),
      );
    }
    const before = indexed.store.rowsRead;
    indexed.find({ active: true }, { order: toWire({ score: -1 }), limit: 10 });
    assert.ok(indexed.store.rowsRead - before < 30, `read ${indexed.store.rowsRead - before} rows for a page of 10`);
  });

  it('a numeric range count on an indexed field is counted on the index, with the scan’s answer', () => {
    const docs = Array.from({ length: 500 }, (_, i) => ({ _id: `c${i}`, streak: i % 50 }));
    const scan = fixture(docs);
    const indexed = fixture(docs, [{ name: 'streak', fields: ['streak'] }]);
    const count = (f: ReturnType<typeof fixture>, q: unknown) =>
      (f.call('database.calculateDocument', { query: toWire(q), queryType: 'WHERE' }).data as { total: number }).total;
    for (const q of [{ streak: { $gt: 40 } }, { streak: { $gte: 10, $lt: 20 } }]) assert.equal(count(indexed, q), count(scan, q));
    const before = indexed.store.rowsRead;
    assert.equal(count(indexed, { streak: { $gt: 40 } }), 90);
    assert.equal(indexed.store.rowsRead, before, 'no document was decoded');
  });

  it('ascending sort puts missing fields first, then numbers before strings', () => {
    const { find } = fixture(people);
    const order = toWire({ age: 1 });
    assert.deepEqual(
      find({}, { order }).map((d) => d['_id']),
      ['d', 'b', 'a', 'c'],
    );
  });

  it('projection can exclude fields and always keeps _id unless told', () => {
    const { find } = fixture(people);
    const [first] = find({ _id: 'a' }, { projection: toWire({ tags: 0, profile: 0, score: 0 }) });
    assert.deepEqual(first, { _id: 'a', age: 30 });
  });
});

const updates: [string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>][] = [
  ['$inc on a missing field starts from 0', { _id: 'u' }, { $inc: { n: 3 } }, { _id: 'u', n: 3 }],
  ['$set on a dot path creates the embedded document', { _id: 'u' }, { $set: { 'a.b.c': 1 } }, { _id: 'u', a: { b: { c: 1 } } }],
  ['plain fields merge like $set and keep the rest', { _id: 'u', keep: 1 }, { add: 2 }, { _id: 'u', keep: 1, add: 2 }],
  ['$unset removes a field', { _id: 'u', gone: 1, stay: 2 }, { $unset: { gone: '' } }, { _id: 'u', stay: 2 }],
  [
    '$push with $each and $position inserts in place',
    { _id: 'u', l: [1, 4] },
    { $push: { l: { $each: [2, 3], $position: 1 } } },
    { _id: 'u', l: [1, 2, 3, 4] },
  ],
  [
    '$addToSet skips values already present',
    { _id: 'u', l: ['a'] },
    { $addToSet: { l: { $each: ['a', 'b'] } } },
    { _id: 'u', l: ['a', 'b'] },
  ],
  ['$pull removes matching elements', { _id: 'u', l: [1, 2, 3, 2] }, { $pull: { l: 2 } }, { _id: 'u', l: [1, 3] }],
  ['$pop -1 removes the first element', { _id: 'u', l: [1, 2, 3] }, { $pop: { l: -1 } }, { _id: 'u', l: [2, 3] }],
  ['$min keeps the smaller value', { _id: 'u', lo: 5 }, { $min: { lo: 3 } }, { _id: 'u', lo: 3 }],
  ['$max keeps the larger value', { _id: 'u', hi: 5 }, { $max: { hi: 3 } }, { _id: 'u', hi: 5 }],
  ['$mul on a missing field sets 0', { _id: 'u' }, { $mul: { n: 7 } }, { _id: 'u', n: 0 }],
  ['$rename moves a field', { _id: 'u', old: 1 }, { $rename: { old: 'fresh' } }, { _id: 'u', fresh: 1 }],
  [
    '$tcb_server_date becomes the server time',
    { _id: 'u' },
    { $set: { at: { $tcb_server_date: { offset: 1000 } } } },
    { _id: 'u', at: new Date(NOW.getTime() + 1000) },
  ],
];

describe('update conformance', () => {
  for (const [name, doc, data, expected] of updates) {
    it(name, () => {
      const { call, find } = fixture([doc]);
      call('database.modifyDocument', {
        query: toWire({ _id: 'u' }),
        queryType: 'DOC',
        data: toWire(data),
        multi: false,
        merge: true,
        upsert: false,
      });
      assert.deepEqual(find({ _id: 'u' })[0], expected);
    });
  }

  it('refuses two operators on one path, or on a path and its parent, and unknown operators, changing nothing', () => {
    const { call, find } = fixture([{ _id: 'u', a: { b: 1 }, n: 1 }]);
    const update = (data: Record<string, unknown>) => () =>
      call('database.modifyDocument', { query: toWire({ _id: 'u' }), queryType: 'DOC', data: toWire(data), merge: true });
    assert.throws(update({ $set: { n: 5 }, $inc: { n: 1 } }), /conflict/);
    assert.throws(update({ $set: { 'a.b': 2 }, $unset: { a: '' } }), /conflict/);
    assert.throws(update({ $rename: { n: 'm' }, $set: { m: 1 } }), /conflict/);
    assert.throws(update({ $frobnicate: { n: 1 } }), /Unknown update operator/);
    assert.deepEqual(find({ _id: 'u' })[0], { _id: 'u', a: { b: 1 }, n: 1 });
    update({ $set: { 'a.c': 2 }, $inc: { 'a.b': 1, n: 1 } })();
    assert.deepEqual(find({ _id: 'u' })[0], { _id: 'u', a: { b: 2, c: 2 }, n: 2 }, 'sibling paths are no conflict');
  });

  it('multi:false changes only the first match, multi:true all of them', () => {
    const { call, find } = fixture([
      { _id: '1', k: 1 },
      { _id: '2', k: 1 },
      { _id: '3', k: 1 },
    ]);
    const one = call('database.modifyDocument', {
      query: toWire({ k: 1 }),
      queryType: 'WHERE',
      data: toWire({ $set: { hit: true } }),
      multi: false,
    });
    assert.deepEqual(one.data, { updated: 1 });
    const many = call('database.modifyDocument', {
      query: toWire({ k: 1 }),
      queryType: 'WHERE',
      data: toWire({ $set: { hit: true } }),
      multi: true,
    });
    assert.deepEqual(many.data, { updated: 2 }, 'the first document was already hit: unchanged documents do not count');
    assert.equal(find({ hit: true }).length, 3);
  });

  it('upsert seeds the new document from the query equalities', () => {
    const { call, find } = fixture([]);
    const res = call('database.modifyDocument', {
      query: toWire({ day: '2026-03-01', owner: 'o1', n: { $gt: 0 } }),
      queryType: 'WHERE',
      data: toWire({ $inc: { count: 1 } }),
      upsert: true,
    });
    const id = (res.data as { upsert_id: string }).upsert_id;
    assert.deepEqual(find({})[0], { _id: id, day: '2026-03-01', owner: 'o1', count: 1 });
  });

  it('a unique index refuses a second document with the same key and keeps the first', () => {
    const { call, find } = fixture([{ _id: 'x', key: 'k1' }], [{ name: 'key', fields: ['key'], unique: true }]);
    assert.throws(() => call('database.insertDocument', { data: [toWire({ key: 'k1' })] }), /DATABASE_DUPLICATE_WRITE/);
    assert.deepEqual(
      find({}).map((d) => d['_id']),
      ['x'],
    );
  });

  it('documents missing a uniquely indexed field do not collide (sparse, unlike Mongo)', () => {
    const { call, find } = fixture([{ _id: 'x' }], [{ name: 'key', fields: ['key'], unique: true }]);
    call('database.insertDocument', { data: [toWire({ _id: 'y' })] });
    assert.equal(find({}).length, 2);
  });
});

const orders = [
  { _id: 'o1', member: 'm1', amount: 100, items: ['a', 'b'] },
  { _id: 'o2', member: 'm2', amount: 50, items: ['a'] },
  { _id: 'o3', member: 'm1', amount: 30, items: [] },
];

const pipelines: [string, Record<string, unknown>[], unknown[]][] = [
  [
    '$match then $group sums per key',
    [{ $match: { amount: { $gte: 50 } } }, { $group: { _id: '$member', total: { $sum: '$amount' } } }, { $sort: { _id: 1 } }],
    [
      { _id: 'm1', total: 100 },
      { _id: 'm2', total: 50 },
    ],
  ],
  [
    '$group with $avg, $max and a count',
    [{ $group: { _id: null, avg: { $avg: '$amount' }, max: { $max: '$amount' }, n: { $sum: 1 } } }],
    [{ _id: null, avg: 60, max: 100, n: 3 }],
  ],
  [
    '$unwind emits one row per element and drops empty arrays',
    [{ $unwind: '$items' }, { $project: { _id: 0, items: 1 } }],
    [{ items: 'a' }, { items: 'b' }, { items: 'a' }],
  ],
  [
    '$sort, $skip and $limit page the rows',
    [{ $sort: { amount: -1 } }, { $skip: 1 }, { $limit: 1 }, { $project: { amount: 1 } }],
    [{ _id: 'o2', amount: 50 }],
  ],
  [
    '$addFields computes new fields',
    [{ $match: { _id: 'o1' } }, { $addFields: { double: { $multiply: ['$amount', 2] } } }, { $project: { double: 1 } }],
    [{ _id: 'o1', double: 200 }],
  ],
  ['$count counts the rows reaching it', [{ $match: { member: 'm1' } }, { $count: 'n' }], [{ n: 2 }]],
];

describe('aggregate conformance', () => {
  for (const [name, pipeline, expected] of pipelines) {
    it(name, () => {
      const { call } = fixture(orders);
      const stages = pipeline.map((stage) => {
        const [key, value] = Object.entries(stage)[0] as [string, unknown];
        return { stageKey: key, stageValue: toWire(value) };
      });
      const res = call('database.aggregateDocuments', { stages });
      assert.deepEqual(
        (res.data as { list: string[] }).list.map((s) => parseWire(s)),
        expected,
      );
    });
  }

  it('$lookup joins another collection', () => {
    const store = new Store(':memory:');
    const service = new DatabaseService(new VersionedDatabase(store), () => NOW);
    store.ensureCollection('orders');
    store.ensureCollection('members');
    service.handle('database.insertDocument', { collectionName: 'orders', data: orders.map(toWire) });
    service.handle('database.insertDocument', { collectionName: 'members', data: [toWire({ _id: 'm1', name: '甲' })] });
    const lookup = { from: 'members', localField: 'member', foreignField: '_id', as: 'who' };
    const res = service.handle('database.aggregateDocuments', {
      collectionName: 'orders',
      stages: [
        { stageKey: '$match', stageValue: toWire({ _id: 'o1' }) },
        { stageKey: '$lookup', stageValue: toWire(lookup) },
        { stageKey: '$project', stageValue: toWire({ who: 1 }) },
      ],
    });
    assert.deepEqual(
      (res.data as { list: string[] }).list.map((s) => parseWire(s)),
      [{ _id: 'o1', who: [{ _id: 'm1', name: '甲' }] }],
    );
  });

  it('$lookup returns the joined documents in their natural (insertion) order', () => {
    const store = new Store(':memory:');
    const service = new DatabaseService(new VersionedDatabase(store), () => NOW);
    store.ensureCollection('members');
    store.ensureCollection('visits');
    service.handle('database.insertDocument', { collectionName: 'members', data: [toWire({ _id: 'm1' })] });
    // Inserted z, a, m: natural order is insertion order, not _id order.
    service.handle('database.insertDocument', {
      collectionName: 'visits',
      data: ['z', 'a', 'm'].map((id) => toWire({ _id: id, member: 'm1' })),
    });
    const lookup = { from: 'visits', localField: '_id', foreignField: 'member', as: 'visits' };
    const res = service.handle('database.aggregateDocuments', {
      collectionName: 'members',
      stages: [{ stageKey: '$lookup', stageValue: toWire(lookup) }],
    });
    const [joined] = (res.data as { list: string[] }).list.map((s) => parseWire(s) as { visits: { _id: string }[] });
    assert.deepEqual(
      joined?.visits.map((v) => v._id),
      ['z', 'a', 'm'],
    );
  });
});

describe('stored form', () => {
  it('reads a document back as written: dates at any depth and outside 1970–9999, numbers, strings, nulls, arrays', () => {
    const doc = {
      _id: 'x',
      at: new Date('2026-03-01T08:00:00.123Z'),
      ancient: new Date(-62198755200000),
      far: new Date(253402300800000),
      n: 1.5,
      i: -3,
      big: 2 ** 53 - 1,
      s: '{"$date":"not a date"}',
      nothing: null,
      list: [1, 'a', null, [new Date(0)], { deep: { at: new Date(86_400_000) } }],
    };
    const text = toStored(doc);
    assert.deepEqual(fromStored(text), doc);
    assert.deepEqual(fromStored(text), EJSON.parse(text, { relaxed: true }), 'as bson reads it');
  });

  it('a request reads as bson reads it: numbers, dates, regular expressions, operators, and other types through bson', () => {
    const request = {
      n: { $gte: 1, $lt: 2.5 },
      at: { $lt: new Date('2026-03-01T00:00:00Z'), $gt: new Date(-62198755200000) },
      name: /^do/i,
      odd: [Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 40],
      $inc: { 'a.b': -1 },
    };
    const read = parseWire(toWire(request)) as typeof request;
    assert.deepEqual(read, request);
    assert.ok(Object.is(read.odd[2], -0), 'negative zero stays negative');
    const long = '{"n":{"$numberLong":"9007199254740993"}}';
    assert.deepEqual(parseWire(long), EJSON.parse(long, { relaxed: true }));
  });

  it('a stored EJSON type other than a date is read by bson', () => {
    const text = '{"_id":"x","n":{"$numberDecimal":"1.5"},"at":{"$date":"2026-03-01T00:00:00Z"}}';
    assert.deepEqual(fromStored(text), EJSON.parse(text, { relaxed: true }));
  });
});
