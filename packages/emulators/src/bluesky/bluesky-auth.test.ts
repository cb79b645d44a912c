import { afterEach, describe, expect, it } from 'vitest';
import { blueskyAccount, blueskyAccounts } from '../../test/test-accounts.js';
import { callXrpc, login } from './bluesky-test-client.js';
import { type BlueskyEmulator, type BlueskyEmulatorOptions, startBlueskyEmulator } from './index.js';

let emulator: BlueskyEmulator;
let clock = Date.parse('2026-08-20T12:00:00Z');

async function start(options: BlueskyEmulatorOptions = {}) {
  clock = Date.parse('2026-08-20T12:00:00Z');
  emulator = await startBlueskyEmulator({
    accounts: [...blueskyAccounts('alice', 'bob'), blueskyAccount('nodm', { dmAccess: false })],
    now: () => clock,
    ...options,
  });
  return emulator;
}
afterEach(() => emulator.close());

const listConvos = (token?: string) =>
  callXrpc(emulator, 'chat.bsky.convo.listConvos', token === undefined ? {} : { token });

describe('createSession', () => {
  it('accepts a handle (any case) or a DID as identifier', async () => {
    await start();
    const byHandle = await login(emulator, 'Alice.Test', 'pw-alice');
    const byDid = await login(emulator, byHandle.did, 'pw-alice');
    expect(byDid).toMatchObject({ did: byHandle.did, handle: 'alice.test' });
    expect(byDid.accessJwt).not.toBe(byHandle.accessJwt);
    expect(byHandle.accessJwt.split('.')).toHaveLength(3);
  });

  it.each([
    ['wrong password', 'alice.test', 'nope'],
    ['unknown account', 'nobody.test', 'pw-alice'],
  ])('answers 401 AuthenticationRequired on a %s', async (_case, identifier, password) => {
    await start();
    const answer = await callXrpc(emulator, 'com.atproto.server.createSession', {
      body: { identifier, password },
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      error: 'AuthenticationRequired',
      message: 'Invalid identifier or password',
    });
  });

  it('rejects a body without password as InvalidRequest', async () => {
    await start();
    const answer = await callXrpc(emulator, 'com.atproto.server.createSession', {
      body: { identifier: 'alice.test' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: 'InvalidRequest',
      message: 'Input must have the property "password"',
    });
  });
});

describe('bearer auth on chat calls', () => {
  it('no bearer → 401 AuthMissing', async () => {
    await start();
    const answer = await listConvos();
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'AuthMissing', message: 'Authentication Required' });
  });

  it('an unknown token → 400 InvalidToken "Token could not be verified"', async () => {
    await start();
    const answer = await listConvos('eyJ0eXAiOiJhdCtqd3QifQ.e30.forged');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'InvalidToken', message: 'Token could not be verified' });
  });

  it('a refresh token used as access token → 400 InvalidToken "Bad token scope"', async () => {
    await start();
    const { refreshJwt } = await login(emulator, 'alice.test', 'pw-alice');
    const answer = await listConvos(refreshJwt);
    expect(answer.body).toEqual({ error: 'InvalidToken', message: 'Bad token scope' });
  });

  it('an access token expires after accessTokenTtlMs → 400 ExpiredToken "Token has expired"', async () => {
    await start({ accessTokenTtlMs: 60_000 });
    const { accessJwt } = await login(emulator, 'alice.test', 'pw-alice');
    clock += 59_999;
    expect((await listConvos(accessJwt)).status).toBe(200);
    clock += 1;
    const answer = await listConvos(accessJwt);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'ExpiredToken', message: 'Token has expired' });
  });

  it('the default access lifetime is 2 hours', async () => {
    await start();
    const { accessJwt } = await login(emulator, 'alice.test', 'pw-alice');
    clock += 2 * 60 * 60 * 1000 - 1;
    expect((await listConvos(accessJwt)).status).toBe(200);
    clock += 1;
    expect((await listConvos(accessJwt)).body).toMatchObject({ error: 'ExpiredToken' });
  });
});

