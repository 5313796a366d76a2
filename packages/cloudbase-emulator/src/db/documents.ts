import { randomUUID } from 'node:crypto';
import { Query } from 'mingo';
import { Context } from 'mingo/core';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as updateOperators from 'mingo/operators/update';
import { Query as LeanQuery } from 'mingo/query';
import { inDocumentOrder } from './aggregate';
import { type Doc, isPlainObject, sameStored, toStoredValue } from './ejson';
import { DbError } from './errors';

/** Pure document operations with MongoDB semantics (mingo), shared by every command. */

export type Filter = Record<string, unknown>;

export interface ReadOptions {
  order?: Record<string, 1 | -1>;
  offset?: number;
  limit: number;
  projection?: Record<string, unknown>;
}

/** 32 hex digits, as CloudBase's ids (from the pooled randomness of randomUUID: one syscall per many ids, not per id). */
export function newId(): string {
  return randomUUID().replaceAll('-', '');
}

/**
 * The operators a query needs unless it evaluates aggregation expressions. mingo copies
 * every operator of its context into each query it builds; with its whole set (expression,
 * pipeline, accumulator, window…) that copy was most of a read's time in this service.
 */
const FILTER_CONTEXT = Context.init({ query: queryOperators, projection: projectionOperators });

/** Operators that evaluate aggregation expressions: a query (or projection) using one gets mingo's whole set. */
const EXPRESSION_OPERATORS = new Set(['$expr', '$where', '$jsonSchema', '$function', '$accumulator', '$let', '$literal']);

function usesExpressions(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(usesExpressions);
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(([key, v]) => EXPRESSION_OPERATORS.has(key) || usesExpressions(v));
}

/** A mingo query of `query`, its projection with it: with the operators it needs (see FILTER_CONTEXT). */
function queryOf(query: Filter, projection?: Record<string, unknown>): Query {
  const projectionComputes = projection !== undefined && Object.values(projection).some((v) => isPlainObject(v) || typeof v === 'string');
  return usesExpressions(query) || projectionComputes ? new Query(query) : new LeanQuery(query, { context: FILTER_CONTEXT });
}

export function compileFilter(query: Filter): (doc: Doc) => boolean {
  try {
    const compiled = queryOf(query);
    const ordered = orderedEqualities(query);
    return (doc) => compiled.test(doc) && ordered(doc);
  } catch (err) {
    throw new DbError('DATABASE_REQUEST_FAILED', `invalid query: ${(err as Error).message}`);
  }
}

export function selectDocs(docs: Doc[], query: Filter, options: ReadOptions): Doc[] {
  let cursor = queryOf(query).find(docs.filter(orderedEqualities(query)));
  if (options.order && Object.keys(options.order).length) cursor = cursor.sort(options.order);
  if (options.offset) cursor = cursor.skip(options.offset);
  const page = cursor.limit(options.limit).all() as Doc[];
  const projection = options.projection;
  if (!projection || Object.keys(projection).length === 0) return page;
  // Projected after paging, so that each result pairs with the document it came from.
  return inDocumentOrder(queryOf(query, projection).find(page, projection).all() as Doc[], page, projection) as Doc[];
}

/**
 * MongoDB compares a field with a document (or an array) as BSON: the same fields in the
 * same order. mingo compares them regardless of order, so equalities on documents and
 * arrays (top level and under `$and`) are checked again here, order included; a field
 * holding an array also matches when one of its elements equals the value.
 */
function orderedEqualities(query: Filter): (doc: Doc) => boolean {
  const checks: [path: string, value: unknown][] = [];
  const collect = (clause: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(clause)) {
      if (key === '$and' && Array.isArray(value)) for (const part of value) if (isPlainObject(part)) collect(part);
      if (key.startsWith('$')) continue;
      const operand =
        isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))
          ? Object.keys(value).length === 1
            ? value['$eq']
            : undefined
          : value;
      if (Array.isArray(operand) || (isPlainObject(operand) && !Object.keys(operand).some((k) => k.startsWith('$'))))
        checks.push([key, operand]);
    }
  };
  collect(query);
  if (checks.length === 0) return () => true;
  return (doc) =>
    checks.every(([path, value]) => {
      const found = path.split('.').reduce<unknown>((node, part) => (isPlainObject(node) ? node[part] : undefined), doc);
      const candidates = Array.isArray(found) ? [found, ...found] : [found];
      const wanted = toStoredValue(value);
      return candidates.some((c) => toStoredValue(c) === wanted);
    });
}

