/**
 * Tencent SCF timer cron: 7 fields (second minute hour day-of-month month day-of-week
 * year), evaluated in UTC+8. Supports `*`, values, ranges, lists, steps and the
 * MON…SUN / JAN…DEC names. Day-of-week: 0 or 7 = Sunday.
 */
const BEIJING_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  values: Set<number>;
  any: boolean;
}

export interface CronSchedule {
  second: Field;
  minute: Field;
  hour: Field;
  day: Field;
  month: Field;
  weekday: Field;
  year: Field;
}

function parseField(text: string, min: number, max: number, names: string[] = [], nameBase = 0): Field {
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const n = named >= 0 ? named + nameBase : Number(token);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`cron value ${token} out of range ${min}-${max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad cron step in ${part}`);
    const [from, to] =
      range === '*' ? [min, max] : range.includes('-') ? range.split('-').map(value) : [value(range), stepText ? max : value(range)];
    for (let v = from as number; v <= (to as number); v += step) values.add(v);
  }
  return { values, any: text === '*' };
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 7) throw new Error(`timer cron needs 7 fields (sec min hour day month weekday year): ${expression}`);
  const [second, minute, hour, day, month, weekday, year] = parts as [string, string, string, string, string, string, string];
  const weekdays = parseField(weekday, 0, 7, WEEKDAYS);
  if (weekdays.values.has(7)) weekdays.values.add(0);
  return {
    second: parseField(second, 0, 59),
    minute: parseField(minute, 0, 59),
    hour: parseField(hour, 0, 23),
    day: parseField(day, 1, 31),
    month: parseField(month, 1, 12, MONTHS, 1),
    weekday: weekdays,
    year: parseField(year, 1970, 2199),
  };
}

function dayMatches(s: CronSchedule, wall: Date): boolean {
  if (!s.year.values.has(wall.getUTCFullYear()) || !s.month.values.has(wall.getUTCMonth() + 1)) return false;
  const dom = s.day.values.has(wall.getUTCDate());
  const dow = s.weekday.values.has(wall.getUTCDay());
  if (s.day.any || s.weekday.any) return dom && dow;
  return dom || dow;
}

/** The first fire time strictly after `after`, or undefined within the next 5 years. */
export function nextFire(s: CronSchedule, after: Date): Date | undefined {
  const wallAfter = after.getTime() + BEIJING_OFFSET_MS;
  const firstDay = Math.floor(wallAfter / DAY_MS) * DAY_MS;
  const sorted = (f: Field) => [...f.values].sort((a, b) => a - b);
  const [hours, minutes, seconds] = [sorted(s.hour), sorted(s.minute), sorted(s.second)];
  for (let day = firstDay; day < firstDay + 5 * 366 * DAY_MS; day += DAY_MS) {
    if (!dayMatches(s, new Date(day))) continue;
    for (const h of hours)
      for (const m of minutes)
        for (const sec of seconds) {
          const wall = day + ((h * 60 + m) * 60 + sec) * 1000;
          if (wall > wallAfter) return new Date(wall - BEIJING_OFFSET_MS);
        }
  }
  return undefined;
}
