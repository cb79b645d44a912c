import {
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  ProviderUnavailableError,
  RateLimitError,
  SwitchboardError,
} from '@switchboard/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertOpenApiRequest } from '../../emulators/test/chats-api/spec-validators.js';
import { createChatsApiAdapter } from './chats-api-adapter.js';

const BASE = 'http://chats.test';
const PASSWORD = 'secret-password-1';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtZSJ9.first-token-signature';
const ME = { id: 'a0000000-0000-4000-8000-000000000001', email: 'me@example.com', username: 'me' };
const BOB = { id: 'a0000000-0000-4000-8000-000000000002', email: 'bob@example.com', username: 'bob' };
const CHAT = 'c0000000-0000-4000-8000-000000000001';
const MESSAGE = {
  id: 'e0000000-0000-4000-8000-000000000001',
  chat_id: CHAT,
  from_user_id: ME.id,
  text_content: 'hello',
  image_content: null,
  created_at: '2025-11-04T10:05:00.123456Z',
  seen_by: [],
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const adapter = () =>
  createChatsApiAdapter({
    baseUrl: BASE,
    username: 'me',
    password: PASSWORD,
    retry: { minDelayMs: 1, maxDelayMs: 2 },
  });

/** The server for a fresh adapter: `POST /token` answers {@link TOKEN}, then `GET /me` answers {@link ME}. */
function loggedIn(): nock.Scope {
  const scope = nock(BASE);
  tokenEndpoint(scope);
  scope.get('/me').reply(200, ME);
  return scope;
}

/** `POST /token`, checking the form against the OpenAPI document. */
function tokenEndpoint(scope: nock.Scope, token = TOKEN) {
  return scope.post('/token').reply(200, (_uri, body) => {
    const form = Object.fromEntries(new URLSearchParams(String(body)));
    assertOpenApiRequest('POST', '/token', form, 'application/x-www-form-urlencoded');
    expect(form).toEqual({ grant_type: 'password', username: 'me', password: PASSWORD });
    return { access_token: token, token_type: 'bearer' };
  });
}

describe('request shapes (validated against the OpenAPI document)', () => {
  it('logs in with the OAuth2 password form, then sends the bearer token', async () => {
    const scope = nock(BASE);
    tokenEndpoint(scope);
    scope.get('/me').matchHeader('authorization', `Bearer ${TOKEN}`).reply(200, ME);
    expect(await adapter().connect!()).toMatchObject({ id: ME.id, handle: 'me', isSelf: true });
    expect(scope.isDone()).toBe(true);
  });

  it('opens a chat: resolves usernames through /search, then POST /chats with ChatCreate', async () => {
    const scope = loggedIn();
    scope
      .get('/search')
      .query({ q: 'bob', limit: 100 })
      .reply(200, { items: [BOB], total: 1, limit: 100, offset: 0 });
    scope.post('/chats').reply(201, (_uri, body) => {
      assertOpenApiRequest('POST', '/chats', body, 'application/json');
      expect(body).toEqual({ user_ids: [BOB.id], name: 'Team' });
      return { id: CHAT, is_group: true, name: 'Team', avatar: null, users: [ME, BOB] };
    });
    const chat = await adapter().openConversation!({ participantIds: ['bob'], title: 'Team' });
    expect(chat).toMatchObject({ id: CHAT, kind: 'group', title: 'Team' });
    expect(scope.isDone()).toBe(true);
  });

  it('sends MessageCreate with text and image_content over REST when not subscribed', async () => {
    const scope = loggedIn();
    scope.post(`/chats/${CHAT}/messages`).reply(201, (_uri, body) => {
      assertOpenApiRequest('POST', '/chats/{chat_id}/messages', body, 'application/json');
      expect(body).toEqual({ text_content: 'hello', image_content: 'https://example.com/a.png' });
      return { ...MESSAGE, image_content: 'https://example.com/a.png' };
    });
    const sent = await adapter().sendMessage(CHAT, {
      text: 'hello',
      attachments: [{ kind: 'image', url: 'https://example.com/a.png' }],
    });
    expect(sent).toMatchObject({
      text: 'hello',
      attachments: [{ kind: 'image' }],
      sentAt: new Date('2025-11-04T10:05:00.123Z'),
    });
  });

  it('pages with limit/offset and an opaque cursor', async () => {
    const scope = loggedIn();
    scope
      .get('/chats')
      .query({ limit: 1, offset: 0 })
      .reply(200, {
        items: [{ id: CHAT, name: 'bob', avatar: null, is_group: false, last_message: null }],
        total: 2,
        limit: 1,
        offset: 0,
      });
    scope
      .get('/chats')
      .query({ limit: 1, offset: 1 })
      .reply(200, { items: [], total: 1, limit: 1, offset: 1 });
    const a = adapter();
    const first = await a.listConversations!({ limit: 1 });
    expect(first.nextCursor).toMatch(/^[\w-]+$/);
    const second = await a.listConversations!({ limit: 1, cursor: first.nextCursor });
    expect(second).toEqual({ items: [] });
    await expect(a.listConversations!({ cursor: 'nope' })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('rejects what the API cannot take before any request', async () => {
    const a = adapter();
    const image = (url: string) => ({ kind: 'image' as const, url });
    for (const message of [
      { text: 'a', replyToId: 'x' },
      { text: 'a', attachments: [image('https://e.com/1.png'), image('https://e.com/2.png')] },
      { text: 'a', attachments: [image(`https://e.com/${'x'.repeat(2048)}`)] },
    ])
      await expect(a.sendMessage(CHAT, message)).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(
      a.openConversation!({ participantIds: [BOB.id], title: 'x'.repeat(101) }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
  });
});

describe('error mapping', () => {
  const failing = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    nock.cleanAll();
    const scope = loggedIn();
    scope
      .get(`/chats/${CHAT}`)
      .query(true)
      .times(10)
      .reply(status, body as nock.Body, headers);
    return adapter().listMessages!(CHAT, {}).then(
      () => undefined,
      (error: unknown) => error,
    );
  };

  it('keeps FastAPI 422 detail[] as issues', async () => {
    const error = await failing(422, {
      detail: [
        {
          loc: ['query', 'limit'],
          msg: 'Input should be less than or equal to 100',
          type: 'less_than_equal',
        },
      ],
    });
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues).toEqual([
      { path: 'query.limit', message: 'Input should be less than or equal to 100', type: 'less_than_equal' },
    ]);
  });

  it('maps 404 Chat not found, 429 with Retry-After, and a plain-text 500', async () => {
    expect(await failing(404, { detail: 'Chat not found' })).toBeInstanceOf(NotFoundError);
    const limited = await failing(429, { detail: 'Too Many Requests' }, { 'Retry-After': '120' });
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).retryAfterMs).toBe(120_000);
    expect(await failing(500, 'Internal Server Error')).toBeInstanceOf(ProviderUnavailableError);
  });

  it('maps 400 "Users not found" to NotFoundError', async () => {
    const scope = loggedIn();
    scope.post('/chats').reply(400, { detail: `Users not found: ${BOB.id}` });
    await expect(adapter().openConversation!({ participantIds: [BOB.id] })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('logs in again once on a 401, then gives up with AuthenticationError, leaking no secret', async () => {
    const scope = nock(BASE);
    tokenEndpoint(scope);
    tokenEndpoint(scope, `${TOKEN}-second`);
    scope.get('/me').times(2).reply(401, { detail: 'Invalid token' });
    const error = await adapter().connect!().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(scope.isDone()).toBe(true);
    const text = JSON.stringify(error) + String((error as Error).stack);
    for (const secret of [PASSWORD, TOKEN]) expect(text).not.toContain(secret);
  });

  it('fails login with AuthenticationError on Invalid credentials', async () => {
    nock(BASE).post('/token').reply(401, { detail: 'Invalid credentials' });
    const error = await adapter().connect!().catch((e: unknown) => e);
    expect(SwitchboardError.isInstance(error) && error.code).toBe('authentication');
    expect((error as Error).message).not.toContain(PASSWORD);
  });
});
