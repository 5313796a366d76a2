export type CellKind = 'checkin' | 'makeup' | 'missable' | 'missed' | 'today' | 'future' | 'before' | 'blank';

export interface Cell {
  day: string;
  date: number | null;
  kind: CellKind;
  /** What the cell says besides its date, so no state depends on colour alone. */
  mark: string;
  /** Read out by screen readers. */
  label: string;
}

const MARKS: Record<CellKind, string> = {
  checkin: '✓',
  makeup: '补',
  missable: '可补',
  missed: '漏',
  today: '今',
  future: '',
  before: '',
  blank: '',
};
const LABELS: Record<CellKind, string> = {
  checkin: '已签到',
  makeup: '已补签',
  missable: '未签到，可补签',
  missed: '未签到',
  today: '今天，未签到',
  future: '未到',
  before: '注册之前',
  blank: '',
};

/** The next or previous `YYYY-MM` month. */
export function shiftMonth(month: string, by: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(year, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * A `YYYY-MM` month laid out Monday-first, each day marked for the calendar page:
 * checked, made up, can be made up now, missed, today (not yet checked), future, or
 * before the member registered (`since`: not missed — they were not a member yet).
 * Days are Beijing business days as the server sends them; no clock is read here.
 */
export function monthGrid(
  month: string,
  today: string,
  marked: ReadonlyMap<string, 'checkin' | 'makeup'>,
  missable: ReadonlySet<string>,
  since: string,
): Cell[] {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const daysInMonth = new Date(Date.UTC(year, m, 0)).getUTCDate();
  const lead = (new Date(Date.UTC(year, m - 1, 1)).getUTCDay() + 6) % 7;
  const cells: Cell[] = Array.from({ length: lead }, () => ({ day: '', date: null, kind: 'blank', mark: '', label: '' }));
  for (let date = 1; date <= daysInMonth; date++) {
    const day = `${month}-${String(date).padStart(2, '0')}`;
    const kind: CellKind =
      marked.get(day) ??
      (missable.has(day) ? 'missable' : day === today ? 'today' : day > today ? 'future' : day < since ? 'before' : 'missed');
    cells.push({ day, date, kind, mark: MARKS[kind], label: `${m}月${date}日 ${LABELS[kind]}` });
  }
  return cells;
}