export function isOperatorUpdate(data: Record<string, unknown>): boolean {
  return Object.keys(data).some((k) => k.startsWith('$'));
}

/**
 * The document after an update. `merge: false` (the SDK's `set`) replaces the whole
 * document but keeps `_id`; otherwise update operators apply (plain fields = `$set`).
 */
export function updatedDoc(doc: Doc, data: Record<string, unknown>, merge: boolean): Doc {
  if (!merge) {
    if (isOperatorUpdate(data)) throw new DbError('DATABASE_REQUEST_FAILED', 'set() takes a plain document, not update operators');
    const { _id: _ignored, ...fields } = structuredClone(data);
    return { _id: doc._id, ...fields };
  }
  const modifier = isOperatorUpdate(data) ? data : { $set: data };
  const next = structuredClone(doc);
  try {
    for (const apply of modifierSteps(modifier)) apply(next);
  } catch (err) {
    throw new DbError('DATABASE_REQUEST_FAILED', `invalid update: ${(err as Error).message}`);
  }
  if (next._id !== doc._id) throw new DbError('DATABASE_REQUEST_FAILED', '_id is immutable');
  return next;
}

const UPDATE_OPERATORS = updateOperators as unknown as Record<
  string,
  (expr: Record<string, unknown>) => (doc: Record<string, unknown>) => unknown
>;

/**
 * Each operator of an update as a step on the document — mingo's update operators, called
 * directly: its `update()` builds a fresh operator context on every call, most of an
 * update's cost in this service. What `update()` checks besides is checked here: every
 * operator known, and no two of them on one path or on a path and its parent (MongoDB's
 * "would create a conflict"). The values are taken from the request, which is parsed for
 * this call alone.
 */
function modifierSteps(modifier: Record<string, unknown>): ((doc: Record<string, unknown>) => unknown)[] {
  const paths: string[] = [];
  const steps = Object.entries(modifier).map(([op, expr]) => {
    const operator = UPDATE_OPERATORS[op];
    if (!operator || !isPlainObject(expr)) throw new Error(`Unknown update operator: '${op}'.`);
    for (const [path, value] of Object.entries(expr)) paths.push(path, ...(op === '$rename' && typeof value === 'string' ? [value] : []));
    return operator(expr);
  });
  const sorted = paths
    .map((p) =>
      p
        .split('.')
        .filter((part) => !part.startsWith('$'))
        .join('.'),
    )
    .sort();
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1] as string, sorted[i] as string];
    if (a === b || b.startsWith(`${a}.`)) throw new Error(`Updating the path '${b}' would create a conflict at '${a}'`);
  }
  return steps;
}

export function changed(before: Doc, after: Doc): boolean {
  return !sameStored(before, after);
}

/** The document an upsert starts from: the query's equality conditions (Mongo semantics). */
export function upsertSeed(query: Filter): Doc {
  const seed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (key.startsWith('$')) continue;
    const isCommand = isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'));
    if (isCommand) {
      if (isPlainObject(value) && '$eq' in value && Object.keys(value).length === 1) setPath(seed, key, value['$eq']);
      continue;
    }
    setPath(seed, key, value);
  }
  const { _id: given, ...fields } = seed;
  return { _id: typeof given === 'string' ? given : newId(), ...fields };
}

/** Replaces the SDK's `db.serverDate({offset})` placeholders with the emulator clock. */
export function resolveServerDates<T>(value: T, now: Date): T {
  if (Array.isArray(value)) return value.map((v) => resolveServerDates(v, now)) as T;
  if (!isPlainObject(value)) return value;
  const marker = value['$tcb_server_date'];
  if (marker !== undefined && Object.keys(value).length === 1) {
    const offset = isPlainObject(marker) && typeof marker['offset'] === 'number' ? marker['offset'] : 0;
    return new Date(now.getTime() + offset) as T;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = resolveServerDates(v, now);
  return out as T;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (!isPlainObject(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}
