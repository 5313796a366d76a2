/**
 * WeChat's value rules for subscribe-message template fields, by key type (the key
 * `thing1` has type `thing`). Returns why a value is refused, or undefined if accepted.
 * Lengths count characters (code points), as WeChat does.
 */
const CHINESE = /\p{Script=Han}/u;
const DATE = /^(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}|\d{4}\/\d{1,2}\/\d{1,2})$/;
const TIME = /^\d{1,2}:\d{2}(:\d{2})?$/;

const rules: Record<string, (value: string, length: number) => string | undefined> = {
  thing: (_, n) => (n <= 20 ? undefined : 'thing allows at most 20 characters'),
  number: (v) => (/^\d+(\.\d+)?$/.test(v) && v.length <= 32 ? undefined : 'number allows at most 32 digits'),
  letter: (v) => (/^[A-Za-z]{1,32}$/.test(v) ? undefined : 'letter allows at most 32 letters'),
  symbol: (v, n) => (n <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(v) ? undefined : 'symbol allows at most 5 symbols'),
  character_string: (v) => (/^[\x21-\x7e]{1,32}$/.test(v) ? undefined : 'character_string allows 32 letters, digits or symbols'),
  time: (v) => {
    const [date, time, extra] = v.split(' ');
    const ok = extra === undefined && (time === undefined ? TIME.test(v) || DATE.test(v) : DATE.test(date ?? '') && TIME.test(time));
    return ok ? undefined : 'time must look like 15:01 or 2019年10月1日 15:01';
  },
  date: (v) => {
    const [date, time, extra] = v.split(' ');
    const ok = extra === undefined && DATE.test(date ?? '') && (time === undefined || TIME.test(time));
    return ok ? undefined : 'date must look like 2019年10月1日 or 2019-10-01';
  },
  amount: (v) => (/^¥?\d+(\.\d{1,2})?元?$/.test(v) ? undefined : 'amount must look like ¥100.00'),
  phone_number: (v) => (/^[\d+\- ]{1,17}$/.test(v) ? undefined : 'phone_number allows at most 17 digits'),
  car_number: (_, n) => (n <= 8 ? undefined : 'car_number allows at most 8 characters'),
  name: (v, n) => ((CHINESE.test(v) ? n <= 10 : n <= 20) ? undefined : 'name allows 10 Chinese characters or 20 letters'),
  phrase: (v, n) => (n <= 5 && /^\p{Script=Han}+$/u.test(v) ? undefined : 'phrase allows at most 5 Chinese characters'),
};

export function checkFieldValue(type: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'value must be a non-empty string';
  if (/[\r\n]/.test(value)) return 'value must not contain a line break';
  const rule = rules[type];
  if (!rule) return `unknown field type ${type}`;
  return rule(value, [...value].length);
}
