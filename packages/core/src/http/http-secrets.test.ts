import { describe, expect, it } from 'vitest';
import { collectSecrets, redactBody } from './http-secrets.js';

describe('collectSecrets', () => {
  it('takes the given secrets, credential headers and their token, each percent-encoded too, longest first', () => {
    const secrets = collectSecrets(
      { authorization: 'Bearer tok/en+1', accept: 'application/json', 'api-key': 'k3y-value' },
      ['pass word', undefined, ''],
    );
    expect(secrets).toEqual(
      expect.arrayContaining([
        'Bearer tok/en+1',
        'tok/en+1',
        encodeURIComponent('tok/en+1'),
        'k3y-value',
        'pass word',
        'pass%20word',
      ]),
    );
    expect(secrets).not.toContain('application/json');
    expect(secrets).toEqual([...secrets].sort((a, b) => b.length - a.length));
  });
});

describe('redactBody', () => {
  it('scrubs every string of a parsed body, keys and nested values included, without touching the input', () => {
    const body = {
      error: 'bad-token-abc123456',
      detail: [{ loc: ['abc123456'], msg: 'x' }],
      abc123456: 1,
      n: 2,
    };
    expect(redactBody(body, ['abc123456'])).toEqual({
      error: 'bad-token-[REDACTED]',
      detail: [{ loc: ['[REDACTED]'], msg: 'x' }],
      '[REDACTED]': 1,
      n: 2,
    });
    expect(body.error).toBe('bad-token-abc123456');
    expect(redactBody('plain abc123456', ['abc123456'])).toBe('plain [REDACTED]');
  });
});
