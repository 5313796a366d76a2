import { Context } from 'mingo';
import { Aggregator } from 'mingo/aggregator';
import { type Iterator, Lazy } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { AnyObject, Options } from 'mingo/types';
import { resolve } from 'mingo/util';
import { type Doc, isPlainObject, toStoredValue } from './ejson';
import { DbError } from './errors';

/**
 * Aggregation with MongoDB semantics: mingo's pipeline, with the stages and accumulators
 * where it answers differently from MongoDB replaced (each difference is a row of
 * test/conformance.test.ts).
 */
export function aggregateDocs(docs: Doc[], pipeline: Record<string, unknown>[], resolveCollection: (name: string) => Doc[]): AnyObject[] {
  try {
    return new Aggregator(pipeline, { collectionResolver: resolveCollection, context: MONGODB }).run(docs);
  } catch (err) {
    throw new DbError('DATABASE_REQUEST_FAILED', `invalid aggregate pipeline: ${(err as Error).message}`);
  }
}

/**
 * A query projection's result in MongoDB's field order: the included fields in the
 * document's own order (`_id` first). `projected[i]` is `docs[i]` projected by mingo.
 */
export function inDocumentOrder(projected: AnyObject[], docs: Doc[], projection: Record<string, unknown>): AnyObject[] {
  const shape = shapeOf(projection, 'find');
  if (!shape) return projected;
  return projected.map((out, i) => reorder(out, docs[i], shape) as AnyObject);
}

type Pipeline = (coll: Iterator, expr: AnyObject, options: Options) => Iterator;
type Accumulator = (coll: AnyObject[], expr: unknown, options: Options) => unknown;
// mingo's own operators, typed loosely: the replacements below hand them what they were given.
const mingo = {
  $lookup: pipelineOperators.$lookup as unknown as Pipeline,
  $project: pipelineOperators.$project as unknown as Pipeline,
  $bucket: pipelineOperators.$bucket as unknown as Pipeline,
  $bucketAuto: pipelineOperators.$bucketAuto as unknown as Pipeline,
  $push: accumulatorOperators.$push as unknown as Accumulator,
  $addToSet: accumulatorOperators.$addToSet as unknown as Accumulator,
};

/**
 * `$lookup` with `localField`/`foreignField`: the joined documents are those of the
 * foreign collection whose field equals the local value, or any element of it when it is
 * an array (a missing value is null), each once and in the foreign collection's order.
 * With a `pipeline` as well (MongoDB 5.0's concise correlated form), the pipeline runs on
 * those documents only. mingo lists array matches in the local array's order and runs
 * such a pipeline on the whole collection.
 */
const lookup: Pipeline = (coll, expr, options) => {
  const { localField, foreignField, from, pipeline, as } = expr as {
    localField?: string;
    foreignField?: string;
    from?: unknown;
    pipeline?: AnyObject[];
    as: string;
  };
  if (typeof localField !== 'string' || typeof foreignField !== 'string') return mingo.$lookup(coll, expr, options);
  const foreign = (typeof from === 'string' ? options.collectionResolver?.(from) : from) as AnyObject[] | undefined;
  if (!Array.isArray(foreign)) throw new Error(`$lookup: collection ${String(from)} does not resolve`);
  // Each value the foreign field holds (an array: itself and each element) → the positions of its documents.
  const positions = new Map<string, number[]>();
  foreign.forEach((doc, position) => {
    const value = resolve(doc, foreignField) ?? null;
    for (const v of Array.isArray(value) ? [value, ...value] : [value]) {
      const key = toStoredValue(v);
      const list = positions.get(key) ?? [];
      if (list.at(-1) !== position) list.push(position);
      positions.set(key, list);
    }
  });
  return coll.map((doc: AnyObject) => {
    const local = resolve(doc, localField) ?? null;
    const found = new Set<number>();
    for (const v of Array.isArray(local) ? local : [local])
      for (const position of positions.get(toStoredValue(v)) ?? []) found.add(position);
    const joined = [...found].sort((a, b) => a - b).map((position) => foreign[position] as AnyObject);
    if (!pipeline?.length) return { ...doc, [as]: joined };
    const correlated = { from: joined, let: expr['let'] as AnyObject | undefined, pipeline, as };
    return mingo.$lookup(Lazy([doc]), correlated, options).collect()[0];
  });
};

