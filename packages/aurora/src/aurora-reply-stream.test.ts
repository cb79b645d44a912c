import { PassThrough, type Readable } from 'node:stream';
import { InvalidResponseError, type SwitchboardError, TimeoutError } from '@switchboard/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { caught, useOfflineNock } from '../test/aurora-test-helpers.js';
import { type AuroraAdapterOptions, type AuroraReplyStream, createAuroraAdapter } from './index.js';

// How a streamed reply ends: the framings the SSE standard allows, bodies that are not a reply
// stream, a turn the server did not store, and the two stream deadlines. Each case checks that
// `chunks` ends if and only if `reply` resolves (core's StreamedReply contract).

const HOST = 'https://chat-api.aurora-interactive.online:8443';
const V5_HOST = 'https://api.chatbot.aurora-interactive.online:8443';
const TOKEN = 'tok-secret-abc';
const EVENT_STREAM = { 'content-type': 'text/event-stream; charset=utf-8' };
const ADA = { name: 'Ada', description: 'd', isOfficial: true, isPrivate: false, ttsCharacter: 1 };
const event = (content: string, end = '\n\n') => `data: ${JSON.stringify({ content })}${end}`;
/** An older exchange with the very same texts as the one sent in these tests. */
const OLD_TURN = [
  { id: 5010, role: 'assistant', content: 'AB', timestamp: 1_699_999_999_000 },
  { id: 5009, role: 'user', content: 'hi', timestamp: 1_699_999_998_000 },
];
const NEW_TURN = [
  { id: 5012, role: 'assistant', content: 'AB', timestamp: 1_700_000_001_000 },
  { id: 5011, role: 'user', content: 'hi', timestamp: 1_700_000_000_000 },
];

const adapterFor = (options: AuroraAdapterOptions = {}) =>
  createAuroraAdapter({ username: 'ann', password: 'pw-secret-1', retry: false, ...options });

/** Login, the chat list (chat 301 with character 2), the character, and the chat's newest message. */
function fakeChat(newest: unknown[] = OLD_TURN.slice(0, 1)) {
  return nock(HOST)
    .post('/api/v11/login')
    .reply(200, { success: true, accessToken: TOKEN })
    .get('/api/v11/chats')
    .reply(200, { success: true, chats: [{ characterId: 2, chatId: 301 }] })
    .get('/api/v11/character')
    .query({ characterId: '2' })
    .reply(200, ADA)
    .get('/api/v11/messages')
    .query({ chatId: '301', numMessages: '1' })
    .reply(200, { success: true, messages: newest, endOfList: false });
}

/** The read-back: the newest two messages only. */
const fakeReadBack = (messages: unknown[]) =>
  nock(HOST)
    .get('/api/v11/messages')
    .query({ chatId: '301', numMessages: '2' })
    .reply(200, { success: true, messages, endOfList: false });

const fakeSend = (body: string | (() => Readable), headers: Record<string, string> = EVENT_STREAM) =>
  nock(HOST).post('/api/v11/message').reply(200, body, headers);

/** Reads every chunk; resolves with them when the iterator ended, or with the error it threw. */
async function drain(stream: AuroraReplyStream): Promise<{ chunks: string[]; error?: SwitchboardError }> {
  const chunks: string[] = [];
  try {
    for await (const chunk of stream.chunks) chunks.push(chunk);
    return { chunks };
  } catch (error) {
    return { chunks, error: error as SwitchboardError };
  }
}

/** A body written on a schedule: each step waits `ms`, then writes `text` (or ends the body). */
const scheduled = (steps: { ms: number; text?: string }[]) => () => {
  const body = new PassThrough();
  let at = 0;
  for (const step of steps) {
    at += step.ms;
    setTimeout(() => (step.text === undefined ? body.end() : body.write(step.text)), at).unref();
  }
  return body;
};

useOfflineNock();

