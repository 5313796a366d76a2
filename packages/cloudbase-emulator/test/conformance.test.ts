import assert from 'node:assert/strict';
import { VersionedDatabase } from '../src/db/database';
import { EJSON } from 'bson';
import { fromStored, parseWire, toStored, toStoredValue, toWire } from '../src/db/ejson';
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
    const docs = Array.from({ length: 500 }, (_, i) => ({ _id: `c${i}`, level: i % 50 }));
    const scan = fixture(docs);
    const indexed = fixture(docs, [{ name: 'level', fields: ['level'] }]);
    const count = (f: ReturnType<typeof fixture>, q: unknown) =>
      (f.call('database.calculateDocument', { query: toWire(q), queryType: 'WHERE' }).data as { total: number }).total;
    for (const q of [{ level: { $gt: 40 } }, { level: { $gte: 10, $lt: 20 } }]) assert.equal(count(indexed, q), count(scan, q));
    const before = indexed.store.rowsRead;
    assert.equal(count(indexed, { level: { $gt: 40 } }), 90);
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
  { _id: 'o1', customer: 'c1', amount: 100, items: ['a', 'b'] },
  { _id: 'o2', customer: 'c2', amount: 50, items: ['a'] },
  { _id: 'o3', customer: 'c1', amount: 30, items: [] },
];

