import type { ProviderProfile } from '../faults/index.js';

const ERROR_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'invalid_token',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
};

/**
 * How the memory backend writes rate limits and errors: IETF `RateLimit-Limit/-Remaining/-Reset`
 * (reset in seconds from now) on every response while a limit is set, `Retry-After` in whole seconds
 * on a 429, and `{ error, message }` bodies.
 */
export const memoryProfile: ProviderProfile = {
  rateLimitHeaders(decision) {
    return {
      'ratelimit-limit': String(decision.limit),
      'ratelimit-remaining': String(decision.remaining),
      'ratelimit-reset': String(Math.ceil(decision.retryAfterMs / 1000)),
    };
  },
  rateLimitedHeaders(decision) {
    return { 'retry-after': String(Math.ceil(decision.retryAfterMs / 1000)) };
  },
  rateLimitedBody(decision) {
    return {
      error: 'rate_limited',
      message: `Too many requests; retry in ${Math.ceil(decision.retryAfterMs / 1000)} s.`,
    };
  },
  errorBody(status) {
    return { error: ERROR_CODES[status] ?? 'internal_error', message: `HTTP ${status}` };
  },
};
