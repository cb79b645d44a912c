import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { errorClasses, InvalidRequestError, RateLimitError, SwitchboardError } from './errors.js';

describe('SwitchboardError', () => {
  it('isInstance matches by marker and code, across classes', () => {
    const error = new RateLimitError('slow down', { provider: 'bluesky', status: 429, retryAfterMs: 1500.4 });
    expect(SwitchboardError.isInstance(error)).toBe(true);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(InvalidRequestError.isInstance(error)).toBe(false);
    expect(SwitchboardError.isInstance(new Error('x'))).toBe(false);
    expect(error.retryAfterMs).toBe(1500);
    expect(error.retryable).toBe(true);
    expect(error.name).toBe('RateLimitError');
  });

  it('isInstance recognises an error from another copy of the package (same marker, other class)', () => {
    const foreign = Object.assign(new Error('x'), { code: 'rate_limited' });
    Object.defineProperty(foreign, Symbol.for('@switchboard/core/error'), { value: true });
    expect(RateLimitError.isInstance(foreign)).toBe(true);
  });

  it('every class carries its code and a default retryable flag', () => {
    for (const [code, Class] of Object.entries(errorClasses)) {
      const error = new Class('m');
      expect(error.code).toBe(code);
      expect(Class.isInstance(error)).toBe(true);
      expect(typeof error.retryable).toBe('boolean');
    }
  });

  it('toJSON and inspect show the public fields and the cause summary only', () => {
    const error = new InvalidRequestError('bad', {
      provider: 'chats-api',
      status: 422,
      issues: [{ path: 'body.text', message: 'too long' }],
      cause: new Error('inner'),
    });
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toMatchObject({ code: 'invalid_request', status: 422, cause: { message: 'inner' } });
    expect(json.issues).toHaveLength(1);
    expect(inspect(error)).toContain('InvalidRequestError: bad');
  });
});
