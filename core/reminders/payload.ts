import { BEIJING_OFFSET_MS } from '../time/beijing';

/**
 * Subscribe-message payloads that always satisfy WeChat's field rules. A field's type is
 * its key without the trailing number (`thing1` is a `thing`). Text is cut by code points,
 * so a surrogate pair (e.g. an emoji) is never split.
 */
const LIMITS: Record<string, number> = { thing: 20, name: 10, phrase: 5, character_string: 32, letter: 32, number: 32, car_number: 8 };

export function fieldType(key: string): string {
  return key.replace(/\d+$/, '');
}

function cut(text: string, max: number): string {
  const chars = [...text.replace(/[\r\n]+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** A value made to fit its field type; `fallback` where nothing of the value can be used. */
export function fitField(key: string, value: string | number | Date, fallback = '会员福利'): string {
  const type = fieldType(key);
  if (value instanceof Date || type === 'date') {
    // A business day (YYYY-MM-DD) or an instant; anything else is a programming error, not text to send.
    const d = value instanceof Date ? value : new Date(`${String(value)}T00:00:00+08:00`);
    if (Number.isNaN(d.getTime())) throw new RangeError(`not a date for ${key}: ${String(value)}`);
    const beijing = new Date(d.getTime() + BEIJING_OFFSET_MS);
    return `${beijing.getUTCFullYear()}年${beijing.getUTCMonth() + 1}月${beijing.getUTCDate()}日`;
  }
  if (type === 'number') {
    const digits = String(value).replace(/[^\d]/g, '').slice(0, 32);
    return digits === '' ? '0' : digits;
  }
  const text = cut(String(value), LIMITS[type] ?? 20);
  return text === '' ? cut(fallback, LIMITS[type] ?? 20) : text;
}

/** `{ thing1: { value } , … }` for `subscribeMessage.send`. */
export function buildPayload(fields: Record<string, string | number | Date>): Record<string, { value: string }> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, { value: fitField(key, value) }]));
}
