import type { ProviderProfile } from '@switchboard/testkit/faults';

/**
 * XRPC default error names and messages per status (`@atproto/xrpc` `ResponseType` /
 * `ResponseTypeStrings`), except 502, which carries the PDS proxy's own message for an unreachable
 * upstream (`pipethrough.ts`).
 */
const XRPC_ERRORS: Record<number, readonly [error: string, message: string]> = {
  400: ['InvalidRequest', 'Invalid Request'],
  401: ['AuthenticationRequired', 'Authentication Required'],
  403: ['Forbidden', 'Forbidden'],
  404: ['XRPCNotSupported', 'XRPC Not Supported'],
  406: ['NotAcceptable', 'Not Acceptable'],
  413: ['PayloadTooLarge', 'Payload Too Large'],
  415: ['UnsupportedMediaType', 'Unsupported Media Type'],
  429: ['RateLimitExceeded', 'Rate Limit Exceeded'],
  500: ['InternalServerError', 'Internal Server Error'],
  501: ['MethodNotImplemented', 'Method Not Implemented'],
  502: ['UpstreamFailure', 'Upstream service unreachable'],
  503: ['NotEnoughResources', 'Not Enough Resources'],
  504: ['UpstreamTimeout', 'Upstream Timeout'],
};

/**
 * The XRPC error body for an HTTP status: `{ error, message }` with the default name of that status;
 * other statuses fall back like `httpResponseCodeToEnum` (4xx → `InvalidRequest`, else
 * `InternalServerError`).
 */
export function xrpcErrorBody(status: number): { error: string; message: string } {
  const [error, message] =
    XRPC_ERRORS[status] ?? (status >= 400 && status < 500 ? XRPC_ERRORS[400]! : XRPC_ERRORS[500]!);
  return { error, message };
}

/** The reference PDS's global limit: 3000 requests per 5 minutes per IP (spec §5.3). */
export const BLUESKY_PDS_RATE_LIMIT = { limit: 3000, windowMs: 300_000 } as const;

const ceilSeconds = (ms: number) => Math.ceil(ms / 1000);

/**
 * How the Bluesky PDS writes rate limits and errors, for the shared fault kit
 * (`rate-limiter-http.ts` `setStatusHeaders`): `RateLimit-Limit`, `RateLimit-Remaining`,
 * `RateLimit-Reset` (epoch seconds) and `RateLimit-Policy` (`<limit>;w=<window seconds>`) on every
 * response; `Retry-After` (seconds) and `{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}`
 * on a 429; XRPC default error bodies for injected statuses.
 */
export const blueskyProfile: ProviderProfile = {
  rateLimitHeaders: (decision) => ({
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(Math.floor(decision.resetAt / 1000)),
    'RateLimit-Policy': `${decision.limit};w=${ceilSeconds(decision.windowMs)}`,
  }),
  rateLimitedHeaders: (decision) => ({ 'Retry-After': String(ceilSeconds(decision.retryAfterMs)) }),
  rateLimitedBody: () => xrpcErrorBody(429),
  errorBody: (status) => xrpcErrorBody(status),
  // XRPC's 404 means "method not served"; a missing convo is 400 InvalidConvo (bluesky-xrpc-error.ts).
  notFound: { status: 400, body: { error: 'InvalidConvo', message: 'Convo not found' } },
};
