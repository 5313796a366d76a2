import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Doc, fromStored, isPlainObject, toStored } from './ejson';
import { DbError } from './errors';

/** An index declared in db/collections.json. Fields hold scalars (see assertIndexable). */
export interface IndexSpec {
  name: string;
  fields: string[];
  unique?: boolean;
}

const COLLECTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Durable document storage: one SQLite table per collection, the document as relaxed
 * EJSON text, declared indexes as SQLite expression indexes over json_extract — so
 * unique indexes are enforced by the engine itself, not by a read-then-write.
 */
export class Store {
  /** Documents decoded from storage so far: lets tests prove a query did not scan. */
  rowsRead = 0;
  /** Called before every document write (the emulator tells its functions' writes from outside edits). */
  onWrite: (collection: string) => void = () => undefined;
  private readonly sql: Database.Database;
  private readonly indexes = new Map<string, IndexSpec[]>();
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.sql = new Database(file);
    this.sql.pragma('journal_mode = WAL');
    this.sql.pragma('synchronous = NORMAL');
    this.sql.exec('CREATE TABLE IF NOT EXISTS _collections (name TEXT PRIMARY KEY, indexes TEXT NOT NULL)');
    this.sql.exec('CREATE TABLE IF NOT EXISTS _settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    for (const row of this.sql.prepare('SELECT name, indexes FROM _collections').all() as { name: string; indexes: string }[]) {
      this.indexes.set(row.name, JSON.parse(row.indexes) as IndexSpec[]);
    }
  }

  close(): void {
    this.sql.close();
  }

  /** The emulator's own state kept with the data (e.g. the simulated clock); not documents. */
  setting(key: string): string | undefined {
    return (this.sql.prepare('SELECT value FROM _settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setSetting(key: string, value: string | null): void {
    if (value === null) this.sql.prepare('DELETE FROM _settings WHERE key = ?').run(key);
    else this.sql.prepare('INSERT OR REPLACE INTO _settings (key, value) VALUES (?, ?)').run(key, value);
  }

  hasCollection(name: string): boolean {
    return this.indexes.has(name);
  }

  /** Creates the collection, or brings its indexes up to the declared ones. */
  ensureCollection(name: string, indexes: IndexSpec[] = []): void {
    if (!COLLECTION_NAME.test(name)) throw new DbError('INVALID_PARAM', `invalid collection name ${JSON.stringify(name)}`);
    const table = tableOf(name);
    const current = this.indexes.get(name);
    if (current && JSON.stringify(current) === JSON.stringify(indexes)) return;
    this.atomically(() => {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS ${table} (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL)`);
      for (const old of this.indexes.get(name) ?? []) this.sql.exec(`DROP INDEX IF EXISTS ${indexNameOf(name, old)}`);
      for (const index of indexes) {
        const columns = index.fields.map(jsonExtract).join(', ');
        this.sql.exec(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${indexNameOf(name, index)} ON ${table} (${columns})`);
      }
      this.sql.prepare('INSERT OR REPLACE INTO _collections (name, indexes) VALUES (?, ?)').run(name, JSON.stringify(indexes));
    });
    this.indexes.set(name, indexes);
    this.statements.clear();
  }

  /**
   * Every document gone: the collections named in `keep` stay (emptied, their indexes and
   * prepared statements kept — dropping and recreating each was most of a reset), the
   * others are dropped. Documents added afterwards are numbered from the start again.
   */
  emptyAll(keep: ReadonlySet<string> = new Set()): void {
    const dropped = [...this.indexes.keys()].filter((name) => !keep.has(name));
    this.atomically(() => {
      for (const name of this.indexes.keys()) {
        if (keep.has(name)) this.sql.exec(`DELETE FROM ${tableOf(name)}`);
        else this.sql.exec(`DROP TABLE IF EXISTS ${tableOf(name)}`);
      }
      for (const name of dropped) this.sql.prepare('DELETE FROM _collections WHERE name = ?').run(name);
    });
    for (const name of dropped) this.indexes.delete(name);
    if (dropped.length > 0) this.statements.clear();
  }

  /** Whether a document exists, without reading it. */
  has(collection: string, id: string): boolean {
    return this.stmt(collection, 'has', (t) => `SELECT 1 FROM ${t} WHERE id = ?`).get(id) !== undefined;
  }

  get(collection: string, id: string): Doc | undefined {
    const row = this.stmt(collection, 'get', (t) => `SELECT doc FROM ${t} WHERE id = ?`).get(id) as { doc: string } | undefined;
    return row ? this.decode(row.doc) : undefined;
  }

  /**
   * Documents in the order of a declared index's first field, read lazily from the index
   * (the caller stops after the page it needs), or undefined when no index leads with it.
   * Like MongoDB, documents missing the field sort first ascending, last descending; the
   * field is assumed to hold one type (numbers, or strings) — mixed types would not sort
   * by MongoDB's type brackets here.
   */
  ordered(collection: string, field: string, direction: 1 | -1): Iterable<Doc> | undefined {
    const index = this.requireIndexes(collection).find((i) => i.fields[0] === field);
    if (!index) return undefined;
    const dir = direction === 1 ? 'ASC' : 'DESC';
    const statement = this.stmt(
      collection,
      `ordered:${field}:${dir}`,
      (t) => `SELECT doc FROM ${t} INDEXED BY ${indexNameOf(collection, index)} ORDER BY ${jsonExtract(field)} ${dir}`,
    );
    const rows = statement.iterate() as IterableIterator<{ doc: string }>;
    const decode = (text: string) => this.decode(text);
    return (function* () {
      for (const row of rows) yield decode(row.doc);
    })();
  }

  /**
   * How many documents have an indexed field in a numeric range, counted on the index.
   * Undefined when the query is not exactly one such range on a declared index's first field.
   */
  countRange(collection: string, query: Record<string, unknown>): number | undefined {
    const keys = Object.keys(query);
    const field = keys[0];
    const condition = field === undefined ? undefined : query[field];
    if (keys.length !== 1 || !field || !isPlainObject(condition)) return undefined;
    const index = this.requireIndexes(collection).find((i) => i.fields[0] === field);
    const ops: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };
    const bounds = Object.entries(condition);
    if (!index || bounds.length === 0 || !bounds.every(([op, v]) => ops[op] && typeof v === 'number' && Number.isFinite(v)))
      return undefined;
    const where = bounds.map(([op]) => `${jsonExtract(field)} ${ops[op]} ?`).join(' AND ');
    const key = `count:${field}:${bounds.map(([op]) => op).join(',')}`;
    const row = this.stmt(
      collection,
      key,
      (t) => `SELECT count(*) AS n FROM ${t} INDEXED BY ${indexNameOf(collection, index)} WHERE ${where}`,
    ).get(...bounds.map(([, v]) => v)) as { n: number };
    return row.n;
  }

  /**
   * Documents that may match `query`: a superset the caller filters exactly. Uses the
   * primary key or a declared index when the query pins its first field; scans otherwise.
   */
  candidates(collection: string, query: Record<string, unknown>): Doc[] {
    const ids = pinnedValues(query['_id']);
    if (ids) return ids.flatMap((id) => (typeof id === 'string' ? (this.get(collection, id) ?? []) : []));
    for (const index of this.requireIndexes(collection)) {
      const field = index.fields[0];
      const values = field === undefined ? undefined : pinnedValues(query[field]);
      if (!field || !values || values.length === 0) continue;
      const marks = values.map(() => '?').join(', ');
      const rows = this.stmt(
        collection,
        `ix:${field}:${values.length}`,
        (t) => `SELECT doc FROM ${t} WHERE ${jsonExtract(field)} IN (${marks}) ORDER BY rid`,
      ).all(...values) as { doc: string }[];
      return rows.map((r) => this.decode(r.doc));
    }
    return this.all(collection);
  }

  /**
   * Documents with `_id` above a bound, in `_id` order, at most `limit`: how resumable
   * jobs page through a collection, served by the primary key instead of a scan.
   */
  idRange(collection: string, bound: { gt: string } | { gte: string }, limit: number): Doc[] {
    const [op, value] = 'gt' in bound ? ['>', bound.gt] : ['>=', bound.gte];
    const rows = this.stmt(collection, `range${op}`, (t) => `SELECT doc FROM ${t} WHERE id ${op} ? ORDER BY id LIMIT ?`).all(
      value,
      limit,
    ) as { doc: string }[];
    return rows.map((r) => this.decode(r.doc));
  }

  all(collection: string): Doc[] {
    const rows = this.stmt(collection, 'all', (t) => `SELECT doc FROM ${t} ORDER BY rid`).all() as { doc: string }[];
    return rows.map((r) => this.decode(r.doc));
  }

  count(collection: string): number {
    return (this.stmt(collection, 'count', (t) => `SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  }

  /**
   * `insert` fails on an existing `_id`; `put` inserts or replaces; `null` deletes.
   * Unique indexes hold or this throws DATABASE_DUPLICATE_WRITE.
   */
  write(collection: string, id: string, doc: Doc | null, mode: 'insert' | 'put' = 'put'): void {
    this.onWrite(collection);
    if (doc === null) {
      this.stmt(collection, 'delete', (t) => `DELETE FROM ${t} WHERE id = ?`).run(id);
      return;
    }
    for (const index of this.requireIndexes(collection)) for (const f of index.fields) assertIndexable(doc, f, index);
    const statement =
      mode === 'insert'
        ? this.stmt(collection, 'insert', (t) => `INSERT INTO ${t} (id, doc) VALUES (?, ?)`)
        : this.stmt(collection, 'put', (t) => `INSERT INTO ${t} (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`);
    try {
      statement.run(id, toStored(doc));
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new DbError('DATABASE_DUPLICATE_WRITE', `E11000 duplicate key error collection: ${collection} (${(err as Error).message})`);
      }
      throw err;
    }
  }

  /** Runs `fn` in one SQLite transaction: all its writes land, or none. */
  atomically<T>(fn: () => T): T {
    // One transaction function for all calls: better-sqlite3 builds a new one (and its variants) per `transaction()`.
    this.inTransaction ??= this.sql.transaction((run: () => unknown) => run());
    return this.inTransaction(fn) as T;
  }
  private inTransaction: ((run: () => unknown) => unknown) | undefined;

  /** Direct engine access, for benchmarks that compare the service with the bare engine. */
  get engine(): Database.Database {
    return this.sql;
  }

  private decode(text: string): Doc {
    this.rowsRead++;
    return fromStored(text);
  }

  private requireIndexes(collection: string): IndexSpec[] {
    const indexes = this.indexes.get(collection);
    if (!indexes) throw new DbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${collection}`);
    return indexes;
  }

  private stmt(collection: string, key: string, text: (table: string) => string): Database.Statement {
    this.requireIndexes(collection);
    const cacheKey = `${collection}\u0000${key}`;
    let statement = this.statements.get(cacheKey);
    if (!statement) {
      statement = this.sql.prepare(text(tableOf(collection)));
      this.statements.set(cacheKey, statement);
    }
    return statement;
  }
}

function tableOf(collection: string): string {
  return `"c_${collection}"`;
}

function indexNameOf(collection: string, index: IndexSpec): string {
  return `"ix_${collection}_${index.name.replace(/[^A-Za-z0-9_]/g, '_')}"`;
}

function jsonExtract(field: string): string {
  const path = field
    .split('.')
    .map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? p : JSON.stringify(p)))
    .join('.');
  return `json_extract(doc, '$.${path.replace(/'/g, "''")}')`;
}

