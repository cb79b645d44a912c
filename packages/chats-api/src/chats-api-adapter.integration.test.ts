import {
  AuthenticationError,
  NetworkError,
  NotFoundError,
  ProviderUnavailableError,
} from '@switchboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, eventCollector, messageWithText, startFixture } from '../test/chats-api-fixture.js';
import { createChatsApiAdapter } from './chats-api-adapter.js';

let fixture: Awaited<ReturnType<typeof startFixture>>;
beforeEach(async () => {
  fixture = await startFixture();
});
afterEach(() => fixture.teardown());

const wsHandshakes = () => fixture.emulator.faults.requests.filter((r) => r.path === '/ws').length;

describe('conversations', () => {
  it('connects as ourselves and opens the direct chat by username or id, the same one each time', async () => {
    const { adapter, bob } = fixture;
    expect(await adapter.connect!()).toMatchObject({ handle: 'alice', isSelf: true, kind: 'user' });
    const byName = await adapter.openConversation!({ participantIds: ['bob'] });
    expect(byName).toMatchObject({ kind: 'direct', title: 'Bob Builder' });
    expect(byName.participants.map((p) => [p.handle, p.isSelf])).toEqual([
      ['alice', true],
      ['bob', false],
    ]);
    expect((await adapter.openConversation!({ participantIds: [bob.user.id] })).id).toBe(byName.id);
    expect((await adapter.openConversation!({ participantIds: ['@BOB'] })).id).toBe(byName.id);
  });

  it('opens a group when given a title, and rejects unknown users with NotFoundError', async () => {
    const { adapter } = fixture;
    const group = await adapter.openConversation!({ participantIds: ['bob'], title: 'Team' });
    expect(group).toMatchObject({ kind: 'group', title: 'Team' });
    await expect(adapter.openConversation!({ participantIds: ['nobody'] })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      adapter.openConversation!({ participantIds: ['a0000000-0000-4000-8000-0000000000ff'] }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists conversations page by page behind opaque cursors, and gets one with its last message', async () => {
    const { adapter, emulator, bob } = fixture;
    for (const name of ['carol', 'dave', 'erin']) {
      emulator.addUser({ username: name, password: `${name}-password` });
      emulator.as(name).openDirect('alice');
    }
    const chat = bob.openDirect('alice');
    bob.sendMessage(chat.id, 'latest');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await adapter.listConversations!({ cursor, limit: 3 });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(seen[0]).toBe(chat.id);
    const got = await adapter.getConversation!(chat.id);
    expect(got.lastMessage).toMatchObject({ text: 'latest', sender: { handle: 'bob', isSelf: false } });
  });
});

describe('history and sending', () => {
  it('pages 250 messages newest first, each exactly once, even when messages arrive between pages', async () => {
    const { adapter, emulator, bob } = fixture;
    const chat = bob.openDirect('alice');
    emulator.seedMessages(chat.id, 250, 'm');
    const texts: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await adapter.listMessages!(chat.id, { cursor, limit: 100 });
      texts.push(...page.items.map((m) => m.text));
      cursor = page.nextCursor;
      bob.sendMessage(chat.id, `arrived ${texts.length}`);
    } while (cursor);
    expect(texts).toEqual(Array.from({ length: 250 }, (_, i) => `m${249 - i}`));
  });

  it('sends over REST without a subscription, text and image', async () => {
    const { adapter, bob } = fixture;
    const chat = bob.openDirect('alice');
    const sent = await adapter.sendMessage(chat.id, {
      text: 'look',
      attachments: [{ kind: 'image', url: 'https://example.com/cat.png' }],
    });
    expect(sent).toMatchObject({
      text: 'look',
      attachments: [{ kind: 'image', url: 'https://example.com/cat.png' }],
    });
    expect(sent.sender.isSelf).toBe(true);
    expect(fixture.emulator.faults.requests.at(-1)).toEqual({
      method: 'POST',
      path: `/chats/${chat.id}/messages`,
    });
    const history = await adapter.listMessages!(chat.id, {});
    expect(history.items[0]).toMatchObject({ id: sent.id, sender: { handle: 'alice' } });
  });

  it('logs in again once when the token is rejected (401), and fails with an access token', async () => {
    const { adapter, emulator } = fixture;
    await adapter.connect!();
    emulator.revokeTokens();
    await expect(adapter.listConversations!({})).resolves.toBeDefined();
    expect(emulator.faults.requests.filter((r) => r.path === '/token')).toHaveLength(2);

    const tokenAdapter = createChatsApiAdapter({
      baseUrl: emulator.url,
      accessToken: emulator.tokenFor('alice'),
    });
    await tokenAdapter.connect!();
    emulator.revokeTokens();
    await expect(tokenAdapter.listConversations!({})).rejects.toBeInstanceOf(AuthenticationError);
    await tokenAdapter.close!();
  });
});

describe('realtime', () => {
  it("delivers a peer's message, and sends over the socket so the peer's socket sees it live", async () => {
    const { adapter, bob, emulator } = fixture;
    const chat = bob.openDirect('alice');
    const collector = eventCollector();
    const subscription = await adapter.subscribe!(collector.sink, { onError: collector.onError });
    bob.sendMessage(chat.id, 'hi alice');
    const event = await collector.waitFor(messageWithText('hi alice'));
    expect(event).toMatchObject({ conversationId: chat.id, message: { sender: { isSelf: false } } });

    const requestsBefore = emulator.faults.requestCount;
    const sent = await adapter.sendMessage(chat.id, { text: 'hi bob' });
    expect(emulator.faults.requestCount).toBe(requestsBefore);
    expect(await collector.waitFor(messageWithText('hi bob'))).toMatchObject({ message: { id: sent.id } });
    await subscription.close();
    expect(collector.texts()).toEqual(['hi alice', 'hi bob']);
  });

  it('subscribes to chats created after connect: by us (openConversation) and by others (sync)', async () => {
    const { adapter, emulator, bob } = fixture;
    const collector = eventCollector();
    await adapter.subscribe!(collector.sink, { onError: collector.onError });
    const mine = await adapter.openConversation!({ participantIds: ['bob'] });
    bob.sendMessage(mine.id, 'in the chat we opened');
    await collector.waitFor(messageWithText('in the chat we opened'));

    emulator.addUser({ username: 'carol', password: 'carol-password' });
    const theirs = emulator.as('carol').openDirect('alice');
    emulator.as('carol').sendMessage(theirs.id, 'before we knew');
    const syncing = createChatsApiAdapter({
      baseUrl: emulator.url,
      username: ALICE.username,
      password: ALICE.password,
      syncIntervalMs: 50,
    });
    const second = eventCollector();
    const sub = await syncing.subscribe!(second.sink, { onError: second.onError });
    const carolChat = emulator.as('carol').createChat({ users: ['alice'], name: 'Later' });
    emulator.as('carol').sendMessage(carolChat.id, 'in a later chat');
    await second.waitFor(messageWithText('in a later chat'));
    expect(
      second.events.some((e) => e.type === 'conversation.created' && e.conversationId === carolChat.id),
    ).toBe(true);
    emulator.as('carol').sendMessage(carolChat.id, 'live now');
    await second.waitFor(messageWithText('live now'));
    await sub.close();
    await syncing.close!();
  });

  it('reconnects after a drop and delivers what was missed exactly once, oldest first', async () => {
    const { adapter, emulator, bob } = fixture;
    const chat = bob.openDirect('alice');
    const collector = eventCollector();
    await adapter.subscribe!(collector.sink, { onError: collector.onError });
    bob.sendMessage(chat.id, 'before');
    await collector.waitFor(messageWithText('before'));
    emulator.faults.inject({ fault: { kind: 'status', status: 503 }, match: { path: '/ws' }, times: 2 });
    emulator.dropConnections();
    bob.sendMessage(chat.id, 'missed 1');
    bob.sendMessage(chat.id, 'missed 2', { via: 'rest' });
    await collector.waitFor(messageWithText('missed 2'));
    bob.sendMessage(chat.id, 'after');
    await collector.waitFor(messageWithText('after'));
    expect(collector.texts()).toEqual(['before', 'missed 1', 'missed 2', 'after']);
    expect(wsHandshakes()).toBeGreaterThanOrEqual(4);
  });

  it('logs in again when the socket refuses a revoked token on reconnect', async () => {
    const { adapter, emulator, bob } = fixture;
    const chat = bob.openDirect('alice');
    const collector = eventCollector();
    await adapter.subscribe!(collector.sink, { onError: collector.onError });
    emulator.revokeTokens();
    emulator.dropConnections();
    bob.sendMessage(chat.id, 'after relogin');
    await collector.waitFor(messageWithText('after relogin'));
    expect(emulator.faults.requests.filter((r) => r.path === '/token')).toHaveLength(2);
  });

  it('marks read with a seen event, over the live socket or a short-lived one', async () => {
    const { adapter, emulator, bob } = fixture;
    const chat = bob.openDirect('alice');
    const first = bob.sendMessage(chat.id, 'one');
    await adapter.markRead!(chat.id);
    const collector = eventCollector();
    await adapter.subscribe!(collector.sink, { onError: collector.onError });
    const second = bob.sendMessage(chat.id, 'two');
    await adapter.markRead!(chat.id, second.id);
    const read = await collector.waitFor((e) => e.type === 'read' && e.messageId === second.id);
    expect(read).toMatchObject({ conversationId: chat.id, readerId: (await adapter.connect!()).id });
    const page = await adapter.listMessages!(chat.id, {});
    const raw = page.items.map((m) => m.raw as { id: string; seen_by: unknown[] });
    expect(raw.find((m) => m.id === first.id)?.seen_by).toHaveLength(1);
    expect(raw.find((m) => m.id === second.id)?.seen_by).toHaveLength(1);
    expect(emulator.openSockets).toBe(1);
  });

  it('marks several unread messages read oldest first, so the last read event names the message read up to', async () => {
    const { adapter, bob } = fixture;
    const chat = bob.openDirect('alice');
    const collector = eventCollector();
    await adapter.subscribe!(collector.sink, { onError: collector.onError });
    const first = bob.sendMessage(chat.id, 'one');
    const second = bob.sendMessage(chat.id, 'two');
    await collector.waitFor(messageWithText('two'));
    await adapter.markRead!(chat.id, second.id);
    await collector.waitFor((e) => e.type === 'read' && e.messageId === second.id);
    // One seen frame carries both ids: read events in that order must not move the marker back.
    await collector.waitFor((e) => e.type === 'read' && e.messageId === first.id);
    const reads = collector.events.flatMap((e) => (e.type === 'read' ? [e.messageId] : []));
    expect(reads).toEqual([first.id, second.id]);
  });

  it('fails a socket send the server crashes on (1011) with ProviderUnavailableError, and reconnects', async () => {
    const { adapter, bob } = fixture;
    const chat = bob.openDirect('alice');
    const collector = eventCollector();
    await adapter.subscribe!(collector.sink, { onError: collector.onError });
    // The adapter leaves length checks to the Messenger; the server's handler raises on 4001 characters.
    await expect(adapter.sendMessage(chat.id, { text: 'x'.repeat(4001) })).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
    bob.sendMessage(chat.id, 'still here');
    await collector.waitFor(messageWithText('still here'));
    const history = await adapter.listMessages!(chat.id, {});
    expect(history.items.map((m) => m.text)).toEqual(['still here']);
  });

  it('rejects a socket send cut off before its echo, saying it may have been sent, and never resends it', async () => {
    const { adapter, emulator, bob } = fixture;
    const chat = bob.openDirect('alice');
    await adapter.subscribe!(() => undefined);
    const sending = adapter.sendMessage(chat.id, { text: 'cut off' });
    emulator.dropConnections();
    const error = await sending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(NetworkError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/may have been sent/);
    expect(emulator.faults.requests.some((r) => r.path.endsWith('/messages'))).toBe(false);
    const history = await adapter.listMessages!(chat.id, {});
    expect(history.items.filter((m) => m.text === 'cut off').length).toBeLessThanOrEqual(1);
  });

  it('closes every socket on close()', async () => {
    const { adapter, emulator } = fixture;
    await adapter.subscribe!(() => undefined);
    expect(emulator.openSockets).toBe(1);
    await adapter.close!();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emulator.openSockets).toBe(0);
  });
});
