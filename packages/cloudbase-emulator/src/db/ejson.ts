import { BSONRegExp, EJSON } from 'bson';

export type Doc = Record<string, unknown> & { _id: string };

/** Wire format: the SDK sends and expects canonical EJSON strings. */
export function parseWire(text: string): unknown {
  return reviveRegExps(EJSON.parse(text, { relaxed: true }));
}

export function toWire(value: unknown): string {
  return EJSON.stringify(value, { relaxed: false });
}

/** Storage format: relaxed EJSON keeps numbers plain, so SQLite's json_extract can index them. */
export function toStored(doc: Doc): string {
  return EJSON.stringify(doc, { relaxed: true });
}

export function fromStored(text: string): Doc {
  return EJSON.parse(text, { relaxed: true }) as Doc;
}

/** bson yields BSONRegExp for `$regularExpression`; the matcher needs a real RegExp. */
function reviveRegExps(value: unknown): unknown {
  if (value instanceof BSONRegExp) {
    const flags = [...value.options].filter((f) => 'imsu'.includes(f)).join('');
    return new RegExp(value.pattern, flags);
  }
  if (Array.isArray(value)) return value.map(reviveRegExps);
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) value[key] = reviveRegExps(value[key]);
  }
  return value;
}

/**
 * A plain object of any realm: its prototype is an `Object.prototype` (or null). Checking
 * against this realm's `Object.prototype` alone would call objects from a vm context
 * (jest's) or from `structuredClone` something else.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Any value in the storage form (relaxed EJSON; field order kept), for order-sensitive comparison. */
export function toStoredValue(value: unknown): string {
  return EJSON.stringify(value === undefined ? null : value, { relaxed: true });
}

/** Whether two documents differ as stored (field order included, as BSON bytes would). */
export function sameStored(a: Doc, b: Doc): boolean {
  return toStored(a) === toStored(b);
}
