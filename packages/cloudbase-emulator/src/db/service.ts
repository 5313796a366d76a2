import { aggregateDocs } from './aggregate';
import type { VersionedDatabase, Write } from './database';
import { type Filter, changed, compileFilter, newId, resolveServerDates, selectDocs, updatedDoc, upsertSeed } from './documents';
import { type Doc, isPlainObject, parseWire, toWire } from './ejson';
import { DbError } from './errors';

export type Body = Record<string, unknown>;

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** CloudBase answers an aggregate without a $limit stage with at most 20 rows. */
const AGGREGATE_DEFAULT_LIMIT = 20;

/**
 * The `database.*` actions of the CloudBase wire protocol (see README.md):
 * decodes the SDK's EJSON request fields, runs the command, encodes the reply.
 */
export class DatabaseService {
  constructor(
    private readonly db: VersionedDatabase,
    private readonly now: () => Date,
  ) {}

  handle(action: string, body: Body): Body {
    switch (action) {
      case 'database.getDocument':
        return { data: this.get(body) };
      case 'database.insertDocument':
        return { data: { insertedIds: this.insert(body) } };
      case 'database.modifyDocument':
        return { data: this.modify(body) };
      case 'database.modifyAndReturnDoc':
        return { data: this.modifyAndReturn(body) };
      case 'database.removeDocument':
        return { data: { deleted: this.remove(body) } };
      case 'database.calculateDocument':
        return { data: { total: this.count(body) } };
      case 'database.aggregateDocuments':
        return { data: { list: this.aggregate(body).map(toWire) } };
      case 'database.startTransaction':
        return { transactionId: this.db.begin() };
      case 'database.commitTransaction':
        this.db.commit(text(body, 'transactionId'));
        return {};
      case 'database.abortTransaction':
        this.db.abort(text(body, 'transactionId'));
        return {};
      case 'database.addCollection':
        return this.addCollection(body);
      default:
        throw new DbError('INVALID_PARAM', `unsupported action ${action}`);
    }
  }

  private get(body: Body): Body {
    const txId = optionalText(body, 'transactionId');
    if (txId) {
      const doc = this.db.read(txId, collectionOf(body), docIdOf(body));
      return { list: doc ? [toWire(doc)] : [], limit: 1, offset: 0 };
    }
    const limit = Math.min(typeof body['limit'] === 'number' ? body['limit'] : DEFAULT_LIMIT, MAX_LIMIT);
    const offset = typeof body['offset'] === 'number' ? body['offset'] : 0;
    const collection = collectionOf(body);
    const query = queryOf(body);
    const order = optionalWire(body, 'order') as Record<string, 1 | -1> | undefined;
    const projection = optionalWire(body, 'projection') as Record<string, unknown> | undefined;
    const id = query['_id'];
    // A document by its id (findOne, every `doc(id)`): the primary key answers it, no query to build.
    if (typeof id === 'string' && Object.keys(query).length === 1 && !order && !projection && offset === 0) {
      const doc = limit > 0 ? this.db.store.get(collection, id) : undefined;
      return { list: doc ? [toWire(doc)] : [], limit, offset };
    }
    const range = idRangeOf(query, order, offset);
    const sorted = range ? undefined : this.indexOrdered(collection, query, order, offset, limit);
    const docs = sorted
      ? selectDocs(sorted, {}, { projection, limit })
      : selectDocs(range ? this.db.store.idRange(collection, range, limit) : this.db.store.candidates(collection, query), query, {
          order,
          projection,
          offset: range ? 0 : offset,
          limit,
        });
    return { list: docs.map(toWire), limit, offset };
  }

  /**
   * `orderBy(f).skip(o).limit(n)` on a field a declared index leads with: walk the index
   * in order, filter, stop after the page — a leaderboard reads a page, not the collection.
   */
  private indexOrdered(
    collection: string,
    query: Filter,
    order: Record<string, 1 | -1> | undefined,
    offset: number,
    limit: number,
  ): Doc[] | undefined {
    const [field, direction] = Object.entries(order ?? {})[0] ?? [];
    if (!field || Object.keys(order ?? {}).length !== 1 || field === '_id' || (direction !== 1 && direction !== -1)) return undefined;
    const rows = this.db.store.ordered(collection, field, direction);
    if (!rows) return undefined;
    const test = compileFilter(query);
    const page: Doc[] = [];
    let skipped = 0;
    for (const doc of rows) {
      if (!test(doc)) continue;
      if (skipped++ < offset) continue;
      page.push(doc);
      if (page.length >= limit) break;
    }
    return page;
  }

