export type CellKind = 'checkin' | 'makeup' | 'missable' | 'missed' | 'today' | 'future' | 'blank';

export interface Cell {
  day: string;
  date: number | null;
  kind: CellKind;
}

/**
 * A `YYYY-MM` month laid out Monday-first, each day marked for the calendar page:
 * checked, made up, can still be made up, missed, today (not yet checked) or future.
 * Days are Beijing business days as the server sends them; no clock is read here.
 */
export function monthGrid(month: string, today: string, marked: ReadonlyMap<string, 'checkin' | 'makeup'>, missable: ReadonlySet<string>): Cell[] {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const daysInMonth = new Date(Date.UTC(year, m, 0)).getUTCDate();
  const lead = (new Date(Date.UTC(year, m - 1, 1)).getUTCDay() + 6) % 7;
  const cells: Cell[] = Array.from({ length: lead }, () => ({ day: '', date: null, kind: 'blank' }));
  for (let date = 1; date <= daysInMonth; date++) {
    const day = `${month}-${String(date).padStart(2, '0')}`;
    const kind: CellKind = marked.get(day) ?? (missable.has(day) ? 'missable' : day === today ? 'today' : day > today ? 'future' : 'missed');
    cells.push({ day, date, kind });
  }
  return cells;
}
