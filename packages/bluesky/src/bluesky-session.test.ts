import { inspect } from 'node:util';
import { AuthenticationError, PermissionDeniedError, SwitchboardError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { ALICE, convoView, PDS, SERVICE, sessionOutput } from '../test/bluesky-fixtures.js';
import { mockXrpc, useOfflineNock, type XrpcCall } from '../test/mock-xrpc.js';
import { createBlueskyAdapter } from './bluesky-adapter.js';
import { pdsEndpoint } from './bluesky-session.js';

const PASSWORD = 'abcd-efgh-ijkl-mnop';
const adapterFor = () =>
  createBlueskyAdapter({ identifier: ALICE.handle, password: PASSWORD, service: SERVICE, retry: false });
const bearer = (call: XrpcCall) => call.headers.authorization?.replace(/^Bearer /, '');
const listConvos = () => [200, { convos: [convoView()] }] as const;
/** The login service: `createSession` answers the `first` session, `refreshSession` the `second`. */
const refreshingService = () => {
  const first = sessionOutput();
  const second = sessionOutput();
  const service = mockXrpc(SERVICE, {
    'com.atproto.server.createSession': () => [200, first],
    'com.atproto.server.refreshSession': () => [200, second],
  });
  return { first, second, service };
};

useOfflineNock();

describe('bluesky sessions', () => {
  it('logs in on the service, then sends chat calls to the PDS of the DID document', async () => {
    const session = sessionOutput();
    const service = mockXrpc(SERVICE, { 'com.atproto.server.createSession': () => [200, session] });
    const pds = mockXrpc(PDS, { 'chat.bsky.convo.listConvos': listConvos });
    const adapter = adapterFor();

    const self = await adapter.connect();
    await adapter.listConversations({});

    expect(self).toEqual({ id: ALICE.did, handle: ALICE.handle, kind: 'user', isSelf: true });
    expect(service.calls.map((call) => call.nsid)).toEqual(['com.atproto.server.createSession']);
    expect(service.calls[0]!.body).toEqual({ identifier: ALICE.handle, password: PASSWORD });
    expect(service.calls[0]!.headers['content-type']).toMatch(/^application\/json/);
    const [chat] = pds.calls;
    expect(chat!.method).toBe('GET');
    expect(chat!.headers.authorization).toBe(`Bearer ${session.accessJwt}`);
    expect(chat!.headers['atproto-proxy']).toBe('did:web:api.bsky.chat#bsky_chat');
    await adapter.close();
  });

  it('stays on the service when the session has no DID document, and uses a custom chat service DID', async () => {
    const service = mockXrpc(SERVICE, {
      'com.atproto.server.createSession': () => [200, sessionOutput({ withDidDoc: false })],
      'chat.bsky.convo.listConvos': listConvos,
    });
    const adapter = createBlueskyAdapter({
      identifier: ALICE.handle,
      password: PASSWORD,
      service: SERVICE,
      chatServiceDid: 'did:web:chat.example',
    });
    await adapter.listConversations({});
    expect(service.callsTo('listConvos')[0]!.headers['atproto-proxy']).toBe('did:web:chat.example#bsky_chat');
    await adapter.close();
  });

  it('retries the login after a 500 (logging in twice only makes another session; found by the contract case idempotent-writes-retried)', async () => {
    let attempts = 0;
    const service = mockXrpc(SERVICE, {
      'com.atproto.server.createSession': () => {
        attempts += 1;
        return attempts === 1
          ? [500, { error: 'InternalServerError', message: 'down' }]
          : [200, sessionOutput()];
      },
    });
    const adapter = createBlueskyAdapter({
      identifier: ALICE.handle,
      password: PASSWORD,
      service: SERVICE,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    });
    const self = await adapter.connect();
    expect(self.id).toBe(ALICE.did);
    expect(service.callsTo('createSession')).toHaveLength(2);
    await adapter.close();
  });

  it('refreshes once for many concurrent ExpiredToken answers (single-flight), with the refresh token and no body', async () => {
    const { first, second, service } = refreshingService();
    const pds = mockXrpc(PDS, {
      'chat.bsky.convo.listConvos': (call) =>
        bearer(call) === first.accessJwt
          ? [400, { error: 'ExpiredToken', message: 'Token has expired' }]
          : listConvos(),
    });
    const adapter = adapterFor();
    await adapter.connect();

    const pages = await Promise.all(Array.from({ length: 8 }, () => adapter.listConversations({})));

    expect(pages.every((page) => page.items.length === 1)).toBe(true);
    const refreshes = service.callsTo('refreshSession');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.headers.authorization).toBe(`Bearer ${first.refreshJwt}`);
    expect(refreshes[0]!.body).toBeUndefined();
    expect(pds.calls.filter((call) => bearer(call) === second.accessJwt)).toHaveLength(8);
    await adapter.close();
  });

  it('refreshes on 401 too', async () => {
    const { first, service } = refreshingService();
    mockXrpc(PDS, {
      'chat.bsky.convo.listConvos': (call) =>
        bearer(call) === first.accessJwt
          ? [401, { error: 'AuthMissing', message: 'Authentication Required' }]
          : listConvos(),
    });
    const adapter = adapterFor();
    await expect(adapter.listConversations({})).resolves.toMatchObject({ items: [{ id: convoView().id }] });
    expect(service.callsTo('refreshSession')).toHaveLength(1);
    await adapter.close();
  });

  it.each([
    ['ExpiredToken', 'Token has been revoked'],
    ['InvalidToken', 'Token could not be verified'],
  ])('logs in again when refreshSession answers %s', async (error, message) => {
    const sessions = [sessionOutput(), sessionOutput()];
    let logins = 0;
    const service = mockXrpc(SERVICE, {
      'com.atproto.server.createSession': () => [200, sessions[logins++]],
      'com.atproto.server.refreshSession': () => [400, { error, message }],
    });
    mockXrpc(PDS, {
      'chat.bsky.convo.listConvos': (call) =>
        bearer(call) === sessions[0]!.accessJwt
          ? [400, { error: 'ExpiredToken', message: 'Token has expired' }]
          : listConvos(),
    });
    const adapter = adapterFor();
    await expect(adapter.listConversations({})).resolves.toMatchObject({ items: [{ id: convoView().id }] });
    expect(service.calls.map((call) => call.nsid)).toEqual([
      'com.atproto.server.createSession',
      'com.atproto.server.refreshSession',
      'com.atproto.server.createSession',
    ]);
    await adapter.close();
  });

  it.each(['Bad token method', 'Bad token scope'])(
    'turns "%s" into a PermissionDeniedError that explains how to make an app password with DM access',
    async (message) => {
      const service = mockXrpc(SERVICE, { 'com.atproto.server.createSession': () => [200, sessionOutput()] });
      mockXrpc(PDS, { 'chat.bsky.convo.listConvos': () => [400, { error: 'InvalidToken', message }] });
      const adapter = adapterFor();
      const error = await adapter.listConversations({}).catch((caught: unknown) => caught);
      expect(PermissionDeniedError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('Allow access to your direct messages');
      expect((error as SwitchboardError).providerCode).toBe('InvalidToken');
      expect(service.callsTo('refreshSession')).toHaveLength(0);
      await adapter.close();
    },
  );

  it('reports wrong credentials as "Invalid identifier or password" without the password anywhere', async () => {
    mockXrpc(SERVICE, {
      // A hostile server echoing the password must not make it leak.
      'com.atproto.server.createSession': () => [
        401,
        { error: 'AuthenticationRequired', message: `Invalid identifier or password (${PASSWORD})` },
        { 'www-authenticate': 'Bearer' },
      ],
    });
    const adapter = adapterFor();
    const error = await adapter.connect().catch((caught: unknown) => caught);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('Invalid identifier or password');
    for (const text of [(error as Error).message, JSON.stringify(error), inspect(error, { depth: 5 })])
      expect(text).not.toContain(PASSWORD);
    await adapter.close();
  });

  it('redacts session tokens a server echoes in an error', async () => {
    const session = sessionOutput();
    mockXrpc(SERVICE, { 'com.atproto.server.createSession': () => [200, session] });
    mockXrpc(PDS, {
      'chat.bsky.convo.getConvo': (call) => [
        400,
        {
          error: 'InvalidRequest',
          message: `bad request from ${call.headers.authorization} / ${session.refreshJwt}`,
        },
      ],
    });
    const adapter = adapterFor();
    const error = await adapter.getConversation('3l6z5xkxwr22a').catch((caught: unknown) => caught);
    expect(SwitchboardError.isInstance(error)).toBe(true);
    for (const text of [(error as Error).message, JSON.stringify(error), inspect(error, { depth: 5 })]) {
      expect(text).not.toContain(session.accessJwt);
      expect(text).not.toContain(session.refreshJwt);
      expect(text).not.toContain(PASSWORD);
    }
    await adapter.close();
  });
});

describe('pdsEndpoint', () => {
  it('reads the #atproto_pds service, full or relative id', () => {
    expect(pdsEndpoint(sessionOutput({ pds: 'https://a.example' }).didDoc)).toBe('https://a.example');
    expect(
      pdsEndpoint({
        service: [
          {
            id: `${ALICE.did}#atproto_pds`,
            type: 'AtprotoPersonalDataServer',
            serviceEndpoint: 'https://b.example',
          },
        ],
      }),
    ).toBe('https://b.example');
  });

  it('ignores documents without a usable endpoint', () => {
    expect(pdsEndpoint(undefined)).toBeUndefined();
    expect(
      pdsEndpoint({ service: [{ id: '#atproto_labeler', serviceEndpoint: 'https://l.example' }] }),
    ).toBeUndefined();
    expect(
      pdsEndpoint({ service: [{ id: '#atproto_pds', serviceEndpoint: 'ftp://x.example' }] }),
    ).toBeUndefined();
  });
});