  private count(body: Body): number {
    if (!optionalText(body, 'transactionId')) {
      const counted = this.db.store.countRange(collectionOf(body), queryOf(body));
      if (counted !== undefined) return counted;
    }
    return this.matching(body).length;
  }

  private insert(body: Body): string[] {
    const raw = body['data'];
    const items = (Array.isArray(raw) ? raw : [raw]).map((d) => (typeof d === 'string' ? parseWire(d) : d));
    const collection = collectionOf(body);
    const writes: Write[] = items.map((item) => {
      if (!isPlainObject(item)) throw new DbError('INVALID_PARAM', 'insert data must be documents');
      const data = resolveServerDates(item, this.now());
      const { _id: given, ...fields } = data;
      const id = typeof given === 'string' ? given : newId();
      // MongoDB stores `_id` as the first field, wherever the document had it.
      return { collection, id, doc: { _id: id, ...fields }, mode: 'insert' };
    });
    const txId = optionalText(body, 'transactionId');
    if (txId) {
      for (const w of writes) {
        if (this.db.read(txId, collection, w.id))
          throw new DbError('DATABASE_DUPLICATE_WRITE', `E11000 duplicate key error collection: ${collection} _id: ${w.id}`);
        this.db.stage(txId, w);
      }
    } else {
      this.db.apply(writes);
    }
    return writes.map((w) => w.id);
  }

  private modify(body: Body): Body {
    const collection = collectionOf(body);
    const data = resolveServerDates(wire(body, 'data'), this.now());
    if (!isPlainObject(data)) throw new DbError('INVALID_PARAM', 'update data must be a document');
    const merge = body['merge'] !== false;
    const txId = optionalText(body, 'transactionId');
    if (txId) {
      const id = docIdOf(body);
      const current = this.db.read(txId, collection, id);
      if (!current && !body['upsert']) return { updated: 0 };
      const next = updatedDoc(current ?? { _id: id }, data, merge);
      this.db.stage(txId, { collection, id, doc: next, mode: 'put' });
      return current ? { updated: changed(current, next) ? 1 : 0 } : { updated: 0, upsert_id: id };
    }
    const targets = this.matching(body, body['multi'] === true ? undefined : 1);
    const writes: Write[] = [];
    for (const doc of targets) {
      const next = updatedDoc(doc, data, merge);
      if (changed(doc, next)) writes.push({ collection, id: doc._id, doc: next, mode: 'put' });
    }
    if (targets.length === 0 && body['upsert'] === true) {
      const seed = upsertSeed(queryOf(body));
      const doc = updatedDoc(seed, data, merge);
      this.db.apply([{ collection, id: doc._id, doc, mode: 'insert' }]);
      return { updated: 0, upsert_id: doc._id };
    }
    this.db.apply(writes);
    return { updated: writes.length };
  }

  private modifyAndReturn(body: Body): Body {
    const collection = collectionOf(body);
    const data = resolveServerDates(wire(body, 'data'), this.now());
    if (!isPlainObject(data)) throw new DbError('INVALID_PARAM', 'update data must be a document');
    const [doc] = this.matching(body, 1);
    if (!doc) return { updated: 0, doc: null };
    const next = updatedDoc(doc, data, true);
    const isChanged = changed(doc, next);
    if (isChanged) this.db.apply([{ collection, id: doc._id, doc: next, mode: 'put' }]);
    return { updated: isChanged ? 1 : 0, doc: toWire(next) };
  }

