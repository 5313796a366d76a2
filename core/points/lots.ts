import type { LedgerEntryDoc } from '../../typings/documents';
import type { BusinessDay } from '../time/beijing';

/** Points earned together that expire together, and how many of them are left. */
export interface Lot {
  expiresOn: BusinessDay;
  remaining: number;
}

/**
 * Lots left after every debit (redemption, expiry) consumed the oldest points first.
 * Entries may come in any order; earnings sort by expiry, debits apply in time order.
 */
export function remainingLots(entries: readonly Pick<LedgerEntryDoc, 'delta' | 'expiresOn' | 'at'>[]): Lot[] {
  const byExpiry = new Map<string, number>();
  for (const e of entries) {
    if (e.delta > 0 && e.expiresOn) byExpiry.set(e.expiresOn, (byExpiry.get(e.expiresOn) ?? 0) + e.delta);
  }
  const lots = [...byExpiry].sort(([a], [b]) => (a < b ? -1 : 1)).map(([expiresOn, remaining]) => ({ expiresOn, remaining }));
  let debt = -entries.filter((e) => e.delta < 0).reduce((sum, e) => sum + e.delta, 0);
  for (const lot of lots) {
    const used = Math.min(lot.remaining, debt);
    lot.remaining -= used;
    debt -= used;
  }
  return lots.filter((lot) => lot.remaining > 0);
}

/** Points whose last valid day is before `today`, per expiry day: what the expiry run removes. */
export function expiredLots(entries: readonly Pick<LedgerEntryDoc, 'delta' | 'expiresOn' | 'at'>[], today: BusinessDay): Lot[] {
  return remainingLots(entries).filter((lot) => lot.expiresOn < today);
}

/** The next points to expire, for the member to see. */
export function nextExpiry(entries: readonly Pick<LedgerEntryDoc, 'delta' | 'expiresOn' | 'at'>[], today: BusinessDay): Lot | null {
  return remainingLots(entries).find((lot) => lot.expiresOn >= today) ?? null;
}
