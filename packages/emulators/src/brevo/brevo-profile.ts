import type { ProviderProfile } from '@switchboard/testkit/faults';

/** Brevo's `{ code, message }` error body (`ErrorModel`). */
export interface BrevoErrorBody {
  code: string;
  message: string;
}

const ERRORS: Record<number, BrevoErrorBody> = {
  400: { code: 'bad_request', message: 'Bad request' },
  401: { code: 'unauthorized', message: 'Key not found' },
  402: { code: 'not_enough_credits', message: 'Not enough credits' },
  403: { code: 'permission_denied', message: 'Permission denied' },
  404: { code: 'document_not_found', message: 'Document not found' },
  405: { code: 'method_not_allowed', message: 'Method not allowed' },
  406: { code: 'not_acceptable', message: 'Not acceptable' },
  422: { code: 'unprocessable_entity', message: 'Unprocessable entity' },
};

/**
 * How Brevo writes rate limits and errors: `x-sib-ratelimit-limit`, `x-sib-ratelimit-remaining` and
 * `x-sib-ratelimit-reset` (seconds until the window resets) on every rate-limited response, a 429 with
 * a `{ code, message }` body and **no** `Retry-After`, and `{ code, message }` bodies for other errors.
 */
export const brevoProfile: ProviderProfile = {
  rateLimitHeaders(decision) {
    return {
      'x-sib-ratelimit-limit': String(decision.limit),
      'x-sib-ratelimit-remaining': String(decision.remaining),
      'x-sib-ratelimit-reset': String(Math.ceil(decision.retryAfterMs / 1000)),
    };
  },
  rateLimitedHeaders() {
    return {};
  },
  rateLimitedBody(): BrevoErrorBody {
    return { code: 'too_many_requests', message: 'The expected rate limit is exceeded.' };
  },
  errorBody(status): BrevoErrorBody {
    return ERRORS[status] ?? { code: 'internal_error', message: 'Internal server error' };
  },
};
