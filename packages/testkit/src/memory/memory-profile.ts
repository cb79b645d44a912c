import type { ProviderProfile } from '../faults/index.js';

const ERRORS: Record<number, { error: string; message: string }> = {
  400: { error: 'invalid_request', message: 'The request is invalid.' },
  401: { error: 'invalid_token', message: 'Missing or unknown access token.' },
  403: { error: 'forbidden', message: 'Not allowed.' },
  404: { error: 'not_found', message: 'Not found.' },
  409: { error: 'conflict', message: 'Conflict.' },
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
    return ERRORS[status] ?? { error: 'internal_error', message: 'Internal error.' };
  },
};
