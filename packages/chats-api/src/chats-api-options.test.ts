import { InvalidRequestError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { resolveChatsApiOptions } from './chats-api-options.js';

describe('resolveChatsApiOptions', () => {
  it('takes explicit options first, then the environment', () => {
    const env = {
      CHATS_API_URL: 'https://env.example',
      CHATS_API_USERNAME: 'env-user',
      CHATS_API_PASSWORD: 'env-pass',
    };
    expect(resolveChatsApiOptions({}, env)).toMatchObject({
      baseUrl: 'https://env.example',
      wsUrl: 'wss://env.example/ws',
      credentials: { kind: 'password', username: 'env-user', password: 'env-pass' },
    });
    expect(
      resolveChatsApiOptions({ baseUrl: 'http://x.test/', username: 'me', password: 'pw' }, env),
    ).toMatchObject({
      baseUrl: 'http://x.test',
      wsUrl: 'ws://x.test/ws',
      credentials: { username: 'me', password: 'pw' },
    });
    expect(resolveChatsApiOptions({ accessToken: 'tok' }, env).credentials).toEqual({
      kind: 'token',
      accessToken: 'tok',
    });
    expect(
      resolveChatsApiOptions({}, { CHATS_API_URL: 'http://x.test', CHATS_API_TOKEN: 'env-tok' }).credentials,
    ).toEqual({
      kind: 'token',
      accessToken: 'env-tok',
    });
  });

  it('names both the option and the variable when something is missing', () => {
    expect(() => resolveChatsApiOptions({}, {})).toThrow(/`baseUrl` or set CHATS_API_URL/);
    const error = (() => {
      try {
        resolveChatsApiOptions({ baseUrl: 'http://x.test', username: 'me' }, {});
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(/`password`.*CHATS_API_PASSWORD.*CHATS_API_TOKEN/);
  });

  it('rejects malformed URLs and intervals', () => {
    expect(() => resolveChatsApiOptions({ baseUrl: 'ftp://x', accessToken: 't' }, {})).toThrow(
      InvalidRequestError,
    );
    expect(() =>
      resolveChatsApiOptions({ baseUrl: 'http://x.test', accessToken: 't', pingIntervalMs: 0 }, {}),
    ).toThrow(/pingIntervalMs/);
  });
});