/**
 * `$project` keeps the included fields in the input document's order (`_id` first) and
 * appends computed ones in the stage's order; mingo sorts them otherwise.
 */
const project: Pipeline = (coll, expr, options) => {
  const shape = shapeOf(expr, 'aggregate');
  if (!shape) return mingo.$project(coll, expr, options);
  // $project maps one document to one, lazily: each output pairs with the input just read.
  const inputs: AnyObject[] = [];
  const tapped = coll.map((doc: AnyObject) => {
    inputs.push(doc);
    return doc;
  });
  return mingo.$project(tapped, expr, options).map((out: AnyObject) => reorder(out, inputs.shift(), shape));
};

/** `$bucket` and `$bucketAuto` answer `{_id, …outputs}` as `$group` does; mingo puts `_id` last. */
const idFirst =
  (stage: Pipeline): Pipeline =>
  (coll, expr, options) =>
    stage(coll, expr, options).map(({ _id, ...rest }: AnyObject) => ({ _id, ...rest }));

/** `$push` and `$addToSet` skip documents where the expression is missing; mingo adds null for them. */
const MISSING = '\u0000cloudbase-emulator:missing';
const skippingMissing =
  (accumulate: Accumulator): Accumulator =>
  (coll, expr, options) => {
    // An array (of expressions) is never missing; anything else is asked its $type.
    if (Array.isArray(expr)) return accumulate(coll, expr, options);
    const marked = { $cond: [{ $eq: [{ $type: expr }, 'missing'] }, { $literal: MISSING }, expr] };
    return (accumulate(coll, marked, options) as unknown[]).filter((v) => v !== MISSING);
  };

/** mingo's operators with the replacements above (a context merged onto mingo's own would keep mingo's). */
const MONGODB = Context.init({
  accumulator: { ...accumulatorOperators, $push: skippingMissing(mingo.$push), $addToSet: skippingMissing(mingo.$addToSet) },
  expression: expressionOperators,
  pipeline: {
    ...pipelineOperators,
    $lookup: lookup,
    $project: project,
    $bucket: idFirst(mingo.$bucket),
    $bucketAuto: idFirst(mingo.$bucketAuto),
  },
  projection: projectionOperators,
  query: queryOperators,
  window: windowOperators,
} as Parameters<typeof Context.init>[0]);

/** Which fields a projection keeps from the input ('include') and which it computes, by path; null when it only excludes. */
type Shape = Map<string, 'include' | 'computed' | Shape>;

function shapeOf(spec: AnyObject, kind: 'find' | 'aggregate'): Shape | null {
  const shape: Shape = new Map();
  let keeps = false;
  const add = (target: Shape, path: string[], value: unknown) => {
    const [head, ...rest] = path as [string, ...string[]];
    if (rest.length > 0) {
      const sub = target.get(head);
      const next: Shape = sub instanceof Map ? sub : new Map();
      target.set(head, next);
      add(next, rest, value);
      return;
    }
    if (value === 0 || value === false) return;
    keeps = true;
    const operator = isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'));
    if (value === 1 || value === true || (kind === 'find' && operator)) target.set(head, 'include');
    else if (isPlainObject(value) && !operator) for (const [k, v] of Object.entries(value)) add(target, [head, ...k.split('.')], v);
    else target.set(head, 'computed');
  };
  for (const [key, value] of Object.entries(spec)) add(shape, key.split('.'), value);
  return keeps ? shape : null;
}

function reorder(out: unknown, input: unknown, shape: Shape): unknown {
  if (Array.isArray(out)) return out.map((o, i) => reorder(o, Array.isArray(input) ? input[i] : undefined, shape));
  if (!isPlainObject(out)) return out;
  const source = isPlainObject(input) ? input : {};
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const rule = shape.get(key) ?? (key === '_id' ? 'include' : undefined);
    if (rule === undefined || rule === 'computed' || !(key in out)) continue;
    result[key] = rule === 'include' ? out[key] : reorder(out[key], source[key], rule);
  }
  for (const [key, rule] of shape) {
    if (key in out && !(key in result)) result[key] = rule instanceof Map ? reorder(out[key], source[key], rule) : out[key];
  }
  for (const key of Object.keys(out)) if (!(key in result)) result[key] = out[key];
  return result;
}
