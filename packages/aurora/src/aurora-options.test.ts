import { InvalidRequestError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { resolveAuroraCredentials } from './aurora-options.js';

describe('resolveAuroraCredentials', () => {
  it('prefers explicit options over the environment', () => {
    const env = { AURORA_USERNAME: 'env-user', AURORA_PASSWORD: 'env-pw' };
    expect(resolveAuroraCredentials({ username: 'ann', password: 'pw' }, env)).toEqual({
      username: 'ann',
      password: 'pw',
    });
  });

  it('falls back to AURORA_USERNAME, AURORA_PASSWORD and AURORA_ACCESS_TOKEN, field by field', () => {
    expect(resolveAuroraCredentials({ username: 'ann' }, { AURORA_PASSWORD: 'env-pw' })).toEqual({
      username: 'ann',
      password: 'env-pw',
    });
    expect(resolveAuroraCredentials({}, { AURORA_ACCESS_TOKEN: 'tok-123' })).toEqual({
      accessToken: 'tok-123',
    });
  });

  it('keeps username and password next to a token (used to log in again when the token is rejected)', () => {
    expect(resolveAuroraCredentials({ accessToken: 'tok-123', username: 'ann', password: 'pw' }, {})).toEqual(
      {
        accessToken: 'tok-123',
        username: 'ann',
        password: 'pw',
      },
    );
    expect(resolveAuroraCredentials({ accessToken: 'tok-123', username: 'ann' }, {})).toEqual({
      accessToken: 'tok-123',
      username: 'ann',
    });
  });

  it('throws an InvalidRequestError naming the options and the variables when nothing is found', () => {
    const error = (() => {
      try {
        resolveAuroraCredentials({ username: 'ann' }, {});
      } catch (caught) {
        return caught;
      }
    })();
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    const { message } = error as InvalidRequestError;
    for (const name of [
      'username',
      'password',
      'accessToken',
      'AURORA_USERNAME',
      'AURORA_PASSWORD',
      'AURORA_ACCESS_TOKEN',
    ])
      expect(message).toContain(name);
  });
});
