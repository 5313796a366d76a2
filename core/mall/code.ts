import { createHmac, randomBytes, randomInt } from 'node:crypto';

/**
 * The code a member shows at the till: the coupon's 8-digit serial followed by a 6-digit
 * one-time password (RFC 6238 TOTP, HMAC-SHA1, 60-second steps) from a per-coupon secret
 * that never leaves the server. A code stops working after its step (plus one step of
 * grace for a code shown at second 59), so a screenshot is useless the next minute.
 */
const CODE_STEP_MS = 60_000;
export const COUPON_SERIAL_DIGITS = 8;
/** Member codes (会员码) are longer, so a till tells them from coupon codes by length. */
export const MEMBER_SERIAL_DIGITS = 10;
const OTP_DIGITS = 6;

export function oneTimePassword(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', Buffer.from(secret, 'hex')).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** OTP_DIGITS).padStart(OTP_DIGITS, '0');
}

export function stepAt(now: Date): number {
  return Math.floor(now.getTime() / CODE_STEP_MS);
}

/** The code for `now`, and when it stops being shown (the next step). */
export function currentCode(serial: string, secret: string, now: Date): { code: string; refreshAt: Date } {
  const step = stepAt(now);
  return { code: serial + oneTimePassword(secret, step), refreshAt: new Date((step + 1) * CODE_STEP_MS) };
}

/** A typed or scanned code: digits only (spaces ignored), serial then password. */
export function parseCode(text: string, serialDigits = COUPON_SERIAL_DIGITS): { serial: string; otp: string } | null {
  const digits = text.replace(/\s+/g, '');
  if (!new RegExp(`^\\d{${serialDigits + OTP_DIGITS}}$`).test(digits)) return null;
  return { serial: digits.slice(0, serialDigits), otp: digits.slice(serialDigits) };
}

/** Whether `otp` is the password of the current step or the one before. */
export function verifyPassword(secret: string, otp: string, now: Date): boolean {
  const step = stepAt(now);
  return otp === oneTimePassword(secret, step) || otp === oneTimePassword(secret, step - 1);
}

/** A random serial for a new coupon or member code (the caller checks it is free). */
export function randomSerial(digits = COUPON_SERIAL_DIGITS): string {
  return String(randomInt(10 ** digits)).padStart(digits, '0');
}

export function newSecret(): string {
  return randomBytes(20).toString('hex');
}