  private remove(body: Body): number {
    const collection = collectionOf(body);
    const txId = optionalText(body, 'transactionId');
    if (txId) {
      const id = docIdOf(body);
      if (!this.db.read(txId, collection, id)) return 0;
      this.db.stage(txId, { collection, id, doc: null, mode: 'put' });
      return 1;
    }
    const targets = this.matching(body, body['multi'] === true ? undefined : 1);
    this.db.apply(targets.map((d) => ({ collection, id: d._id, doc: null, mode: 'put' as const })));
    return targets.length;
  }

  private aggregate(body: Body): Record<string, unknown>[] {
    const stages = body['stages'];
    if (!Array.isArray(stages)) throw new DbError('INVALID_PARAM', 'stages must be an array');
    const pipeline = stages.map((s) => {
      if (!isPlainObject(s) || typeof s['stageKey'] !== 'string' || typeof s['stageValue'] !== 'string') {
        throw new DbError('INVALID_PARAM', 'each stage needs stageKey and stageValue');
      }
      return { [s['stageKey']]: parseWire(s['stageValue']) };
    });
    if (!pipeline.some((s) => '$limit' in s)) pipeline.push({ $limit: AGGREGATE_DEFAULT_LIMIT });
    const collection = collectionOf(body);
    const first = pipeline[0]?.['$match'];
    const source = isPlainObject(first) ? this.db.store.candidates(collection, first) : this.db.store.all(collection);
    return aggregateDocs(source, pipeline, (name) => (this.db.store.hasCollection(name) ? this.db.store.all(name) : []));
  }

  private addCollection(body: Body): Body {
    const name = collectionOf(body);
    if (this.db.store.hasCollection(name)) throw new DbError('DATABASE_COLLECTION_ALREADY_EXIST', `collection ${name} already exists`);
    this.db.store.ensureCollection(name);
    return {};
  }

  /** Documents matching the request's query, in natural order, at most `limit`. */
  private matching(body: Body, limit?: number): Doc[] {
    if (optionalText(body, 'transactionId')) {
      throw new DbError('DATABASE_REQUEST_FAILED', 'inside a transaction only doc() operations are supported');
    }
    const collection = collectionOf(body);
    const query = queryOf(body);
    // By id alone, the primary key's candidates are the matches: no query to build.
    const test = typeof query['_id'] === 'string' && Object.keys(query).length === 1 ? () => true : compileFilter(query);
    const out: Doc[] = [];
    for (const doc of this.db.store.candidates(collection, query)) {
      if (!test(doc)) continue;
      out.push(doc);
      if (limit !== undefined && out.length >= limit) break;
    }
    return out;
  }
}

/** `where({_id: _.gt(x)}).orderBy('_id', 'asc')`: a key-range page the primary key serves. */
function idRangeOf(query: Filter, order: Record<string, 1 | -1> | undefined, offset: number): { gt: string } | { gte: string } | undefined {
  if (offset !== 0 || Object.keys(query).length !== 1 || !order || Object.keys(order).length !== 1 || order['_id'] !== 1) return undefined;
  const condition = query['_id'];
  if (!isPlainObject(condition) || Object.keys(condition).length !== 1) return undefined;
  if (typeof condition['$gt'] === 'string') return { gt: condition['$gt'] };
  if (typeof condition['$gte'] === 'string') return { gte: condition['$gte'] };
  return undefined;
}

function text(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw new DbError('INVALID_PARAM', `${field} is required`);
  return value;
}

function optionalText(body: Body, field: string): string | undefined {
  const value = body[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function collectionOf(body: Body): string {
  return text(body, 'collectionName');
}

function wire(body: Body, field: string): unknown {
  const value = body[field];
  return typeof value === 'string' ? parseWire(value) : value;
}

function optionalWire(body: Body, field: string): unknown {
  const value = body[field];
  return value === undefined || value === null || value === '' ? undefined : wire(body, field);
}

function queryOf(body: Body): Filter {
  const query = optionalWire(body, 'query') ?? {};
  if (!isPlainObject(query)) throw new DbError('INVALID_PARAM', 'query must be a document');
  return query;
}

function docIdOf(body: Body): string {
  const id = queryOf(body)['_id'];
  if (typeof id !== 'string') throw new DbError('DATABASE_REQUEST_FAILED', 'inside a transaction only doc() operations are supported');
  return id;
}
