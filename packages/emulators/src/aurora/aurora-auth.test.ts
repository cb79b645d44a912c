import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuroraEmulator, startAuroraEmulator } from './aurora-emulator.js';
import { auroraErrorText } from './aurora-error-bodies.js';
import type { AuroraApiVersion } from './aurora-http.js';
import { auroraTestClient } from './aurora-test-client.js';

const badRequest = { success: false, error: auroraErrorText.badRequest };
const authFailed = { success: false, error: auroraErrorText.authenticationFailed };

describe.each<AuroraApiVersion>(['v11', 'v5'])('Aurora emulator %s: accounts and tokens', (version) => {
  let emulator: AuroraEmulator;
  let client: ReturnType<typeof auroraTestClient>;
  beforeEach(async () => {
    emulator = await startAuroraEmulator({ users: [{ username: 'ann', password: 'pw-ann' }] });
    client = auroraTestClient(emulator.url, version);
  });
  afterEach(() => emulator.close());

  it('logs in with username and password, and the token opens the API', async () => {
    const login = await client.call('POST', '/login', { body: { username: 'ann', password: 'pw-ann' } });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ success: true, accessToken: expect.any(String) });
    const token = (login.body as { accessToken: string }).accessToken;
    expect((await client.call('GET', '/chats', { token })).status).toBe(200);
  });

  it('answers 401 with the documented literal for a wrong password, no token, or an unknown token', async () => {
    const wrong = await client.call('POST', '/login', { body: { username: 'ann', password: 'nope' } });
    expect([wrong.status, wrong.body]).toEqual([401, authFailed]);
    const none = await client.call('GET', '/chats');
    expect([none.status, none.body]).toEqual([401, authFailed]);
    const unknown = await client.call('GET', '/chats', { token: 'not-a-token' });
    expect([unknown.status, unknown.body]).toEqual([401, authFailed]);
  });

  it('answers 400 with the documented literal for a malformed login body', async () => {
    const missing = await client.call('POST', '/login', { body: { username: 'ann' } });
    expect([missing.status, missing.body]).toEqual([400, badRequest]);
    const notJson = await client.call('POST', '/login', { body: '{"username":' });
    expect([notJson.status, notJson.body]).toEqual([400, badRequest]);
  });

  it('signs up a new account once, then refuses the same username or email', async () => {
    const body = { username: 'bob', email: 'bob@example.com', password: 'pw-bob' };
    const signup = await client.call('POST', '/signup', { body });
    expect(signup.body).toEqual({ success: true, accessToken: expect.any(String) });
    expect(await client.login('bob', 'pw-bob')).toEqual(expect.any(String));
    const again = await client.call('POST', '/signup', { body: { ...body, username: 'bobby' } });
    // v5 declares `SignupFailedRequest`; v11's signup declares only the generic 400.
    expect([again.status, again.body]).toEqual([
      400,
      { success: false, error: version === 'v5' ? auroraErrorText.signupFailed : auroraErrorText.badRequest },
    ]);
  });

  it('keeps tokens valid until revoked, then answers 401 until the user logs in again', async () => {
    const token = await client.login('ann', 'pw-ann');
    emulator.revokeTokens('ann');
    const revoked = await client.call('GET', '/chats', { token });
    expect([revoked.status, revoked.body]).toEqual([401, authFailed]);
    const fresh = await client.login('ann', 'pw-ann');
    expect((await client.call('GET', '/chats', { token: fresh })).status).toBe(200);
  });

  it('answers unknown routes with a Fastify-style 404', async () => {
    const response = await client.call('GET', '/nope');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe('Aurora emulator v11: user info and quota', () => {
  it('reports the user and their message quota', async () => {
    const emulator = await startAuroraEmulator({ users: [{ username: 'ann', password: 'pw', quotaMax: 5 }] });
    try {
      const client = auroraTestClient(emulator.url, 'v11');
      const token = await client.login('ann', 'pw');
      const info = await client.call('GET', '/user/info', { token });
      expect(info.body).toEqual({
        success: true,
        username: 'ann',
        email: 'ann@example.com',
        autoExecuteTts: false,
      });
      emulator.exhaustQuota('ann');
      const quota = await client.call('GET', '/user/quota', { token });
      expect(quota.body).toMatchObject({ quotaUsed: 5, quotaMax: 5 });
      expect((await auroraTestClient(emulator.url, 'v5').call('GET', '/user/info', { token })).status).toBe(
        404,
      );
    } finally {
      await emulator.close();
    }
  });
});
