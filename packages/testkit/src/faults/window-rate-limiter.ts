/** Options of {@link createWindowRateLimiter}. */
export interface WindowRateLimiterOptions {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in milliseconds. */
  windowMs: number;
  /** Clock, for tests. Defaults to `Date.now`. */
  now?: () => number;
}

/** The limiter's verdict for one request, with what the provider's headers report. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in the current window after this one. */
  remaining: number;
  /** When the current window ends, epoch milliseconds. */
  resetAt: number;
  /** Milliseconds until the window ends (what a `Retry-After` should say). */
  retryAfterMs: number;
  /** Window length in milliseconds. */
  windowMs: number;
}

/** A fixed-window rate limiter, like the ones providers put in front of their APIs. */
export interface WindowRateLimiter {
  /** Counts one request and says whether it is allowed. */
  take(): RateLimitDecision;
  /** What `take()` would report, without counting a request. */
  peek(): RateLimitDecision;
  reset(): void;
}

/** Creates a fixed-window limiter: `limit` requests per `windowMs`, windows aligned to the first request. */
export function createWindowRateLimiter(options: WindowRateLimiterOptions): WindowRateLimiter {
  if (!(options.limit > 0) || !(options.windowMs > 0)) throw new RangeError('limit and windowMs must be > 0');
  const now = options.now ?? Date.now;
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;
  const roll = () => {
    const t = now();
    if (t >= windowStart + options.windowMs) {
      windowStart = t;
      used = 0;
    }
    return t;
  };
  const decision = (t: number, allowed: boolean): RateLimitDecision => {
    const resetAt = windowStart + options.windowMs;
    return {
      allowed,
      limit: options.limit,
      remaining: Math.max(0, options.limit - used),
      resetAt,
      retryAfterMs: Math.max(0, resetAt - t),
      windowMs: options.windowMs,
    };
  };
  return {
    take() {
      const t = roll();
      if (used >= options.limit) return decision(t, false);
      used += 1;
      return decision(t, true);
    },
    peek() {
      return decision(roll(), used < options.limit);
    },
    reset() {
      windowStart = Number.NEGATIVE_INFINITY;
      used = 0;
    },
  };
}
