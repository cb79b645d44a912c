import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from './errors.js';
import { invalidRequest } from './invalid-request.js';

describe('invalidRequest', () => {
  it('names the input in the message and in one issue, provider switchboard by default', () => {
    const error = invalidRequest('limit', 'must be at most 100');
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toBe('Invalid limit: must be at most 100');
    expect(error.provider).toBe('switchboard');
    expect(error.issues).toEqual([{ path: 'limit', message: 'must be at most 100' }]);
    expect(error.retryable).toBe(false);
  });

  it('prefixes the provider when one is given', () => {
    const error = invalidRequest('options.pollIntervalMs', 'must be a positive integer.', {
      provider: 'acme',
    });
    expect(error.message).toBe('acme: must be a positive integer.');
    expect(error.provider).toBe('acme');
    expect(error.issues).toEqual([
      { path: 'options.pollIntervalMs', message: 'must be a positive integer.' },
    ]);
  });
});
