/**
 * Reading when to retry from response headers: `Retry-After` (seconds or HTTP date), the IETF
 * `RateLimit-*` family (Bluesky sends `RateLimit-Reset` as epoch seconds) and Brevo's
 * `x-sib-ratelimit-*` (reset as seconds from now).
 * @module
 */

/** Header names are lower-case. */
export type HeaderMap = Record<string, string | undefined>;

/** What the headers say about the rate limit. */
export interface RateLimitState {
  limit?: number;
  remaining?: number;
  /** When the window resets, epoch milliseconds (providers send whole seconds: ±1 s). */
  resetAt?: number;
  /** The window length from `RateLimit-Policy: <limit>;w=<seconds>`, in milliseconds. */
  windowMs?: number;
}

const EPOCH_SECONDS_THRESHOLD = 1_000_000_000;

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const number = Number(value.split(',')[0]);
  return Number.isFinite(number) ? number : undefined;
}

/** A reset value is epoch seconds when it is that large, otherwise seconds from now. */
function resetToEpochMs(value: number | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  return value >= EPOCH_SECONDS_THRESHOLD ? value * 1000 : now + value * 1000;
}

/** Parses `Retry-After` into milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Reads `RateLimit-*` or `x-sib-ratelimit-*` headers. */
export function parseRateLimit(headers: HeaderMap, now = Date.now()): RateLimitState {
  const pick = (name: string) =>
    headers[`ratelimit-${name}`] ?? headers[`x-ratelimit-${name}`] ?? headers[`x-sib-ratelimit-${name}`];
  const state: RateLimitState = {};
  const limit = toNumber(pick('limit'));
  const remaining = toNumber(pick('remaining'));
  const resetAt = resetToEpochMs(toNumber(pick('reset')), now);
  if (limit !== undefined) state.limit = limit;
  if (remaining !== undefined) state.remaining = remaining;
  if (resetAt !== undefined) state.resetAt = resetAt;
  const window = /(?:^|;)\s*w=(\d+(?:\.\d+)?)/.exec(pick('policy') ?? '')?.[1];
  if (window !== undefined) state.windowMs = Number(window) * 1000;
  return state;
}

/**
 * Milliseconds to wait before retrying, from `Retry-After`, else from the rate-limit reset.
 * `undefined` when the headers do not say.
 */
export function retryAfterMsFromHeaders(headers: HeaderMap, now = Date.now()): number | undefined {
  const retryAfter = parseRetryAfter(headers['retry-after'], now);
  if (retryAfter !== undefined) return retryAfter;
  const { resetAt } = parseRateLimit(headers, now);
  return resetAt === undefined ? undefined : Math.max(0, resetAt - now);
}