describe('aurora reply stream: framing and end of stream', () => {
  it('reads bare-CR line ends, each event as soon as its blank line arrived, the last one included', async () => {
    fakeChat();
    const body = new PassThrough();
    fakeSend(() => body);
    fakeReadBack(NEW_TURN);
    body.write(event('A', '\r\r')); // nock sends the headers with the first bytes
    const stream = await adapterFor().streamReply('301', 'hi');
    const iterator = stream.chunks[Symbol.asyncIterator]();
    // Event-driven: B is written only once A was delivered. A parser holding A back until more
    // bytes come would never deliver it, and this bounded wait says so.
    const first = await Promise.race([
      iterator.next(),
      new Promise((resolve) => setTimeout(() => resolve('A was held back'), 2_000).unref()),
    ]);
    expect(first).toEqual({ value: 'A', done: false });
    body.end(event('B', '\r\r'));
    expect(await iterator.next()).toEqual({ value: 'B', done: false });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect((await stream.reply).text).toBe('AB');
  });

  it('delivers a last event that lacks its blank line when the response ends cleanly', async () => {
    fakeChat();
    fakeSend(`${event('A')}data: ${JSON.stringify({ content: 'B' })}`);
    fakeReadBack(NEW_TURN);
    const stream = await adapterFor().streamReply('301', 'hi');
    expect(await drain(stream)).toEqual({ chunks: ['A', 'B'] });
    expect((await stream.reply).id).toBe('5012');
  });

  it('reads CRLF line ends and skips keepalive comments', async () => {
    fakeChat();
    fakeSend(`: keepalive\r\n\r\n${event('A', '\r\n\r\n')}:ping\r\n\r\n${event('B', '\r\n\r\n')}`);
    fakeReadBack(NEW_TURN);
    const stream = await adapterFor().streamReply('301', 'hi');
    expect(await drain(stream)).toEqual({ chunks: ['A', 'B'] });
  });

  it('refuses a 2xx answer that is not text/event-stream, saying the message may have been stored', async () => {
    fakeChat();
    fakeSend(JSON.stringify({ content: 'AB' }), { 'content-type': 'application/json' });
    const error = await caught(adapterFor().streamReply('301', 'hi'));
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: false, status: 200, method: 'POST' });
    expect(error.message).toMatch(/content-type application\/json instead of the text\/event-stream reply/);
    expect(error.message).toMatch(/may have been stored/);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('fails a stream that ends inside a multi-byte UTF-8 character, in chunks and reply alike', async () => {
    fakeChat();
    const cutInsideE = Buffer.concat([
      Buffer.from(event('A')),
      Buffer.from('data: {"content":"caf'),
      Buffer.from('é').subarray(0, 1),
    ]);
    nock(HOST).post('/api/v11/message').reply(200, cutInsideE, EVENT_STREAM);
    const stream = await adapterFor().streamReply('301', 'hi');
    const { chunks, error } = await drain(stream);
    expect(chunks).toEqual(['A']);
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect(error?.message).toMatch(/not valid UTF-8 \(it ends inside a character\)/);
    expect(await caught(stream.reply)).toBe(error);
  });
});

