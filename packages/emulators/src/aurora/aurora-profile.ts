import { STATUS_CODES } from 'node:http';
import type { ProviderProfile } from '@switchboard/testkit/faults';
import { auroraErrorBody, auroraErrorText } from './aurora-error-bodies.js';

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * How Aurora writes rate limits and errors, for the shared fault kit.
 *
 * The SDK documents no rate-limit headers. Its generic 429 body `{ statusCode, error, message }` is the
 * body of `@fastify/rate-limit`, so the emulator sends that plugin's default headers too
 * (`x-ratelimit-limit`, `x-ratelimit-remaining`, `x-ratelimit-reset` in seconds, and `retry-after` in
 * seconds on a 429). Injected 4xx statuses carry the documented literals (402: the seed-era
 * "bad standing" answer; 429: the quota literal); other statuses carry Fastify's default error body.
 */
export const auroraProfile: ProviderProfile = {
  rateLimitHeaders: (decision) => ({
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': String(decision.remaining),
    'x-ratelimit-reset': String(seconds(decision.retryAfterMs)),
  }),
  rateLimitedHeaders: (decision) => ({ 'retry-after': String(seconds(decision.retryAfterMs)) }),
  rateLimitedBody: (decision) => ({
    statusCode: 429,
    error: 'Too Many Requests',
    message: `Rate limit exceeded, retry in ${seconds(decision.retryAfterMs)} seconds`,
  }),
  errorBody: (status) => {
    switch (status) {
      case 400:
        return auroraErrorBody(auroraErrorText.badRequest);
      case 401:
        return auroraErrorBody(auroraErrorText.authenticationFailed);
      case 402:
        return auroraErrorBody(auroraErrorText.accountInBadStanding);
      case 403:
        return auroraErrorBody(auroraErrorText.privateCharacter);
      case 429:
        return auroraErrorBody(auroraErrorText.quotaExceeded);
      default:
        return fastifyErrorBody(status, STATUS_CODES[status] ?? 'Error');
    }
  },
};

/** Fastify's default error body, which the Aurora server (a Fastify app, judging by its 429) sends for other errors. */
export function fastifyErrorBody(status: number, message: string) {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
}
