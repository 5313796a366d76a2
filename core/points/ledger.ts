import type { LedgerEntryDoc, LedgerReason } from '../../typings/documents';
import type { BusinessDay } from '../time/beijing';
import { expiryDay } from './expiry';

/** An earning: points issued to the member, valid until the end of the expiry horizon. */
export function earning(
  key: string,
  openid: string,
  points: number,
  reason: LedgerReason,
  sourceRef: string,
  at: Date,
  day: BusinessDay,
): LedgerEntryDoc {
  if (!Number.isInteger(points) || points <= 0) throw new RangeError(`earning must be a positive integer, got ${points}`);
  return { _id: key, openid, delta: points, counterparty: 'system:issuance', reason, sourceRef, at, day, expiresOn: expiryDay(day) };
}

/** A member's balance is the sum of their entries' deltas. */
export function balanceOf(entries: Iterable<Pick<LedgerEntryDoc, 'delta'>>): number {
  let balance = 0;
  for (const entry of entries) balance += entry.delta;
  return balance;
}

/** A spend: points leave the member for `system:redemption`. */
export function spending(key: string, openid: string, points: number, sourceRef: string, at: Date, day: BusinessDay): LedgerEntryDoc {
  if (!Number.isInteger(points) || points <= 0) throw new RangeError(`spending must be a positive integer, got ${points}`);
  return { _id: key, openid, delta: -points, counterparty: 'system:redemption', reason: 'redemption', sourceRef, at, day, expiresOn: null };
}

/** Points that reached the end of their validity on `expiresOn` leave for `system:expiry`; one line per member and expiry day. */
export function expiring(openid: string, points: number, expiresOn: BusinessDay, at: Date, day: BusinessDay): LedgerEntryDoc {
  return {
    _id: `expiry:${openid}:${expiresOn}`,
    openid,
    delta: -points,
    counterparty: 'system:expiry',
    reason: 'expiry',
    sourceRef: expiresOn,
    at,
    day,
    expiresOn: null,
  };
}

/** Points given back (a cancelled order): the spend reversed, earning a fresh lot. */
export function refund(key: string, openid: string, points: number, sourceRef: string, at: Date, day: BusinessDay): LedgerEntryDoc {
  return { ...earning(key, openid, points, 'reversal', sourceRef, at, day), counterparty: 'system:redemption' };
}

/** Earned points taken back (the purchase that earned them was refunded): they return to `system:issuance`. */
export function clawback(key: string, openid: string, points: number, sourceRef: string, at: Date, day: BusinessDay): LedgerEntryDoc {
  if (!Number.isInteger(points) || points <= 0) throw new RangeError(`clawback must be a positive integer, got ${points}`);
  return { _id: key, openid, delta: -points, counterparty: 'system:issuance', reason: 'reversal', sourceRef, at, day, expiresOn: null };
}

/**
 * Earned points taken back (what earned them was refunded) as far as the balance allows —
 * never below zero; the rest is forgiven. The line, if any points come back, is `key`.
 */
export function takeBack(
  key: string,
  openid: string,
  earned: number,
  balance: number,
  sourceRef: string,
  at: Date,
  day: BusinessDay,
): { lines: LedgerEntryDoc[]; takenBack: number; forgiven: number } {
  const takenBack = Math.min(earned, Math.max(0, balance));
  return { lines: takenBack > 0 ? [clawback(key, openid, takenBack, sourceRef, at, day)] : [], takenBack, forgiven: earned - takenBack };
}