const pipelines: [string, Record<string, unknown>[], unknown[]][] = [
  [
    '$match then $group sums per key',
    [{ $match: { amount: { $gte: 50 } } }, { $group: { _id: '$customer', total: { $sum: '$amount' } } }, { $sort: { _id: 1 } }],
    [
      { _id: 'c1', total: 100 },
      { _id: 'c2', total: 50 },
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
  ['$count counts the rows reaching it', [{ $match: { customer: 'c1' } }, { $count: 'n' }], [{ n: 2 }]],
];

describe('aggregate conformance', () => {
  for (const [name, pipeline, expected] of pipelines) {
    it(name, () => {
      assertSameDocuments(database({ orders }).aggregate('orders', pipeline), expected);
    });
  }

  it('$lookup joins another collection', () => {
    const db = database({ orders, customers: [{ _id: 'c1', name: '甲' }] });
    const joined = db.aggregate('orders', [
      { $match: { _id: 'o1' } },
      { $lookup: { from: 'customers', localField: 'customer', foreignField: '_id', as: 'who' } },
      { $project: { who: 1 } },
    ]);
    assertSameDocuments(joined, [{ _id: 'o1', who: [{ _id: 'c1', name: '甲' }] }]);
  });

  it('$lookup returns the joined documents in their natural (insertion) order', () => {
    // Inserted z, a, m: natural order is insertion order, not _id order.
    const db = database({ customers: [{ _id: 'c1' }], visits: ['z', 'a', 'm'].map((_id) => ({ _id, customer: 'c1' })) });
    const [joined] = db.aggregate('customers', [
      { $lookup: { from: 'visits', localField: '_id', foreignField: 'customer', as: 'visits' } },
    ]) as {
      visits: { _id: string }[];
    }[];
    assert.deepEqual(
      joined?.visits.map((v) => v._id),
      ['z', 'a', 'm'],
    );
  });

  it('$lookup with an array localField joins each element’s matches once, in the foreign collection’s order', () => {
    const db = database({
      carts: [{ _id: 'k', skus: ['s3', 's1', 's3', 'nothing'] }],
      skus: [{ _id: 's1', tags: ['x'] }, { _id: 's2' }, { _id: 's3', tags: 'y' }],
    });
    const [cart] = db.aggregate('carts', [{ $lookup: { from: 'skus', localField: 'skus', foreignField: '_id', as: 'found' } }]);
    assertSameDocuments(cart?.['found'], [
      { _id: 's1', tags: ['x'] },
      { _id: 's3', tags: 'y' },
    ]);
  });

  it('$lookup matches a foreign array field by any of its elements', () => {
    const db = database({
      posts: [{ _id: 'p', tag: 'x' }],
      tagged: [
        { _id: 't1', tags: ['y', 'x'] },
        { _id: 't2', tags: ['y'] },
      ],
    });
    const [post] = db.aggregate('posts', [{ $lookup: { from: 'tagged', localField: 'tag', foreignField: 'tags', as: 'j' } }]);
    assertSameDocuments(post?.['j'], [{ _id: 't1', tags: ['y', 'x'] }]);
  });

  it('$push and $addToSet skip documents where the value is missing (a stored null is kept)', () => {
    // people: a has no nick, b's is null, c and d have none.
    const rows = database({ people }).aggregate('people', [
      { $group: { _id: null, pushed: { $push: '$nick' }, set: { $addToSet: '$nick' }, ages: { $push: '$age' } } },
    ]);
    assertSameDocuments(rows, [{ _id: null, pushed: [null], set: [null], ages: [30, 20, '20'] }]);
  });
});

describe('documents keep MongoDB’s field order', () => {
  it('an inserted document gets `_id` as its first field', () => {
    const { call, find } = fixture([]);
    call('database.insertDocument', { data: [toWire({ b: 1, a: 2 }), toWire({ b: 1, _id: 'given' })] });
    for (const doc of find({})) assert.equal(Object.keys(doc)[0], '_id');
  });

  it('set() (a replacement) and an upsert keep `_id` first', () => {
    const { call, find } = fixture([{ _id: 'u', old: 1 }]);
    call('database.modifyDocument', { query: toWire({ _id: 'u' }), queryType: 'DOC', data: toWire({ n: 1 }), merge: false });
    call('database.modifyDocument', { query: toWire({ k: 'v' }), queryType: 'WHERE', data: toWire({ $set: { n: 2 } }), upsert: true });
    assert.deepEqual(
      find({}).map((d) => Object.keys(d)),
      [
        ['_id', 'n'],
        ['_id', 'k', 'n'],
      ],
    );
  });

  it('a query projection keeps the included fields in the document’s order, `_id` first', () => {
    const { find } = fixture(people);
    const [dora] = find({ _id: 'd' }, { projection: toWire({ name: 1, profile: 1 }) });
    assertSameDocuments(dora, { _id: 'd', profile: { city: 'sh', zone: 'pd' }, name: 'Dora' });
  });
});

/**
 * The examples of the MongoDB manual's pages for each stage (Aggregation Stages,
 * https://www.mongodb.com/docs/manual/reference/operator/aggregation-pipeline/), with
 * their documented results, field order included. `_id`s are strings here, as CloudBase's are.
 */
describe('MongoDB manual examples', () => {
  const ids = <T extends Record<string, unknown>>(docs: T[]) => docs.map((d, i) => ({ _id: String(i + 1), ...d }));
  const orders3 = [
    { _id: '1', item: 'almonds', price: 12, quantity: 2 },
    { _id: '2', item: 'pecans', price: 20, quantity: 1 },
    { _id: '3' },
  ];
  const inventory = [
    { _id: '1', sku: 'almonds', description: 'product 1', instock: 120 },
    { _id: '2', sku: 'bread', description: 'product 2', instock: 80 },
    { _id: '3', sku: 'cashews', description: 'product 3', instock: 60 },
    { _id: '4', sku: 'pecans', description: 'product 4', instock: 70 },
    { _id: '5', sku: null, description: 'Incomplete' },
    { _id: '6' },
  ];

  it('$lookup: a single equality join (a missing localField matches null and missing foreign fields)', () => {
    const rows = database({ orders: orders3, inventory }).aggregate('orders', [
      { $lookup: { from: 'inventory', localField: 'item', foreignField: 'sku', as: 'inventory_docs' } },
    ]);
    assertSameDocuments(rows, [
      { _id: '1', item: 'almonds', price: 12, quantity: 2, inventory_docs: [inventory[0]] },
      { _id: '2', item: 'pecans', price: 20, quantity: 1, inventory_docs: [inventory[3]] },
      { _id: '3', inventory_docs: [inventory[4], inventory[5]] },
    ]);
  });

  it('$lookup with an array: the enrollees of each class, in the people collection’s order', () => {
    const classes = [
      { _id: '1', title: 'Reading is ...', enrollmentlist: ['giraffe2', 'pandabear', 'artie'], days: ['M', 'W', 'F'] },
      { _id: '2', title: 'But Writing ...', enrollmentlist: ['giraffe1', 'artie'], days: ['T', 'F'] },
    ];
    const people = ids([
      { name: 'artie', joined: new Date('2016-05-01'), status: 'A' },
      { name: 'giraffe', joined: new Date('2017-05-01'), status: 'D' },
      { name: 'giraffe1', joined: new Date('2017-10-01'), status: 'A' },
      { name: 'panda', joined: new Date('2018-10-11'), status: 'A' },
      { name: 'pandabear', joined: new Date('2018-12-01'), status: 'A' },
      { name: 'giraffe2', joined: new Date('2018-12-01'), status: 'D' },
    ]);
    const rows = database({ classes, people }).aggregate('classes', [
      { $lookup: { from: 'people', localField: 'enrollmentlist', foreignField: 'name', as: 'enrollee_info' } },
    ]);
    assertSameDocuments(rows, [
      { ...classes[0], enrollee_info: [people[0], people[4], people[5]] },
      { ...classes[1], enrollee_info: [people[0], people[2]] },
    ]);
  });

  it('$lookup with $mergeObjects and $replaceRoot', () => {
    const items = ids([
      { item: 'almonds', description: 'almond clusters', instock: 120 },
      { item: 'bread', description: 'raisin and nut bread', instock: 80 },
      { item: 'pecans', description: 'candied pecans', instock: 60 },
    ]);
    const rows = database({ orders: orders3.slice(0, 2), items }).aggregate('orders', [
      { $lookup: { from: 'items', localField: 'item', foreignField: 'item', as: 'fromItems' } },
      { $replaceRoot: { newRoot: { $mergeObjects: [{ $arrayElemAt: ['$fromItems', 0] }, '$$ROOT'] } } },
      { $project: { fromItems: 0 } },
    ]);
    assertSameDocuments(rows, [
      { _id: '1', item: 'almonds', description: 'almond clusters', instock: 120, price: 12, quantity: 2 },
      { _id: '2', item: 'pecans', description: 'candied pecans', instock: 60, price: 20, quantity: 1 },
    ]);
  });

  it('$lookup with let and a pipeline: multiple join conditions', () => {
    const orders = ids([
      { item: 'almonds', price: 12, ordered: 2 },
      { item: 'pecans', price: 20, ordered: 1 },
      { item: 'cookies', price: 10, ordered: 60 },
    ]);
    const warehouses = ids([
      { stock_item: 'almonds', warehouse: 'A', instock: 120 },
      { stock_item: 'pecans', warehouse: 'A', instock: 80 },
      { stock_item: 'almonds', warehouse: 'B', instock: 60 },
      { stock_item: 'cookies', warehouse: 'B', instock: 40 },
      { stock_item: 'cookies', warehouse: 'A', instock: 80 },
    ]);
    const pipeline = [
      { $match: { $expr: { $and: [{ $eq: ['$stock_item', '$$order_item'] }, { $gte: ['$instock', '$$order_qty'] }] } } },
      { $project: { stock_item: 0, _id: 0 } },
    ];
    const rows = database({ orders, warehouses }).aggregate('orders', [
      { $lookup: { from: 'warehouses', let: { order_item: '$item', order_qty: '$ordered' }, pipeline, as: 'stockdata' } },
    ]);
    assertSameDocuments(rows, [
      {
        ...orders[0],
        stockdata: [
          { warehouse: 'A', instock: 120 },
          { warehouse: 'B', instock: 60 },
        ],
      },
      { ...orders[1], stockdata: [{ warehouse: 'A', instock: 80 }] },
      { ...orders[2], stockdata: [{ warehouse: 'A', instock: 80 }] },
    ]);
  });

  it('$lookup with localField, foreignField and a pipeline: the pipeline sees only the equal documents', () => {
    const restaurants = ids([
      { name: 'American Steak House', food: ['filet', 'sirloin'], beverages: ['beer', 'wine'] },
      { name: 'Honest John Pizza', food: ['cheese pizza', 'pepperoni pizza'], beverages: ['soda'] },
    ]);
    const orders = ids([
      { item: 'filet', restaurant_name: 'American Steak House' },
      { item: 'cheese pizza', restaurant_name: 'Honest John Pizza', drink: 'lemonade' },
      { item: 'cheese pizza', restaurant_name: 'Honest John Pizza', drink: 'soda' },
    ]);
    const rows = database({ orders, restaurants }).aggregate('orders', [
      {
        $lookup: {
          from: 'restaurants',
          localField: 'restaurant_name',
          foreignField: 'name',
          let: { orders_drink: '$drink' },
          pipeline: [{ $match: { $expr: { $in: ['$$orders_drink', '$beverages'] } } }],
          as: 'matches',
        },
      },
    ]);
    assertSameDocuments(rows, [
      { ...orders[0], matches: [] },
      { ...orders[1], matches: [] },
      { ...orders[2], matches: [restaurants[1]] },
    ]);
  });

  const inventory2 = [
    { _id: '1', item: 'ABC', price: 80, sizes: ['S', 'M', 'L'] },
    { _id: '2', item: 'EFG', price: 120, sizes: [] },
    { _id: '3', item: 'IJK', price: 160, sizes: 'M' },
    { _id: '4', item: 'LMN', price: 10 },
    { _id: '5', item: 'XYZ', price: 5.75, sizes: null },
  ];

  it('$unwind: a non-array operand is one element; empty, null and missing ones emit nothing', () => {
    const rows = database({ inventory2 }).aggregate('inventory2', [{ $unwind: '$sizes' }]);
    assertSameDocuments(rows, [
      { _id: '1', item: 'ABC', price: 80, sizes: 'S' },
      { _id: '1', item: 'ABC', price: 80, sizes: 'M' },
      { _id: '1', item: 'ABC', price: 80, sizes: 'L' },
      { _id: '3', item: 'IJK', price: 160, sizes: 'M' },
    ]);
  });

  it('$unwind with preserveNullAndEmptyArrays and includeArrayIndex', () => {
    const db = database({ inventory2 });
    assertSameDocuments(db.aggregate('inventory2', [{ $unwind: { path: '$sizes', preserveNullAndEmptyArrays: true } }]), [
      { _id: '1', item: 'ABC', price: 80, sizes: 'S' },
      { _id: '1', item: 'ABC', price: 80, sizes: 'M' },
      { _id: '1', item: 'ABC', price: 80, sizes: 'L' },
      { _id: '2', item: 'EFG', price: 120 },
      { _id: '3', item: 'IJK', price: 160, sizes: 'M' },
      { _id: '4', item: 'LMN', price: 10 },
      { _id: '5', item: 'XYZ', price: 5.75, sizes: null },
    ]);
    assertSameDocuments(db.aggregate('inventory2', [{ $unwind: { path: '$sizes', includeArrayIndex: 'arrayIndex' } }]), [
      { _id: '1', item: 'ABC', price: 80, sizes: 'S', arrayIndex: 0 },
      { _id: '1', item: 'ABC', price: 80, sizes: 'M', arrayIndex: 1 },
      { _id: '1', item: 'ABC', price: 80, sizes: 'L', arrayIndex: 2 },
      { _id: '3', item: 'IJK', price: 160, sizes: 'M', arrayIndex: null },
    ]);
  });

  const books = [
    { _id: '1', title: 'abc123', isbn: '0001122223334', author: { last: 'zzz', first: 'aaa' }, copies: 5, lastModified: '2016-07-28' },
  ];

  it('$project: included fields keep the document’s order, `_id` first', () => {
    const rows = database({ books }).aggregate('books', [{ $project: { author: 1, title: 1 } }]);
    assertSameDocuments(rows, [{ _id: '1', title: 'abc123', author: { last: 'zzz', first: 'aaa' } }]);
  });

  it('$project: excluding embedded fields', () => {
    const rows = database({ books }).aggregate('books', [{ $project: { 'author.first': 0, lastModified: 0 } }]);
    assertSameDocuments(rows, [{ _id: '1', title: 'abc123', isbn: '0001122223334', author: { last: 'zzz' }, copies: 5 }]);
  });

  it('$project: computed fields follow the included ones, in the stage’s order', () => {
    const rows = database({ books }).aggregate('books', [
      {
        $project: {
          title: 1,
          isbn: {
            prefix: { $substr: ['$isbn', 0, 3] },
            group: { $substr: ['$isbn', 3, 2] },
            publisher: { $substr: ['$isbn', 5, 4] },
            title: { $substr: ['$isbn', 9, 3] },
            checkDigit: { $substr: ['$isbn', 12, 1] },
          },
          lastName: '$author.last',
          copiesSold: '$copies',
        },
      },
    ]);
    assertSameDocuments(rows, [
      {
        _id: '1',
        title: 'abc123',
        isbn: { prefix: '000', group: '11', publisher: '2222', title: '333', checkDigit: '4' },
        lastName: 'zzz',
        copiesSold: 5,
      },
    ]);
  });

  it('$addFields, twice: the new fields after the document’s own', () => {
    const scores = [
      { _id: '1', student: 'Maya', homework: [10, 5, 10], quiz: [10, 8], extraCredit: 0 },
      { _id: '2', student: 'Ryan', homework: [5, 6, 5], quiz: [8, 8], extraCredit: 8 },
    ];
    const rows = database({ scores }).aggregate('scores', [
      { $addFields: { totalHomework: { $sum: '$homework' }, totalQuiz: { $sum: '$quiz' } } },
      { $addFields: { totalScore: { $add: ['$totalHomework', '$totalQuiz', '$extraCredit'] } } },
    ]);
    assertSameDocuments(rows, [
      { ...scores[0], totalHomework: 25, totalQuiz: 18, totalScore: 43 },
      { ...scores[1], totalHomework: 16, totalQuiz: 16, totalScore: 40 },
    ]);
  });

  it('$count', () => {
    const scores = ids([88, 92, 97, 71, 79, 83].map((score) => ({ subject: 'History', score })));
    const rows = database({ scores }).aggregate('scores', [{ $match: { score: { $gt: 80 } } }, { $count: 'passing_scores' }]);
    assertSameDocuments(rows, [{ passing_scores: 4 }]);
  });

  it('$bucket: by year, with a default bucket and outputs (`_id` first)', () => {
    const artists = ids(
      (
        [
          ['Bernard', 'Emil', 1868],
          ['Rippl-Ronai', 'Joszef', 1861],
          ['Ostroumova', 'Anna', 1871],
          ['Van Gogh', 'Vincent', 1853],
          ['Maurer', 'Alfred', 1868],
          ['Munch', 'Edvard', 1863],
          ['Redon', 'Odilon', 1840],
          ['Diriks', 'Edvard', 1855],
        ] as const
      ).map(([last_name, first_name, year_born]) => ({ last_name, first_name, year_born })),
    );
    const rows = database({ artists }).aggregate('artists', [
      {
        $bucket: {
          groupBy: '$year_born',
          boundaries: [1840, 1850, 1860, 1870, 1880],
          default: 'Other',
          output: {
            count: { $sum: 1 },
            artists: { $push: { name: { $concat: ['$first_name', ' ', '$last_name'] }, year_born: '$year_born' } },
          },
        },
      },
      { $match: { count: { $gt: 3 } } },
    ]);
    assertSameDocuments(rows, [
      {
        _id: 1860,
        count: 4,
        artists: [
          { name: 'Emil Bernard', year_born: 1868 },
          { name: 'Joszef Rippl-Ronai', year_born: 1861 },
          { name: 'Alfred Maurer', year_born: 1868 },
          { name: 'Edvard Munch', year_born: 1863 },
        ],
      },
    ]);
  });

  const artwork = ids(
    (
      [
        ['The Pillars of Society', 199.99],
        ['Melancholy III', 280],
        ['Dancer', 76.04],
        ['The Great Wave off Kanagawa', 167.3],
        ['The Persistence of Memory', 483],
        ['Composition VII', 385],
        ['The Scream', 159],
        ['Blue Flower', 118.42],
      ] as const
    ).map(([title, price]) => ({ title, price })),
  );

  it('$bucketAuto: four buckets of price (`_id` first)', () => {
    const rows = database({ artwork }).aggregate('artwork', [{ $bucketAuto: { groupBy: '$price', buckets: 4 } }]);
    assertSameDocuments(rows, [
      { _id: { min: 76.04, max: 159 }, count: 2 },
      { _id: { min: 159, max: 199.99 }, count: 2 },
      { _id: { min: 199.99, max: 385 }, count: 2 },
      { _id: { min: 385, max: 483 }, count: 2 },
    ]);
  });

  it('$sortByCount: the most frequent tags first', () => {
    const exhibits = ids(
      [
        ['painting', 'satire', 'Expressionism', 'caricature'],
        ['woodcut', 'Expressionism'],
        ['oil', 'Surrealism', 'painting'],
        ['woodblock', 'ukiyo-e'],
        ['Surrealism', 'painting', 'oil'],
        ['oil', 'painting', 'abstract'],
        ['Expressionism', 'painting', 'oil'],
        ['abstract', 'painting'],
      ].map((tags) => ({ tags })),
    );
    // Ties (two with 2, five with 1) come in no documented order: the first three are distinct.
    const rows = database({ exhibits }).aggregate('exhibits', [{ $unwind: '$tags' }, { $sortByCount: '$tags' }, { $limit: 3 }]);
    assertSameDocuments(rows, [
      { _id: 'painting', count: 6 },
      { _id: 'oil', count: 4 },
      { _id: 'Expressionism', count: 3 },
    ]);
  });
});

/** Equal as MongoDB returns them: the same values and the same field order. */
function assertSameDocuments(actual: unknown, expected: unknown): void {
  assert.deepEqual(actual, expected);
  assert.equal(toStoredValue(actual), toStoredValue(expected), 'the same fields in another order');
}

/** A database holding these collections (documents inserted in the order given), aggregated through the wire-level service. */
function database(collections: Record<string, Record<string, unknown>[]>) {
  const store = new Store(':memory:');
  const service = new DatabaseService(new VersionedDatabase(store), () => NOW);
  for (const [collectionName, docs] of Object.entries(collections)) {
    store.ensureCollection(collectionName);
    if (docs.length) service.handle('database.insertDocument', { collectionName, data: docs.map(toWire) });
  }
  return {
    aggregate: (collectionName: string, pipeline: Record<string, unknown>[]) => {
      const stages = pipeline.map((stage) => {
        const [stageKey, value] = Object.entries(stage)[0] as [string, unknown];
        return { stageKey, stageValue: toWire(value) };
      });
      const res = service.handle('database.aggregateDocuments', { collectionName, stages });
      return (res.data as { list: string[] }).list.map((s) => parseWire(s) as Record<string, unknown>);
    },
  };
}
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
