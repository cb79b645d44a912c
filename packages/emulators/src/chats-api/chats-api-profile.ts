import { STATUS_CODES } from 'node:http';
import type { ProviderProfile } from '@switchboard/testkit/faults';

/**
 * How the chats API fails, for the shared fault kit.
 *
 * The real server has no rate limiting at all, so its 429 is ours to define [DEFINE]. We answer as a
 * FastAPI app behind the usual `slowapi`-style limiter would, with FastAPI's `HTTPException` body:
 * - every response while a limit is configured: `X-RateLimit-Limit`, `X-RateLimit-Remaining`,
 *   `X-RateLimit-Reset` (epoch seconds when the window ends);
 * - a 429: those, plus `Retry-After` (whole seconds, rounded up) and `{"detail": "Too Many Requests"}`.
 *
 * Injected error statuses answer `{"detail": <HTTP reason phrase>}` (`{"detail": "Internal Server
 * Error"}`, …), except 401, which answers the server's own `{"detail": "Invalid token"}`.
 */
export const chatsApiProfile: ProviderProfile = {
  rateLimitHeaders: (decision) => ({
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(Math.ceil(decision.resetAt / 1000)),
  }),
  rateLimitedHeaders: (decision) => ({ 'Retry-After': String(Math.ceil(decision.retryAfterMs / 1000)) }),
  rateLimitedBody: () => ({ detail: 'Too Many Requests' }),
  errorBody: (status) => ({ detail: status === 401 ? 'Invalid token' : (STATUS_CODES[status] ?? 'Error') }),
};
