import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import {
  AuthenticationError,
  InvalidRequestError,
  InvalidResponseError,
  NotFoundError,
  ProviderUnavailableError,
  RateLimitError,
} from '@switchboard/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { caught, useOfflineNock } from '../test/aurora-test-helpers.js';
import { type AuroraAdapterOptions, createAuroraAdapter } from './index.js';

const HOST = 'https://chat-api.aurora-interactive.online:8443';
const V5_HOST = 'https://api.chatbot.aurora-interactive.online:8443';
const PASSWORD = 'pw-secret-1';
const TOKEN = 'tok-secret-abc';
const ADA = {
  name: 'Ada Lovelace',
  description: 'Mathematician',
  isOfficial: true,
  isPrivate: false,
  ttsCharacter: 1,
};
const authFailed = { success: false, error: 'Invalid username, password, or access token' };
const sse = (...contents: string[]) =>
  contents.map((content) => `data: ${JSON.stringify({ content })}\n\n`).join('');

const adapterFor = (options: AuroraAdapterOptions = {}) =>
  createAuroraAdapter({ username: 'ann', password: PASSWORD, retry: false, ...options });

/** `POST /login` answering {@link TOKEN}; chain what the test needs next. */
const loggedIn = () => nock(HOST).post('/api/v11/login').reply(200, { accessToken: TOKEN });

/** Login, the chat list (chat 301 with character 2) and the character, on v11. */
function fakeDirectory(host = HOST, api = '/api/v11') {
  return nock(host)
    .post(`${api}/login`, { username: 'ann', password: PASSWORD })
    .reply(200, { success: true, accessToken: TOKEN })
    .get(`${api}/chats`)
    .matchHeader('x-access-token', TOKEN)
    .reply(200, { success: true, chats: [{ characterId: 2, chatId: 301 }] })
    .get(`${api}/character`)
    .query({ characterId: '2' })
    .reply(200, ADA);
}

const EVENT_STREAM = { 'content-type': 'text/event-stream' };
const OLDER = { id: 5010, role: 'assistant', content: 'Earlier reply', timestamp: 1_699_999_999_000 };

/** The baseline read a send starts with: the chat's newest message (`GET /messages?numMessages=1`). */
function fakeBaseline(newest: unknown[] = [OLDER], host = HOST) {
  return nock(host)
    .get('/api/v11/messages')
    .query({ chatId: '301', numMessages: '1' })
    .reply(200, { success: true, messages: newest, endOfList: newest.length === 0 });
}

/** The read-back after a reply: the chat's newest two messages. */
function fakeReadBack(messages: unknown[], host = HOST) {
  return nock(host)
    .get('/api/v11/messages')
    .query({ chatId: '301', numMessages: '2' })
    .reply(200, { success: true, messages, endOfList: false });
}

/** This turn as stored: the user's `text` (id 5011), then the reply (id 5012). */
const turn = (text: string, reply: string) => [
  { id: 5012, role: 'assistant', content: reply, timestamp: 1_700_000_001_000 },
  { id: 5011, role: 'user', content: text, timestamp: 1_700_000_000_000 },
];

useOfflineNock();

