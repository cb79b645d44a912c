import {
  type ChatEvent,
  createMessenger,
  InvalidRequestError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  TimeoutError,
} from '@switchboard/core';
import { type AuroraEmulator, defaultAuroraModel, startAuroraEmulator } from '@switchboard/emulators/aurora';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caught } from '../test/aurora-test-helpers.js';
import {
  type AuroraAdapter,
  type AuroraAdapterOptions,
  type AuroraApiVersion,
  createAuroraAdapter,
} from './index.js';

const USER = { username: 'ann', password: 'pw-ann-secret' };
const ADA = '2';

/** Active sockets, servers and timers: what keeps a process from exiting. */
const leakProne = () =>
  process
    .getActiveResourcesInfo()
    .filter((type) => ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'].includes(type)).length;

describe.each<AuroraApiVersion>(['v11', 'v5'])('Aurora adapter %s against the emulator', (apiVersion) => {
  let emulator: AuroraEmulator;
  let adapter: AuroraAdapter;
  let events: ChatEvent[];
  const connect = (options: AuroraAdapterOptions = {}) => {
    adapter = createAuroraAdapter({ ...USER, baseUrl: emulator.url, apiVersion, ...options });
    return adapter;
  };
  beforeEach(async () => {
    emulator = await startAuroraEmulator({ users: [USER, { username: 'eve', password: 'pw-eve' }] });
    connect();
    events = [];
    await adapter.subscribe((event) => events.push(event));
  });
  afterEach(async () => {
    await adapter.close();
    await emulator.close();
  });

  it('queues concurrent sends to one chat: each is stored and answered exactly once, in order', async () => {
    // Replies that take a while to stream, so that unqueued sends would interleave.
    await emulator.close();
    emulator = await startAuroraEmulator({ users: [USER], chunkDelayMs: 3 });
    await adapter.close();
    connect();
    await adapter.subscribe((event) => events.push(event));
    const { id } = await adapter.openConversation({ participantIds: [ADA] });
    const chatId = Number(id);
    emulator.seedMessages(chatId, 30, 'old ');
    const texts = Array.from({ length: 16 }, (_, i) => `concurrent ${i}`);
    const sent = await Promise.all(texts.map((text) => adapter.sendMessage(id, { text })));
    expect(sent.map((m) => m.text)).toEqual(texts);
    expect(new Set(sent.map((m) => m.id)).size).toBe(16);
    const userTurns = emulator
      .messages(chatId)
      .filter((m) => m.role === 'user' && m.content.startsWith('concurrent '))
      .map((m) => m.content);
    expect(userTurns).toEqual(texts);
    const replies = events.filter((e) => e.type === 'message.created');
    expect(replies).toHaveLength(16);
  });

  it('connects and opens a chat with a character, whose initial response is the first message', async () => {
    expect(await adapter.connect()).toMatchObject({ id: 'ann', isSelf: true });
    const conversation = await adapter.openConversation({ participantIds: [ADA] });
    expect(conversation).toMatchObject({
      kind: 'assistant',
      title: 'Ada Lovelace',
      participants: [
        { id: 'ann', isSelf: true },
        { id: ADA, kind: 'bot', displayName: 'Ada Lovelace' },
      ],
    });
    expect((await adapter.openConversation({ participantIds: [ADA] })).id).toBe(conversation.id);
    const { items } = await adapter.listMessages(conversation.id, {});
    expect(items.map((m) => [m.sender.id, m.text])).toEqual([
      [ADA, 'Good day. Shall we discuss the Analytical Engine?'],
    ]);
  });

  it('streams the reply as deltas in order, then one message.created from the character', async () => {
    const { id } = await adapter.openConversation({ participantIds: [ADA] });
    const sent = await adapter.sendMessage(id, { text: 'Hello, Ada 🦊' });

    expect(sent).toMatchObject({
      conversationId: id,
      text: 'Hello, Ada 🦊',
      sender: { id: 'ann', isSelf: true },
    });
    const deltas = events.filter((e) => e.type === 'message.delta');
    const created = events.filter((e) => e.type === 'message.created');
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.map((e) => e.index)).toEqual(deltas.map((_, i) => i));
    expect(new Set(deltas.map((e) => e.replyId)).size).toBe(1);
    expect(created).toHaveLength(1);
    expect(events.at(-1)).toBe(created[0]);
    // The whole reply names the replyId its chunks carried (core's MessageCreatedEvent.replyId).
    expect(created[0]!.replyId).toBe(deltas[0]!.replyId);
    const reply = created[0]!.message;
    expect(reply.text).toBe(deltas.map((e) => e.delta).join(''));
    expect(reply.text).toBe(
      defaultAuroraModel({ character: emulator.characters[1]!, message: 'Hello, Ada 🦊' }),
    );
    expect(reply.sender).toMatchObject({ id: ADA, kind: 'bot', isSelf: false });

    const history = await adapter.listMessages(id, { limit: 2 });
    expect(history.items.map((m) => m.id)).toEqual([reply.id, sent.id]);
  });

  it('exposes the reply as an async iterator of chunks, replayed for a late reader', async () => {
    const { id } = await adapter.openConversation({ participantIds: [ADA] });
    const stream = await adapter.streamReply(id, 'Tell me a story');
    const chunks: string[] = [];
    for await (const chunk of stream.chunks) chunks.push(chunk);
    const reply = await stream.reply;
    expect(chunks.join('')).toBe(reply.text);
    const again: string[] = [];
    for await (const chunk of stream.chunks) again.push(chunk);
    expect(again).toEqual(chunks);
    expect((await stream.userMessage).text).toBe('Tell me a story');
  });

  it('turns a stream cut midway into a NetworkError: no created event, the iterator throws', async () => {
    const { id } = await adapter.openConversation({ participantIds: [ADA] });
    emulator.failNextStream({ afterChunks: 2 });
    const stream = await adapter.streamReply(id, 'cut me off');
    const chunks: string[] = [];
    const error = await caught(
      (async () => {
        for await (const chunk of stream.chunks) chunks.push(chunk);
      })(),
    );
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/cut after 2 chunks: the reply is incomplete\. Your message was sent/);
    expect(chunks).toHaveLength(2);
    expect(await caught(stream.reply)).toBe(error);
    expect(events.filter((e) => e.type === 'message.created')).toEqual([]);
    expect(events.filter((e) => e.type === 'message.delta')).toHaveLength(2);
  });

  it('rejects sendMessage when the stream is cut after the last chunk (the end was never seen)', async () => {
    const { id } = await adapter.openConversation({ participantIds: [ADA] });
    emulator.failNextStream({ afterChunks: 1_000 });
    expect(NetworkError.isInstance(await caught(adapter.sendMessage(id, { text: 'hi' })))).toBe(true);
  });

  it('maps the exhausted quota to RateLimitError with a clear message', async () => {
    await adapter.close();
    connect({ retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } });
    const { id } = await adapter.openConversation({ participantIds: [ADA] });
    emulator.exhaustQuota('ann');
    const error = await caught(adapter.sendMessage(id, { text: 'one more' }));
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: apiVersion === 'v11' ? 429 : 402, retryable: false });
    expect(error.message).toMatch(/quota is used up/);
  });

  it('pages a long history newest first, every message exactly once', async () => {
    const { id } = await adapter.openConversation({ participantIds: [ADA] });
    emulator.seedMessages(Number(id), 250, 'm');
    const messenger = createMessenger(adapter);
    const texts: string[] = [];
    for await (const message of messenger.messages(id, { limit: 100 })) texts.push(message.text);
    expect(texts).toEqual([
      ...Array.from({ length: 250 }, (_, i) => `m${249 - i}`),
      'Good day. Shall we discuss the Analytical Engine?',
    ]);
  });

  it('lists and gets conversations, and deletes one with its messages', async () => {
    const ada = await adapter.openConversation({ participantIds: [ADA] });
    const nemo = await adapter.openConversation({ participantIds: ['3'] });
    const { items } = await adapter.listConversations({});
    expect(items.map((c) => c.id)).toEqual([nemo.id, ada.id]);
    const got = await adapter.getConversation(ada.id);
    expect(got).toMatchObject({ id: ada.id, title: 'Ada Lovelace' });
    expect(got.updatedAt).toBeInstanceOf(Date);
    await adapter.deleteConversation(ada.id);
    expect(emulator.messages(Number(ada.id))).toEqual([]);
    expect(NotFoundError.isInstance(await caught(adapter.getConversation(ada.id)))).toBe(true);
    expect(NotFoundError.isInstance(await caught(adapter.deleteConversation(ada.id)))).toBe(true);
  });

  it('maps a chat deleted behind its back to NotFoundError, whatever the profile answers for it', async () => {
    // v11 answers an unknown chat with the generic 400 "malformed" literal (all its SDK declares),
    // v5 with "Invalid chat ID" where it declares it and the generic 400 elsewhere.
    const ada = await adapter.openConversation({ participantIds: [ADA] });
    const other = createAuroraAdapter({ ...USER, baseUrl: emulator.url, apiVersion });
    await other.deleteConversation(ada.id);
    await other.close();
    for (const call of [
      () => adapter.getConversation(ada.id),
      () => adapter.listMessages(ada.id, {}),
      () => adapter.sendMessage(ada.id, { text: 'still there?' }),
      () => adapter.deleteConversation(ada.id),
    ]) {
      const error = await caught(call());
      expect(NotFoundError.isInstance(error), String(error)).toBe(true);
    }
    expect(emulator.chats('ann')).toEqual([]);
  });

  it('does not see another user’s chat', async () => {
    const foreign = emulator.createChat('eve', 1);
    expect(NotFoundError.isInstance(await caught(adapter.listMessages(String(foreign), {})))).toBe(true);
    expect(NotFoundError.isInstance(await caught(adapter.sendMessage(String(foreign), { text: 'x' })))).toBe(
      true,
    );
  });

  it('logs in again transparently when the token is revoked', async () => {
    const { id } = await adapter.openConversation({ participantIds: [ADA] });
    emulator.revokeTokens('ann');
    expect((await adapter.listMessages(id, {})).items).toHaveLength(1);
  });

  it('works with an access token alone', async () => {
    const { accessToken } = emulator.addUser({ username: 'tok', password: 'pw-tok' });
    await adapter.close();
    adapter = createAuroraAdapter({ accessToken, baseUrl: emulator.url, apiVersion });
    const me = await adapter.connect();
    expect(me).toMatchObject({ id: apiVersion === 'v11' ? 'tok' : 'me', isSelf: true });
    const { id } = await adapter.openConversation({ participantIds: ['1'] });
    expect((await adapter.sendMessage(id, { text: 'hi' })).sender).toEqual(me);
  });

  it('rejects text over 4096 code points through the Messenger, before any request', async () => {
    const messenger = createMessenger(adapter);
    emulator.faults.resetStats();
    const error = await caught(messenger.send('301', '🦊'.repeat(4097)));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(emulator.faults.requestCount).toBe(0);
  });
});

