import { InvalidRequestError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { resolveAuroraCredentials, resolveAuroraTimeouts } from './aurora-options.js';

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

describe('resolveAuroraTimeouts', () => {
  it('defaults to 30 s per request, 60 s for a reply to start and 30 s of silence within it', () => {
    expect(resolveAuroraTimeouts({})).toEqual({
      timeoutMs: 30_000,
      firstByteTimeoutMs: 60_000,
      idleTimeoutMs: 30_000,
    });
    expect(resolveAuroraTimeouts({ firstByteTimeoutMs: 120_000, idleTimeoutMs: 5 })).toMatchObject({
      firstByteTimeoutMs: 120_000,
      idleTimeoutMs: 5,
    });
  });

  it('refuses a deadline that is not a whole number of milliseconds from 1 to 2^31 - 1, naming it', () => {
    for (const bad of [
      0,
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      2 ** 31,
      '100' as unknown as number,
    ]) {
      let error: unknown;
      try {
        resolveAuroraTimeouts({ idleTimeoutMs: bad });
      } catch (caught) {
        error = caught;
      }
      expect(InvalidRequestError.isInstance(error), String(bad)).toBe(true);
      expect((error as InvalidRequestError).issues).toEqual([
        { path: 'idleTimeoutMs', message: expect.stringContaining('whole number of milliseconds') },
      ]);
    }
  });
});
