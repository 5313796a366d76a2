import { BSONRegExp, EJSON } from 'bson';

export type Doc = Record<string, unknown> & { _id: string };

/**
 * Wire format: the SDK sends and expects canonical EJSON strings. Read by JSON.parse with
 * the typed values requests carry — dates, numbers, regular expressions — read here
 * (bson's parser, several times slower, only for a request with another EJSON type).
 */
export function parseWire(text: string): unknown {
  const holder = [JSON.parse(text) as unknown];
  return revived(holder, true) ? holder[0] : reviveRegExps(EJSON.parse(text, { relaxed: true }));
}

export function toWire(value: unknown): string {
  return EJSON.stringify(value, { relaxed: false });
}

/** Storage format: relaxed EJSON keeps numbers plain, so SQLite's json_extract can index them. */
export function toStored(doc: Doc): string {
  return EJSON.stringify(doc, { relaxed: true });
}

/**
 * A stored document. Stored text is plain JSON but for dates (`{"$date": …}`), so it is
 * read by JSON.parse with the dates revived — several times faster than bson's EJSON
 * parser, which every read of every document went through; a document holding any other
 * EJSON type is read by bson.
 */
export function fromStored(text: string): Doc {
  const doc = JSON.parse(text) as Doc;
  return revived(doc, false) ? doc : (EJSON.parse(text, { relaxed: true }) as Doc);
}

/** EJSON's type keys: an object with one of them is a typed value (bson's list), not a document. */
const TYPE_KEYS = new Set([
  '$oid',
  '$symbol',
  '$numberInt',
  '$numberDecimal',
  '$numberDouble',
  '$numberLong',
  '$minKey',
  '$maxKey',
  '$regex',
  '$regularExpression',
  '$options',
  '$binary',
  '$uuid',
  '$code',
  '$scope',
  '$timestamp',
  '$dbPointer',
  '$date',
  '$undefined',
  '$ref',
  '$id',
  '$db',
]);

/**
 * Replaces, in place, the typed values of JSON-parsed EJSON that are read here — dates,
 * 32-bit integers, doubles and (with `regexps`) regular expressions, as bson's relaxed
 * parser reads them — and reports false on any other type (the caller has bson read it all).
 */
function revived(node: Record<string, unknown> | unknown[], regexps: boolean): boolean {
  const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
  for (const [key, value] of entries) {
    if (typeof value !== 'object' || value === null) continue;
    if (!Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.some((k) => TYPE_KEYS.has(k))) {
        const read =
          keys.length === 1 ? typedValue(keys[0] as string, (value as Record<string, unknown>)[keys[0] as string], regexps) : undefined;
        if (read === undefined) return false;
        (node as Record<string | number, unknown>)[key] = read;
        continue;
      }
    }
    if (!revived(value as Record<string, unknown> | unknown[], regexps)) return false;
  }
  return true;
}

function typedValue(type: string, value: unknown, regexps: boolean): unknown {
  if (type === '$date') return storedDate(value);
  if (type === '$numberInt' && typeof value === 'string' && /^-?\d+$/.test(value)) return Number.parseInt(value, 10);
  if (type === '$numberDouble' && typeof value === 'string') return Number.parseFloat(value);
  if (type === '$regularExpression' && regexps && isPlainObject(value) && typeof value['pattern'] === 'string')
    return reviveRegExps(new BSONRegExp(value['pattern'], typeof value['options'] === 'string' ? value['options'] : ''));
  return undefined;
}

/** A relaxed or canonical EJSON date: an ISO string, or milliseconds as `{"$numberLong": …}`. */
function storedDate(value: unknown): Date | undefined {
  const ms =
    typeof value === 'string'
      ? Date.parse(value)
      : isPlainObject(value) && typeof value['$numberLong'] === 'string' && Object.keys(value).length === 1
        ? Number(value['$numberLong'])
        : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms);
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
