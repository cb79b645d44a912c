import { inspect } from 'node:util';
import {
  AuthenticationError,
  type ChatEvent,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  ProviderUnavailableError,
  RateLimitError,
  SwitchboardError,
} from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE_PASSWORD, type EmulatorSetup, setupEmulator } from '../test/bluesky-emulator-setup.js';
import { createBlueskyAdapter } from './bluesky-adapter.js';

let setup: EmulatorSetup | undefined;
const start = async (options?: Parameters<typeof setupEmulator>[0]) => {
  setup = await setupEmulator(options);
  return setup;
};
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

const isNotFound = (error: unknown) => NotFoundError.isInstance(error);
const isInvalid = (error: unknown) => InvalidRequestError.isInstance(error);
const nsidsOf = (s: EmulatorSetup) => s.requests.map((request) => new URL(request.url).pathname.slice(6));
const until = async (condition: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
};

describe('bluesky adapter against the emulator', () => {
  it('connects and opens a direct conversation by handle', async () => {
    const { adapter, emulator } = await start();
    const self = await adapter.connect();
    const conversation = await adapter.openConversation({ participantIds: ['@bob.test'] });

    expect(self).toEqual({
      id: emulator.as('alice.test').did,
      handle: 'alice.test',
      kind: 'user',
      isSelf: true,
    });
    expect(conversation).toMatchObject({ provider: 'bluesky', kind: 'direct', unreadCount: 0, muted: false });
    expect(conversation.participants).toEqual([
      expect.objectContaining({ handle: 'alice.test', displayName: 'Alice', isSelf: true }),
      expect.objectContaining({ id: emulator.as('bob.test').did, handle: 'bob.test', isSelf: false }),
    ]);
    // The same conversation again, by DID.
    const again = await adapter.openConversation({ participantIds: [emulator.as('bob.test').did] });
    expect(again.id).toBe(conversation.id);
    expect((await adapter.getConversation(conversation.id)).id).toBe(conversation.id);
    expect((await adapter.listConversations({})).items.map((c) => c.id)).toEqual([conversation.id]);
  });

  it('sends text with emoji and a link; the link facet survives the round trip', async () => {
    const { adapter } = await start();
    const { id } = await adapter.openConversation({ participantIds: ['bob.test'] });
    const text = '👨‍👩‍👧 café → https://example.com/ü?x=1 ok';
    const sent = await adapter.sendMessage(id, { text });

    const [stored] = (await adapter.listMessages(id, {})).items;
    expect(stored).toMatchObject({ id: sent.id, text, sender: { handle: 'alice.test', isSelf: true } });
    expect(stored!.attachments).toEqual([
      expect.objectContaining({
        kind: 'link',
        url: 'https://example.com/ü?x=1',
        name: 'https://example.com/ü?x=1',
      }),
    ]);
    expect((stored!.raw as { facets: unknown[] }).facets).toEqual((sent.raw as { facets: unknown[] }).facets);
  });

  it('pages 250 messages newest first, each exactly once', async () => {
    const { adapter, emulator } = await start();
    const { id } = await adapter.openConversation({ participantIds: ['bob.test'] });
    emulator.seedMessages(id, 250, 'm');

    const texts: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await adapter.listMessages(id, { limit: 100, ...(cursor ? { cursor } : {}) });
      sizes.push(page.items.length);
      texts.push(...page.items.map((message) => message.text));
      cursor = page.nextCursor;
    } while (cursor);

    expect(sizes).toEqual([100, 100, 50]);
    expect(texts).toEqual(Array.from({ length: 250 }, (_, i) => `m${249 - i}`));
  });

  it('deletes for self, marks read, reacts and unreacts', async () => {
    const { adapter, emulator } = await start();
    const { id } = await adapter.openConversation({ participantIds: ['bob.test'] });
    const bob = emulator.as('bob.test');
    const first = bob.sendMessage(id, 'one');
    bob.sendMessage(id, 'two');
    expect((await adapter.getConversation(id)).unreadCount).toBe(2);

    await adapter.markRead(id, first);
    expect((await adapter.getConversation(id)).unreadCount).toBe(1);
    await adapter.markRead(id);
    expect((await adapter.getConversation(id)).unreadCount).toBe(0);

    await adapter.addReaction(id, first, '👍🏽');
    const reacted = (await adapter.listMessages(id, {})).items.find((m) => m.id === first)!;
    expect(reacted.reactions).toEqual([
      expect.objectContaining({ value: '👍🏽', senderId: emulator.as('alice.test').did }),
    ]);
    await adapter.removeReaction(id, first, '👍🏽');
    expect((await adapter.listMessages(id, {})).items.find((m) => m.id === first)!.reactions).toEqual([]);

    await adapter.deleteMessage(id, first);
    const deleted = (await adapter.listMessages(id, {})).items.find((m) => m.id === first)!;
    expect(deleted).toMatchObject({ deleted: true, text: '' });
  });

  it('mutes, unmutes, accepts and leaves', async () => {
    const { adapter, emulator } = await start();
    const bob = emulator.as('bob.test');
    const id = bob.openConvo('alice.test'); // a request for Alice
    bob.sendMessage(id, 'hi alice');

    expect(await adapter.acceptConversation(id)).toBe(true);
    expect(await adapter.acceptConversation(id)).toBe(false);
    expect((await adapter.muteConversation(id, true)).muted).toBe(true);
    expect((await adapter.getConversation(id)).muted).toBe(true);
    expect((await adapter.muteConversation(id, false)).muted).toBe(false);
    await adapter.deleteConversation(id);
    expect((await adapter.listConversations({})).items).toEqual([]);
  });

  it('delivers realtime events: a peer message, our own echo, reactions, reads, conversation changes', async () => {
    const { adapter, emulator } = await start();
    const { id } = await adapter.openConversation({ participantIds: ['bob.test'] });
    const events: ChatEvent[] = [];
    const subscription = await adapter.subscribe((event) => events.push(event));

    const fromBob = emulator.as('bob.test').sendMessage(id, 'ping from bob');
    await until(() => events.some((event) => event.type === 'message.created'));
    const mine = await adapter.sendMessage(id, { text: 'pong' });
    await adapter.addReaction(id, fromBob, '🎉');
    await adapter.markRead(id);
    await adapter.muteConversation(id, true);
    await until(() => events.length >= 5);
    await subscription.close();

    const created = events.filter((event) => event.type === 'message.created');
    expect(
      created.map((event) => [event.message.text, event.message.sender.handle, event.message.sender.isSelf]),
    ).toEqual([
      ['ping from bob', 'bob.test', false],
      ['pong', 'alice.test', true],
    ]);
    expect(created[1]!.type === 'message.created' && created[1]!.message.id).toBe(mine.id);
    expect(events.map((event) => event.type)).toEqual([
      'message.created',
      'message.created',
      'reaction.added',
      'read',
      'conversation.updated',
    ]);
    // One getLog request per tick, for all conversations; the seed is the only one without a cursor.
    const logs = setup!.requests.filter((request) => request.url.includes('chat.bsky.convo.getLog'));
    expect(logs.filter((request) => !new URL(request.url).searchParams.has('cursor'))).toHaveLength(1);
  });

  it('resumes after injected 5xx on getLog without losing or duplicating events', async () => {
    const { adapter, emulator } = await start({ adapter: { retry: false } });
    const { id } = await adapter.openConversation({ participantIds: ['bob.test'] });
    const texts: string[] = [];
    const errors: unknown[] = [];
    const subscription = await adapter.subscribe(
      (event) => {
        if (event.type === 'message.created') texts.push(event.message.text);
      },
      { onError: (error) => errors.push(error) },
    );
    const fault = emulator.faults.inject({
      fault: { kind: 'status', status: 502 },
      match: { path: '/xrpc/chat.bsky.convo.getLog' },
      times: 3,
    });
    const bob = emulator.as('bob.test');
    for (let i = 0; i < 5; i += 1) bob.sendMessage(id, `m${i}`);
    await until(() => texts.length === 5);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await subscription.close();

    expect(fault.hits).toBe(3);
    expect(errors).toHaveLength(3);
    expect(errors.every((error) => ProviderUnavailableError.isInstance(error))).toBe(true);
    expect(texts).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('refreshes an expired access token once for concurrent calls, then carries on', async () => {
    let now = Date.parse('2026-08-20T10:00:00Z');
    const { adapter, emulator } = await start({
      emulator: { accessTokenTtlMs: 60_000, now: () => now },
    });
    const { id } = await adapter.openConversation({ participantIds: ['bob.test'] });
    now += 61_000;
    const results = await Promise.all(Array.from({ length: 5 }, () => adapter.getConversation(id)));
    expect(results.every((conversation) => conversation.id === id)).toBe(true);
    expect(nsidsOf(setup!).filter((nsid) => nsid === 'com.atproto.server.refreshSession')).toHaveLength(1);
    expect(nsidsOf(setup!).filter((nsid) => nsid === 'com.atproto.server.createSession')).toHaveLength(1);
    expect(emulator.faults.requestCount).toBeGreaterThan(0);
  });

  it('logs in again when the refresh token has expired too', async () => {
    let now = Date.parse('2026-08-20T10:00:00Z');
    const { adapter } = await start({
      emulator: { accessTokenTtlMs: 60_000, refreshTokenTtlMs: 120_000, now: () => now },
    });
    await adapter.connect();
    now += 200_000;
    await expect(adapter.listConversations({})).resolves.toEqual({ items: [] });
    expect(nsidsOf(setup!).slice(0, 4)).toEqual([
      'com.atproto.server.createSession',
      'chat.bsky.convo.listConvos',
      'com.atproto.server.refreshSession',
      'com.atproto.server.createSession',
    ]);
  });

  it('explains an app password without DM access', async () => {
    const { adapter } = await start({ aliceDmAccess: false });
    const error = await adapter.listConversations({}).catch((caught: unknown) => caught);
    expect(PermissionDeniedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/Bad token method.*Allow access to your direct messages/);
  });

  it('waits out a short 429 (Retry-After) and fails fast with RateLimitError on a long one', async () => {
    const { adapter, emulator } = await start();
    const { id } = await adapter.openConversation({ participantIds: ['bob.test'] });
    emulator.faults.inject({
      fault: { kind: 'rate-limit', retryAfterMs: 1_000 },
      match: { path: '/xrpc/chat.bsky.convo.sendMessage' },
    });
    // A 429 means the request was not processed: even a send is retried, once.
    await expect(adapter.sendMessage(id, { text: 'after the wait' })).resolves.toMatchObject({
      text: 'after the wait',
    });
    expect((await adapter.listMessages(id, {})).items).toHaveLength(1);

    emulator.faults.inject({
      fault: { kind: 'rate-limit', retryAfterMs: 30_000 },
      match: { path: '/xrpc/chat.bsky.convo.getConvo' },
    });
    const error = await adapter.getConversation(id).catch((caught: unknown) => caught);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(30_000);
  });

  it('does not retry a send whose outcome is unknown', async () => {
    const { adapter, emulator } = await start();
    const { id } = await adapter.openConversation({ participantIds: ['bob.test'] });
    emulator.faults.inject({
      fault: { kind: 'reset-after-processing' },
      match: { path: '/xrpc/chat.bsky.convo.sendMessage' },
    });
    const error = await adapter.sendMessage(id, { text: 'maybe' }).catch((caught: unknown) => caught);
    expect(SwitchboardError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/may have been processed/);
    expect((await adapter.listMessages(id, {})).items.map((m) => m.text)).toEqual(['maybe']);
  });

  it('maps unknown conversations and handles to NotFoundError, bad input to InvalidRequestError', async () => {
    const { adapter, emulator } = await start();
    await expect(adapter.getConversation('3zzzzzzzzzzzz')).rejects.toSatisfy(isNotFound);
    await expect(adapter.sendMessage('3zzzzzzzzzzzz', { text: 'x' })).rejects.toSatisfy(isNotFound);
    await expect(adapter.openConversation({ participantIds: ['nobody.test'] })).rejects.toSatisfy(isNotFound);
    const before = emulator.faults.requestCount;
    const local = [
      adapter.openConversation({ participantIds: ['not a handle!'] }),
      adapter.openConversation({ participantIds: Array.from({ length: 51 }, (_, i) => `m${i}.test`) }),
      adapter.openConversation({ participantIds: ['bob.test'], title: 'x'.repeat(51) }),
      adapter.sendMessage('c', { text: '   ' }),
      adapter.sendMessage('c', { text: 'x'.repeat(1001) }),
      adapter.sendMessage('c', {
        text: '€'.repeat(1000),
        attachments: [{ kind: 'image', url: 'https://x/y.png' }],
      }),
      adapter.sendMessage('c', { text: 'reply', replyToId: 'm' }),
      adapter.addReaction('c', 'm', '👍👍'),
      adapter.listMessages('c', { limit: 101 }),
    ];
    for (const call of local) await expect(call).rejects.toSatisfy(isInvalid);
    expect(emulator.faults.requestCount).toBe(before);
  });

  it('keeps the password and tokens out of every error', async () => {
    const { adapter, emulator, tokens } = await start();
    await adapter.connect();
    emulator.faults.inject({
      fault: { kind: 'status', status: 500 },
      match: { path: /getConvo$/ },
      times: 5,
    });
    const errors = [
      await adapter.getConversation('3l6z5xkxwr22a').catch((caught: unknown) => caught),
      await adapter.getConversation('3zzzzzzzzzzzz').catch((caught: unknown) => caught),
    ];
    const wrongPassword = 'not-alices-password-42';
    const impostor = createBlueskyAdapter({
      identifier: 'alice.test',
      password: wrongPassword,
      service: emulator.url,
    });
    const badLogin = await impostor.connect().catch((caught: unknown) => caught);
    await impostor.close();
    expect(AuthenticationError.isInstance(badLogin)).toBe(true);
    errors.push(badLogin);

    const secrets = [ALICE_PASSWORD, wrongPassword, ...tokens()];
    expect(tokens().length).toBeGreaterThan(0);
    expect(errors.every((error) => SwitchboardError.isInstance(error))).toBe(true);
    for (const error of errors)
      for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10 })])
        for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
