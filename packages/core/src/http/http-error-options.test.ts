import { describe, expect, it } from 'vitest';
import { RateLimitError } from '../errors.js';
import { httpErrorOptions } from './http-error-options.js';
import type { HttpErrorContext } from './map-http-error.js';

const context: HttpErrorContext = {
  provider: 'acme',
  status: 429,
  body: {},
  headers: {},
  method: 'POST',
  url: 'https://api.acme.test/v1/messages',
};

describe('httpErrorOptions', () => {
  it('copies provider, status, method and url, and leaves out what is unknown', () => {
    expect(httpErrorOptions(context)).toEqual({
      provider: 'acme',
      status: 429,
      method: 'POST',
      url: 'https://api.acme.test/v1/messages',
    });
  });

  it('keeps providerCode and retryAfterMs, so the built error still drives the wait before a retry', () => {
    const options = httpErrorOptions({ ...context, providerCode: 'too_many', retryAfterMs: 1500 });
    expect(options).toMatchObject({ providerCode: 'too_many', retryAfterMs: 1500 });
    expect(new RateLimitError('acme: slow down', options).retryAfterMs).toBe(1500);
  });

  it('merges extra options last', () => {
    expect(httpErrorOptions({ ...context, retryAfterMs: 10 }, { retryable: false })).toMatchObject({
      retryAfterMs: 10,
      retryable: false,
    });
  });
});
