import {
  type ChatEvent,
  createMessenger,
  InvalidRequestError,
  type Messenger,
  PermissionDeniedError,
} from '@switchboard/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryAdapter, MEMORY_TOKEN_ENV } from './memory-adapter.js';
import { type MemoryBackend, type MemoryBackendOptions, startMemoryBackend } from './memory-backend.js';

let backend: MemoryBackend | undefined;
let messenger: Messenger | undefined;

async function connect(options: MemoryBackendOptions = {}) {
  backend = await startMemoryBackend(options);
  messenger = createMessenger(
    createMemoryAdapter({ baseUrl: backend.url, token: backend.token, retry: false, pollWaitMs: 1_000 }),
  );
  return { backend, messenger };
}

/** Connects, opens a conversation with the peer and starts realtime, recording every ChatEvent. */
async function startRecordingEvents() {
  const { backend, messenger } = await connect();
  const conversationId = await backend.peer.startConversation();
  const events: ChatEvent[] = [];
  messenger.on('event', (event) => events.push(event));
  await messenger.start();
  return { messenger, conversationId, events };
}

afterEach(async () => {
  await messenger?.close();
  await backend?.close();
  messenger = undefined;
  backend = undefined;
  vi.unstubAllEnvs();
});

describe('createMemoryAdapter', () => {
  it('needs a token: from the option, else SWITCHBOARD_MEMORY_TOKEN, else an error naming both', async () => {
    vi.stubEnv(MEMORY_TOKEN_ENV, '');
    expect(() => createMemoryAdapter({ baseUrl: 'http://127.0.0.1:9' })).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        message: expect.stringMatching(/`token`.*SWITCHBOARD_MEMORY_TOKEN/),
      }),
    );
    const started = await startMemoryBackend();
    backend = started;
    vi.stubEnv(MEMORY_TOKEN_ENV, started.token);
    messenger = createMessenger(createMemoryAdapter({ baseUrl: started.url }));
    expect(await messenger.connect()).toMatchObject({ id: 'user_self', handle: 'me', isSelf: true });
  });

  it('refreshes an expired access token once, single-flight, and carries on', async () => {
    // A TTL long enough that the refreshed token cannot expire again under load before both calls are sent.
    const { backend, messenger } = await connect({ accessTokenTtlMs: 1_000 });
    const conversationId = await backend.peer.startConversation();
    await messenger.send(conversationId, 'before expiry');
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    backend.faults.resetStats();
    await Promise.all([messenger.listMessages(conversationId), messenger.getConversation(conversationId)]);
    const paths = backend.faults.requests.map((request) => request.path);
    expect(paths.filter((path) => path === '/v1/sessions/refresh')).toHaveLength(1);
    expect(paths.filter((path) => path === '/v1/sessions')).toHaveLength(0);
  });

  it('maps 409 not_a_member (writing to a conversation we left) to PermissionDeniedError', async () => {
    const { messenger } = await connect();
    const { id } = await messenger.openConversation({ participants: ['peer'], title: 'left behind' });
    await messenger.deleteConversation(id);
    await expect(messenger.send(id, 'anyone?')).rejects.toSatisfy(
      (error) => PermissionDeniedError.isInstance(error) && error.providerCode === 'not_a_member',
    );
  });

  it('maps a 400 from the backend (a limit the Messenger would have refused) to InvalidRequestError', async () => {
    const { backend } = await connect();
    const adapter = createMemoryAdapter({ baseUrl: backend.url, token: backend.token, retry: false });
    const conversationId = await backend.peer.startConversation();
    await expect(adapter.listMessages!(conversationId, { limit: 500 })).rejects.toSatisfy(
      (error) =>
        InvalidRequestError.isInstance(error) &&
        error.status === 400 &&
        error.providerCode === 'invalid_limit',
    );
    await adapter.close!();
  });

  it('reports edits, deletions, reactions, reads and mutes as ChatEvents in realtime', async () => {
    const { messenger, conversationId, events } = await startRecordingEvents();
    const sent = await messenger.send(conversationId, 'hello');
    await messenger.edit(conversationId, sent.id, 'hello, edited');
    await messenger.react(conversationId, sent.id, '🎉');
    await messenger.unreact(conversationId, sent.id, '🎉');
    await messenger.markRead(conversationId, sent.id);
    await messenger.muteConversation(conversationId);
    await messenger.deleteMessage(conversationId, sent.id);
    await vi.waitFor(() => expect(events.at(-1)?.type).toBe('message.deleted'), { timeout: 3_000 });
    expect(events.map((event) => event.type)).toEqual([
      'message.created',
      'message.updated',
      'reaction.added',
      'reaction.removed',
      'read',
      'conversation.updated',
      'message.deleted',
    ]);
    expect(events[1]).toMatchObject({
      message: { id: sent.id, text: 'hello, edited', sender: { isSelf: true } },
    });
    expect(events[2]).toMatchObject({ messageId: sent.id, reaction: { value: '🎉', senderId: 'user_self' } });
    expect(events[5]).toMatchObject({ change: 'muted', conversation: { id: conversationId, muted: true } });
  });

  it('streams a reply: chunks while it is generated, message.delta events to subscribers, then the reply', async () => {
    const { messenger, conversationId, events } = await startRecordingEvents();
    const stream = await messenger.sendStreaming(
      conversationId,
      'Tell me something long enough to need chunks',
    );
    const chunks: string[] = [];
    for await (const chunk of stream.chunks) chunks.push(chunk);
    const reply = await stream.reply;
    expect(chunks.length).toBeGreaterThan(1);
    expect(reply).toMatchObject({
      text: 'You said: "Tell me something long enough to need chunks"',
      sender: { id: 'user_peer', isSelf: false },
    });
    expect(chunks.join('')).toBe(reply.text);
    await vi.waitFor(() =>
      expect(events.at(-1)).toMatchObject({ type: 'message.created', message: { id: reply.id } }),
    );
    const deltas = events.filter((event) => event.type === 'message.delta');
    expect(deltas.map((delta) => delta.delta)).toEqual(chunks);
    expect(deltas.map((delta) => delta.index)).toEqual(chunks.map((_, i) => i));
    expect(events.at(-1)).toMatchObject({ replyId: deltas[0]?.replyId });
  });

  it('keeps polling through backend errors (reported on "error") and resumes from its cursor', async () => {
    const { backend, messenger } = await connect();
    const conversationId = await backend.peer.startConversation();
    const errors: unknown[] = [];
    const texts: string[] = [];
    messenger.on('error', (error) => errors.push(error));
    messenger.on('message', (message) => texts.push(message.text));
    await messenger.start();
    const outage = backend.faults.inject({
      fault: { kind: 'status', status: 500 },
      match: { path: '/v1/events' },
      times: 1,
    });
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 3_000 });
    expect(outage.hits).toBe(1);
    await backend.peer.send(conversationId, 'during the back-off');
    await vi.waitFor(() => expect(texts).toEqual(['during the back-off']), { timeout: 5_000 });
    expect(errors).toEqual([expect.objectContaining({ code: 'provider_unavailable' })]);
  });
});
