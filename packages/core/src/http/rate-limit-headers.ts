/**
 * Reading when to retry from response headers: `Retry-After` (seconds or HTTP date) and the IETF
 * `RateLimit-*` family (also sent as `X-RateLimit-*`; the reset either epoch seconds or seconds
 * from now). A provider with its own header names plugs in through `HttpClientOptions.readRateLimit`.
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

/** Header name prefixes {@link parseRateLimit} reads by default, first match wins. */
export const RATE_LIMIT_HEADER_PREFIXES: readonly string[] = ['ratelimit-', 'x-ratelimit-'];

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

/**
 * Reads `<prefix>limit`, `<prefix>remaining`, `<prefix>reset` (epoch seconds when ≥ 10⁹, else
 * seconds from now) and `<prefix>policy` (`<limit>;w=<seconds>`), for the first of `prefixes` that
 * has each header. Default prefixes: `ratelimit-`, `x-ratelimit-` ({@link RATE_LIMIT_HEADER_PREFIXES}).
 */
export function parseRateLimit(
  headers: HeaderMap,
  now = Date.now(),
  prefixes: readonly string[] = RATE_LIMIT_HEADER_PREFIXES,
): RateLimitState {
  const pick = (name: string) => {
    for (const prefix of prefixes) {
      const value = headers[`${prefix}${name}`];
      if (value !== undefined) return value;
    }
    return undefined;
  };
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
 * Milliseconds to wait before retrying, from `Retry-After`, else from the rate-limit reset (read
 * with `readRateLimit`, default {@link parseRateLimit}). `undefined` when the headers do not say.
 */
export function retryAfterMsFromHeaders(
  headers: HeaderMap,
  now = Date.now(),
  readRateLimit: (headers: HeaderMap, now: number) => RateLimitState = parseRateLimit,
): number | undefined {
  const retryAfter = parseRetryAfter(headers['retry-after'], now);
  if (retryAfter !== undefined) return retryAfter;
  const { resetAt } = readRateLimit(headers, now);
  return resetAt === undefined ? undefined : Math.max(0, resetAt - now);
}