describe('Aurora adapter v11: message deletion and stalls', () => {
  let emulator: AuroraEmulator;
  afterEach(() => emulator.close());

  it('deletes a message of the conversation, and refuses one from another conversation', async () => {
    emulator = await startAuroraEmulator({ users: [USER] });
    const adapter = createAuroraAdapter({ ...USER, baseUrl: emulator.url });
    const ada = await adapter.openConversation({ participantIds: [ADA] });
    const nemo = await adapter.openConversation({ participantIds: ['3'] });
    const [greeting] = (await adapter.listMessages(ada.id, {})).items;
    const [nemoGreeting] = (await adapter.listMessages(nemo.id, {})).items;
    expect(NotFoundError.isInstance(await caught(adapter.deleteMessage!(ada.id, nemoGreeting!.id)))).toBe(
      true,
    );
    await adapter.deleteMessage!(ada.id, greeting!.id);
    expect((await adapter.listMessages(ada.id, {})).items).toEqual([]);
    expect(emulator.messages(Number(nemo.id))).toHaveLength(1);
    await adapter.close();
  });

  it('times out a reply whose first byte takes longer than firstByteTimeoutMs', async () => {
    emulator = await startAuroraEmulator({ users: [USER], chunkDelayMs: 10_000 });
    const adapter = createAuroraAdapter({ ...USER, baseUrl: emulator.url, firstByteTimeoutMs: 300 });
    const { id } = await adapter.openConversation({ participantIds: [ADA] });
    const error = await caught(adapter.sendMessage(id, { text: 'slow' }));
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/sent no byte within 300 ms of its headers after 0 chunks/);
    await adapter.close();
  });

  it('waits firstByteTimeoutMs (not idleTimeoutMs) for a slow first token after the headers came', async () => {
    emulator = await startAuroraEmulator({ users: [USER], replyStartDelayMs: 500 });
    const adapter = createAuroraAdapter({
      ...USER,
      baseUrl: emulator.url,
      firstByteTimeoutMs: 10_000,
      idleTimeoutMs: 150,
    });
    const { id } = await adapter.openConversation({ participantIds: [ADA] });
    const sent = await adapter.sendMessage(id, { text: 'take your time' });
    expect(sent.text).toBe('take your time');
    await adapter.close();
  });

  it('close() stops a reply in progress and leaves no socket or timer behind', async () => {
    const baseline = leakProne();
    emulator = await startAuroraEmulator({ users: [USER], chunkDelayMs: 10_000 });
    const adapter = createAuroraAdapter({ ...USER, baseUrl: emulator.url });
    const { id } = await adapter.openConversation({ participantIds: [ADA] });
    const stream = await adapter.streamReply(id, 'slow');
    await adapter.close();
    const error = await caught(stream.reply);
    expect(NetworkError.isInstance(error) && /adapter was closed/.test(error.message)).toBe(true);
    await emulator.close();
    for (let i = 0; i < 50 && leakProne() > baseline; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(leakProne()).toBeLessThanOrEqual(baseline);
  });

  it('stops a reply when the caller aborts, rejecting with the abort reason', async () => {
    emulator = await startAuroraEmulator({ users: [USER], chunkDelayMs: 10_000 });
    const adapter = createAuroraAdapter({ ...USER, baseUrl: emulator.url });
    const { id } = await adapter.openConversation({ participantIds: [ADA] });
    const controller = new AbortController();
    const stream = await adapter.streamReply(id, 'slow', { signal: controller.signal });
    const reason = new Error('user left');
    controller.abort(reason);
    await expect(stream.reply).rejects.toBe(reason);
    await adapter.close();
  });
});