/** Values a query pins a field to (equality or $in of strings/numbers), if it does. */
function pinnedValues(condition: unknown): (string | number)[] | undefined {
  const isKey = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
  if (isKey(condition)) return [condition];
  if (!isPlainObject(condition)) return undefined;
  const keys = Object.keys(condition);
  if (keys.length !== 1) return undefined;
  const eq = condition['$eq'];
  if (isKey(eq)) return [eq];
  const within = condition['$in'];
  if (Array.isArray(within) && within.every(isKey)) return within;
  return undefined;
}

/**
 * Mongo indexes arrays element-wise (multikey); a json_extract index cannot, so an
 * indexed path must never pass through an array. Refusing such writes keeps index
 * look-ups exact instead of silently missing documents.
 */
function assertIndexable(doc: Doc, field: string, index: IndexSpec): void {
  let value: unknown = doc;
  for (const part of field.split('.')) {
    if (Array.isArray(value)) {
      throw new DbError('DATABASE_REQUEST_FAILED', `index ${index.name}: field ${field} must not hold an array in the local emulator`);
    }
    if (!isPlainObject(value)) return;
    value = value[part];
  }
  if (Array.isArray(value)) {
    throw new DbError('DATABASE_REQUEST_FAILED', `index ${index.name}: field ${field} must not hold an array in the local emulator`);
  }
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
