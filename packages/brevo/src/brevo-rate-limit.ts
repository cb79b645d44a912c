import { type HeaderMap, parseRateLimit, type RateLimitState } from '@switchboard/core/http';

/**
 * Brevo's rate-limit headers, for `createHttpClient({ readRateLimit })`: `x-sib-ratelimit-limit`,
 * `x-sib-ratelimit-remaining` and `x-sib-ratelimit-reset` (seconds from now until the window
 * resets). They drive the client's wait when the budget is spent, and the `retryAfterMs` of a 429
 * that has no `Retry-After`.
 */
export function readBrevoRateLimit(headers: HeaderMap, now: number): RateLimitState {
  return parseRateLimit(headers, now, ['x-sib-ratelimit-']);
}
