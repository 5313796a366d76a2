import { z } from 'zod';

/** The id a client makes for one intent (one tap); a retry sends it again, so the server can answer it once. */
export const requestIdSchema = z.lazy(() => z.string().regex(/^[A-Za-z0-9_-]{8,64}$/));

/**
 * Whether a repeated request carries the payload its idempotency key was first used with:
 * every field of `request` equal in `stored`. A key is bound to one request; sending it
 * with another payload is a client bug to report (IDEMPOTENCY_KEY_REUSED), never a replay.
 */
export function samePayload(stored: object, request: Record<string, unknown>): boolean {
  return Object.entries(request).every(([key, value]) => (stored as Record<string, unknown>)[key] === value);
}