describe('aurora request shapes', () => {
  it('logs in, sends x-access-token, posts the message with Accept: text/event-stream, reads the turn back', async () => {
    const directory = fakeDirectory();
    const baseline = fakeBaseline();
    const send = nock(HOST)
      .post('/api/v11/message', { characterId: 2, chatId: 301, message: 'hi' })
      .matchHeader('x-access-token', TOKEN)
      .matchHeader('accept', 'text/event-stream')
      .reply(200, sse('Hel', 'lo'), EVENT_STREAM);
    const readBack = fakeReadBack(turn('hi', 'Hello'));
    const adapter = adapterFor();
    const events: unknown[] = [];
    await adapter.subscribe((event) => events.push(event));

    const message = await adapter.sendMessage('301', { text: 'hi' });

    expect(message).toMatchObject({
      id: '5011',
      conversationId: '301',
      provider: 'aurora',
      text: 'hi',
      sender: { id: 'ann', isSelf: true, kind: 'user' },
      sentAt: new Date(1_700_000_000_000),
    });
    expect(events).toMatchObject([
      { type: 'message.delta', conversationId: '301', index: 0, delta: 'Hel' },
      { type: 'message.delta', conversationId: '301', index: 1, delta: 'lo' },
      { type: 'message.created', message: { id: '5012', text: 'Hello', sender: { id: '2', kind: 'bot' } } },
    ]);
    expect(directory.isDone() && baseline.isDone() && send.isDone() && readBack.isDone()).toBe(true);
  });

  it('parses events split across TCP chunks and skips events with another `event:` name', async () => {
    fakeDirectory();
    fakeBaseline();
    nock(HOST)
      .post('/api/v11/message')
      .reply(
        200,
        () =>
          Readable.from([
            'data: {"con',
            'tent":"A"}\n',
            '\nevent: ping\ndata: {}\n\ndata: {"content":"B"}\n\n',
          ]),
        EVENT_STREAM,
      );
    fakeReadBack(turn('x', 'AB'));
    const stream = await adapterFor().streamReply('301', 'x');
    const chunks: string[] = [];
    for await (const chunk of stream.chunks) chunks.push(chunk);
    expect(chunks).toEqual(['A', 'B']);
    expect((await stream.reply).text).toBe('AB');
  });

  it('rejects an event whose data is not {"content": string} with InvalidResponseError, in chunks and reply', async () => {
    fakeDirectory();
    fakeBaseline();
    nock(HOST)
      .post('/api/v11/message')
      .reply(200, 'data: {"content":"ok"}\n\ndata: not json\n\n', EVENT_STREAM);
    const stream = await adapterFor().streamReply('301', 'x');
    const seen: string[] = [];
    const reading = (async () => {
      for await (const chunk of stream.chunks) seen.push(chunk);
    })();
    expect(InvalidResponseError.isInstance(await caught(reading))).toBe(true);
    expect(seen).toEqual(['ok']);
    expect(InvalidResponseError.isInstance(await caught(stream.reply))).toBe(true);
  });

  it('fails with InvalidResponseError when the history does not show the streamed turn', async () => {
    fakeDirectory();
    fakeBaseline();
    nock(HOST).post('/api/v11/message').reply(200, sse('Hi'), EVENT_STREAM);
    fakeReadBack([]);
    const error = await caught(adapterFor().sendMessage('301', { text: 'x' }));
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/expects POST \/message to store both/);
  });

  it('reads second timestamps as seconds and keeps millisecond ones', async () => {
    fakeDirectory();
    nock(HOST)
      .get('/api/v11/messages')
      .query({ chatId: '301', numMessages: '2' })
      .reply(200, {
        messages: [
          { id: 9, role: 'system', content: 'sec', timestamp: 1_700_000_000 },
          { id: 8, role: 'user', content: 'ms', timestamp: 1_700_000_000_000 },
        ],
        endOfList: false,
      });
    const page = await adapterFor().listMessages('301', { limit: 2 });
    expect(page.items.map((m) => m.sentAt.getTime())).toEqual([1_700_000_000_000, 1_700_000_000_000]);
    expect(page.items[0]!.sender).toMatchObject({ id: 'system', kind: 'bot' });
    expect(page.nextCursor).toBe('7');
  });

  it('pages the v11 history with `from` = the cursor', async () => {
    fakeDirectory();
    nock(HOST)
      .get('/api/v11/messages')
      .query({ chatId: '301', numMessages: '50', from: '7' })
      .reply(200, {
        messages: [{ id: 7, role: 'assistant', content: 'old', timestamp: 1_700_000_000_000 }],
        endOfList: true,
      });
    const page = await adapterFor().listMessages('301', { cursor: '7' });
    expect(page).toMatchObject({ items: [{ id: '7', text: 'old' }] });
    expect(page.nextCursor).toBeUndefined();
  });

  it('pages chats newest first with a chat-id cursor', async () => {
    loggedIn()
      .get('/api/v11/chats')
      .times(2)
      .reply(200, {
        chats: [
          { characterId: 2, chatId: 301 },
          { characterId: 2, chatId: 303 },
          { characterId: 2, chatId: 302 },
        ],
      })
      .get('/api/v11/character')
      .query({ characterId: '2' })
      .reply(200, ADA);
    const adapter = adapterFor();
    const first = await adapter.listConversations({ limit: 2 });
    expect(first.items.map((c) => c.id)).toEqual(['303', '302']);
    expect(first.items[0]).toMatchObject({ kind: 'assistant', title: 'Ada Lovelace' });
    const second = await adapter.listConversations({ limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [expect.objectContaining({ id: '301' })] });
  });

  it('opens the newest existing chat with a character, or initializes one with POST /chat', async () => {
    loggedIn()
      .get('/api/v11/character')
      .query({ characterId: '2' })
      .reply(200, ADA)
      .get('/api/v11/chats')
      .reply(200, {
        chats: [
          { characterId: 2, chatId: 301 },
          { characterId: 2, chatId: 305 },
        ],
      })
      .get('/api/v11/character')
      .query({ characterId: '3' })
      .reply(200, { ...ADA, name: 'Nemo' })
      .get('/api/v11/chats')
      .reply(200, { chats: [{ characterId: 2, chatId: 301 }] })
      .post('/api/v11/chat', { characterId: 3 })
      .reply(200, { success: true, chatId: 306 });
    const adapter = adapterFor();
    expect((await adapter.openConversation({ participantIds: ['2'] })).id).toBe('305');
    const created = await adapter.openConversation({ participantIds: ['3'] });
    expect(created).toMatchObject({
      id: '306',
      title: 'Nemo',
      participants: [{ isSelf: true }, { id: '3' }],
    });
  });

  it('uses /api/v5 on the seed-era host, with history paged locally and positions as ids', async () => {
    fakeDirectory(V5_HOST, '/api/v5');
    nock(V5_HOST)
      .get('/api/v5/message/history')
      .query({ chatId: '301' })
      .times(2)
      .reply(200, {
        success: true,
        chatHistory: ['a', 'b', 'c'].map((content) => ({
          role: 'user',
          content,
          timestamp: 1_700_000_000_000,
        })),
      });
    const adapter = adapterFor({ apiVersion: 'v5' });
    expect(adapter.capabilities.deleteMessage).toBe(false);
    expect(adapter.deleteMessage).toBeUndefined();
    const first = await adapter.listMessages('301', { limit: 2 });
    expect(first.items.map((m) => [m.id, m.text])).toEqual([
      ['2', 'c'],
      ['1', 'b'],
    ]);
    const second = await adapter.listMessages('301', { limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [expect.objectContaining({ id: '0', text: 'a' })] });
  });
});