describe('refreshSession', () => {
  const refresh = (token: string) =>
    callXrpc(emulator, 'com.atproto.server.refreshSession', { method: 'POST', token });

  it('rotates: the new access token works, the old refresh token is revoked', async () => {
    await start({ accessTokenTtlMs: 1000 });
    const first = await login(emulator, 'alice.test', 'pw-alice');
    clock += 5000;
    const answer = await refresh(first.refreshJwt);
    expect(answer.status).toBe(200);
    const next = answer.body as { accessJwt: string; refreshJwt: string; did: string };
    expect(next.did).toBe(first.did);
    expect(next.refreshJwt).not.toBe(first.refreshJwt);
    expect((await listConvos(next.accessJwt)).status).toBe(200);

    const reused = await refresh(first.refreshJwt);
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual({ error: 'ExpiredToken', message: 'Token has been revoked' });
    expect((await refresh(next.refreshJwt)).status).toBe(200);
  });

  it('an expired refresh token → 400 ExpiredToken', async () => {
    await start({ refreshTokenTtlMs: 10_000 });
    const { refreshJwt } = await login(emulator, 'alice.test', 'pw-alice');
    clock += 10_000;
    expect((await refresh(refreshJwt)).body).toEqual({ error: 'ExpiredToken', message: 'Token has expired' });
  });

  it('needs the refresh token, not the access token', async () => {
    await start();
    const { accessJwt } = await login(emulator, 'alice.test', 'pw-alice');
    expect((await refresh(accessJwt)).body).toEqual({ error: 'InvalidToken', message: 'Bad token scope' });
  });

  it('deleteSession revokes the refresh token', async () => {
    await start();
    const { refreshJwt } = await login(emulator, 'alice.test', 'pw-alice');
    const deleted = await callXrpc(emulator, 'com.atproto.server.deleteSession', {
      method: 'POST',
      token: refreshJwt,
    });
    expect(deleted.status).toBe(200);
    expect((await refresh(refreshJwt)).body).toMatchObject({ error: 'ExpiredToken' });
  });
});

describe('app password without DM access', () => {
  it('gets 400 InvalidToken "Bad token method" on privileged chat methods only', async () => {
    await start();
    const { accessJwt } = await login(emulator, 'nodm.test', 'pw-nodm');
    const bobDid = emulator.as('bob.test').did;
    const privileged: [string, Record<string, string[]>][] = [
      ['chat.bsky.convo.listConvos', {}],
      ['chat.bsky.convo.getLog', {}],
      ['chat.bsky.convo.getConvoForMembers', { members: [bobDid] }],
    ];
    for (const [nsid, params] of privileged) {
      const answer = await callXrpc(emulator, nsid, { token: accessJwt, params });
      expect(answer.status, nsid).toBe(400);
      expect(answer.body).toEqual({ error: 'InvalidToken', message: 'Bad token method' });
    }
    // getConvoAvailability is not in the PDS's PRIVILEGED_METHODS.
    const availability = await callXrpc(emulator, 'chat.bsky.convo.getConvoAvailability', {
      token: accessJwt,
      params: { members: [bobDid] },
    });
    expect(availability.status).toBe(200);
    // Non-chat methods are unaffected.
    expect((await callXrpc(emulator, 'com.atproto.server.getSession', { token: accessJwt })).status).toBe(
      200,
    );
  });
});

describe('resolveHandle', () => {
  it('needs no auth, answers HandleNotFound for unknown handles and InvalidRequest for bad ones', async () => {
    await start();
    const resolve = (handle: string) =>
      callXrpc(emulator, 'com.atproto.identity.resolveHandle', { params: { handle }, proxy: false });
    expect((await resolve('bob.test')).body).toEqual({ did: emulator.as('bob.test').did });
    const unknown = await resolve('nobody.test');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: 'HandleNotFound', message: 'Unable to resolve handle' });
    expect((await resolve('not a handle')).body).toEqual({
      error: 'InvalidRequest',
      message: 'handle must be a valid handle',
    });
  });
});

describe('accounts', () => {
  it('derive a stable did:plc from the handle unless a DID is given', async () => {
    await start();
    const first = emulator.addAccount({ handle: 'dave.test', password: 'x' });
    expect(first.did).toMatch(/^did:plc:[a-z2-7]{24}$/);
    const other = await startBlueskyEmulator({ accounts: [{ handle: 'dave.test', password: 'y' }] });
    expect(other.as('dave.test').did).toBe(first.did);
    await other.close();
    expect(emulator.addAccount({ handle: 'erin.test', password: 'x', did: 'did:web:erin.test' }).did).toBe(
      'did:web:erin.test',
    );
    expect(() => emulator.addAccount({ handle: 'dave.test', password: 'z' })).toThrow(/already exists/);
    expect(() => emulator.addAccount({ handle: 'no spaces', password: 'z' })).toThrow(/Invalid handle/);
  });
});