describe('aurora reply stream: the read-back is tied to this send', () => {
  it('never takes an older identical exchange for this turn: chunks throw when the server stored neither', async () => {
    // The chat's newest message before the send is the old reply (5010); the server then stores
    // nothing, so the newest two are still the old, identical exchange.
    fakeChat(OLD_TURN.slice(0, 1));
    fakeSend(event('A') + event('B'));
    fakeReadBack(OLD_TURN);
    const stream = await adapterFor().streamReply('301', 'hi');
    const { chunks, error } = await drain(stream);
    expect(chunks).toEqual(['A', 'B']);
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect(error?.message).toMatch(/does not show your message and this reply as new messages/);
    expect(await caught(stream.reply)).toBe(error);
    expect(await caught(stream.userMessage)).toBe(error);
  });

  it('reads only the newest two messages, and learns the next baseline from its own turn', async () => {
    fakeChat();
    fakeSend(event('A') + event('B'));
    fakeReadBack(NEW_TURN);
    const adapter = adapterFor();
    expect((await adapter.sendMessage('301', { text: 'hi' })).id).toBe('5011');
    // The second send needs no baseline read: its turn must be newer than 5012.
    fakeSend(event('A') + event('B'));
    fakeReadBack([
      { id: 5014, role: 'assistant', content: 'AB', timestamp: 1_700_000_003_000 },
      { id: 5013, role: 'user', content: 'hi', timestamp: 1_700_000_002_000 },
    ]);
    expect((await adapter.sendMessage('301', { text: 'hi' })).id).toBe('5013');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('reads a wider page only when newer messages than the turn arrived meanwhile', async () => {
    fakeChat();
    fakeSend(event('A') + event('B'));
    const later = {
      id: 5013,
      role: 'system',
      content: 'saved by another client',
      timestamp: 1_700_000_002_000,
    };
    fakeReadBack([later, NEW_TURN[0]]);
    nock(HOST)
      .get('/api/v11/messages')
      .query({ chatId: '301', numMessages: '20' })
      .reply(200, { success: true, messages: [later, ...NEW_TURN, ...OLD_TURN], endOfList: true });
    const stream = await adapterFor().streamReply('301', 'hi');
    expect(await drain(stream)).toEqual({ chunks: ['A', 'B'] });
    expect((await stream.userMessage).id).toBe('5011');
  });

  it('v5: the turn must lie past the history known before the send (positions as ids)', async () => {
    const history = (turns: { role: string; content: string }[]) => ({
      success: true,
      chatHistory: turns.map((turn) => ({ ...turn, timestamp: 1_700_000_000_000 })),
    });
    const old = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'AB' },
    ];
    nock(V5_HOST)
      .post('/api/v5/login')
      .reply(200, { accessToken: TOKEN })
      .get('/api/v5/chats')
      .reply(200, { chats: [{ characterId: 2, chatId: 301 }] })
      .get('/api/v5/character')
      .query(true)
      .reply(200, { iconImage: 'AA==', name: 'Ada', description: 'd', isOfficial: true })
      .get('/api/v5/message/history')
      .query({ chatId: '301' })
      .reply(200, history(old))
      .post('/api/v5/message')
      .reply(200, event('A') + event('B'), EVENT_STREAM)
      .get('/api/v5/message/history')
      .query({ chatId: '301' })
      .reply(200, history(old));
    const error = await caught(adapterFor({ apiVersion: 'v5' }).sendMessage('301', { text: 'hi' }));
    expect(InvalidResponseError.isInstance(error)).toBe(true);
  });
});

describe('aurora reply stream: first-byte and idle deadlines', () => {
  it('fails with TimeoutError when no byte of the answer arrives within firstByteTimeoutMs', async () => {
    // (The emulator tests cover headers that come at once and a body that does not.)
    fakeChat();
    fakeSend(() => new PassThrough());
    const error = await caught(adapterFor({ firstByteTimeoutMs: 150 }).streamReply('301', 'hi'));
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/timed out after 150 ms/);
  });

  it('lets a slow first token through when it is within firstByteTimeoutMs, however small idleTimeoutMs is', async () => {
    fakeChat();
    fakeSend(scheduled([{ ms: 400, text: event('A') }, { ms: 10, text: event('B') }, { ms: 10 }]));
    fakeReadBack(NEW_TURN);
    // `timeoutMs` (other requests' deadline) is small too: it must not apply to the reply either.
    const adapter = adapterFor({ timeoutMs: 150, firstByteTimeoutMs: 10_000, idleTimeoutMs: 100 });
    const stream = await adapter.streamReply('301', 'hi');
    expect(await drain(stream)).toEqual({ chunks: ['A', 'B'] });
  });

  it('resets the idle deadline on any bytes, keepalive comments included', async () => {
    fakeChat();
    const pings = Array.from({ length: 8 }, () => ({ ms: 50, text: ': keepalive\n\n' }));
    fakeSend(scheduled([{ ms: 0, text: event('A') }, ...pings, { ms: 50, text: event('B') }, { ms: 10 }]));
    fakeReadBack(NEW_TURN);
    const stream = await adapterFor({ timeoutMs: 200, idleTimeoutMs: 200 }).streamReply('301', 'hi');
    expect(await drain(stream)).toEqual({ chunks: ['A', 'B'] });
  });

  it('fails with TimeoutError when the body goes silent for idleTimeoutMs after it started', async () => {
    fakeChat();
    fakeSend(scheduled([{ ms: 0, text: event('A') }]));
    const stream = await adapterFor({ idleTimeoutMs: 150 }).streamReply('301', 'hi');
    const { chunks, error } = await drain(stream);
    expect(chunks).toEqual(['A']);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error?.message).toMatch(/stalled \(no byte for 150 ms\) after 1 chunk:/);
  });
});