/**
 * `rejected` (a `GET /chats`) answers 401; then `POST /login` answers {@link TOKEN} and `GET /chats`
 * with that token succeeds (empty).
 */
const relogin = (rejected: nock.Interceptor) =>
  rejected
    .reply(401, authFailed)
    .post('/api/v11/login')
    .reply(200, { accessToken: TOKEN })
    .get('/api/v11/chats')
    .matchHeader('x-access-token', TOKEN)
    .reply(200, { chats: [] });

describe('aurora errors', () => {
  it('logs in again once when the token is rejected, then retries', async () => {
    const scope = relogin(
      nock(HOST).post('/api/v11/login').reply(200, { accessToken: 'tok-old-0001' }).get('/api/v11/chats'),
    );
    expect(await adapterFor().listConversations({})).toEqual({ items: [] });
    expect(scope.isDone()).toBe(true);
  });

  it('starts from a given token and logs in only when it is rejected', async () => {
    const scope = relogin(nock(HOST).get('/api/v11/chats').matchHeader('x-access-token', 'tok-saved-01'));
    await adapterFor({ accessToken: 'tok-saved-01' }).listConversations({});
    expect(scope.isDone()).toBe(true);
  });

  it('with a token alone, a rejected token is an AuthenticationError without any login', async () => {
    nock(HOST).get('/api/v11/user/info').matchHeader('x-access-token', TOKEN).reply(401, authFailed);
    const adapter = createAuroraAdapter({ accessToken: TOKEN, retry: false });
    const error = await caught(adapter.connect());
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('maps another user’s chat (401 "does not belong") to NotFoundError without logging in again', async () => {
    fakeDirectory();
    nock(HOST)
      .get('/api/v11/chat/preview')
      .query({ chatId: '301' })
      .reply(401, { success: false, error: 'Chat or message does not belong to this user' });
    const error = await caught(adapterFor().getConversation('301'));
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(error.status).toBe(401);
  });

  it('maps an unknown chat to NotFoundError from the chat list, before any other call', async () => {
    fakeDirectory();
    const error = await caught(adapterFor().listMessages('999', {}));
    expect(NotFoundError.isInstance(error)).toBe(true);
  });

  it('maps an unknown character to NotFoundError', async () => {
    loggedIn().get('/api/v11/character').query({ characterId: '99' }).reply(400, {
      success: false,
      error: 'One or more API parameters are malformed. Please check your request and try again',
    });
    const error = await caught(adapterFor().openConversation({ participantIds: ['99'] }));
    expect(NotFoundError.isInstance(error)).toBe(true);
  });

  it('maps the quota literals to a non-retryable RateLimitError (429 in v11, 402 in v5)', async () => {
    fakeDirectory();
    fakeBaseline();
    nock(HOST).post('/api/v11/message').reply(429, {
      success: false,
      error:
        'You have exceeded your Message/TTS quota. To send more messages, please upgrade your plan or wait until your subscription renews.',
    });
    const v11 = await caught(adapterFor().sendMessage('301', { text: 'x' }));
    expect(RateLimitError.isInstance(v11) && !v11.retryable).toBe(true);
    expect(v11.message).toMatch(/quota is used up/);

    fakeDirectory(V5_HOST, '/api/v5');
    nock(V5_HOST)
      .get('/api/v5/message/history')
      .query({ chatId: '301' })
      .reply(200, { success: true, chatHistory: [] })
      .post('/api/v5/message')
      .reply(402, {
        success: false,
        error: 'Account associated with this access token is not subscribed to a paid plan',
      });
    const v5 = await caught(adapterFor({ apiVersion: 'v5' }).sendMessage('301', { text: 'x' }));
    expect(RateLimitError.isInstance(v5) && v5.status === 402).toBe(true);
  });

  it('reads a rate limiter’s retry-after into retryAfterMs, and 5xx is ProviderUnavailableError', async () => {
    loggedIn()
      .get('/api/v11/chats')
      .reply(
        429,
        { statusCode: 429, error: 'Too Many Requests', message: 'retry in 2 seconds' },
        { 'retry-after': '2' },
      )
      .get('/api/v11/chats')
      .reply(503, { statusCode: 503, error: 'Service Unavailable', message: 'down' });
    const adapter = adapterFor();
    const limited = await caught(adapter.listConversations({}));
    expect(RateLimitError.isInstance(limited) && limited.retryAfterMs === 2000).toBe(true);
    expect(ProviderUnavailableError.isInstance(await caught(adapter.listConversations({})))).toBe(true);
  });

  it('rejects malformed ids, cursors and outgoing messages before any request', async () => {
    const adapter = adapterFor();
    const failures = await Promise.all([
      caught(adapter.getConversation('abc')),
      caught(adapter.listConversations({ cursor: 'not-a-cursor' })),
      caught(adapter.openConversation({ participantIds: ['2', '3'] })),
      caught(adapter.streamReply('301', '   ')),
      caught(adapter.streamReply('301', 'x'.repeat(4097))),
      caught(adapter.streamReply('301', { text: 'x', replyToId: '5' })),
    ]);
    for (const error of failures) expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('never puts the password or the token in an error', async () => {
    nock(HOST).post('/api/v11/login').reply(401, authFailed);
    const loginError = await caught(adapterFor().connect());
    nock(HOST)
      .get('/api/v11/chats')
      .reply(500, { statusCode: 500, error: 'Internal Server Error', message: `bad token ${TOKEN}` });
    const tokenError = await caught(
      createAuroraAdapter({ accessToken: TOKEN, retry: false }).listConversations({}),
    );
    for (const error of [loginError, tokenError]) {
      for (const text of [error.message, JSON.stringify(error), inspect(error), String(error.stack)]) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(TOKEN);
      }
    }
    expect(AuthenticationError.isInstance(loginError)).toBe(true);
  });
});
