/**
 * Whether a repeated request carries the payload its idempotency key was first used with:
 * every field of `request` equal in `stored`. A key is bound to one request; sending it
 * with another payload is a client bug to report (IDEMPOTENCY_KEY_REUSED), never a replay.
 */
export function samePayload(stored: object, request: Record<string, unknown>): boolean {
  return Object.entries(request).every(([key, value]) => (stored as Record<string, unknown>)[key] === value);
}
