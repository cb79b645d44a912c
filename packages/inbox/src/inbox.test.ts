import {
  createMessenger,
  InvalidRequestError,
  NetworkError,
  UnsupportedOperationError,
} from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { createFakeAdapter, fakeMessage } from '../test/fake-adapter.js';
import { createInbox } from './inbox.js';
import type { AccountHealth, InboxChatEvent, InboxMessage, UnreadChange } from './inbox-types.js';

function twoAccounts(probe?: () => Promise<unknown>) {
  const a = createFakeAdapter('alpha', [{ id: 'c1', at: 10, unread: 1 }]);
  const b = createFakeAdapter('beta', [{ id: 'd1', at: 20 }], {
    capabilities: { markRead: false, reactions: true },
  });
  const inbox = createInbox({
    accounts: { desk: createMessenger(a), social: createMessenger(b) },
    healthCheckIntervalMs: probe ? 20 : false,
    ...(probe ? { probe } : {}),
  });
  return { a, b, inbox };
}

describe('createInbox', () => {
  it('rejects an empty account map and non-messengers', () => {
    expect(() => createInbox({ accounts: {} })).toThrow(InvalidRequestError);
    expect(() => createInbox({ accounts: { x: {} as never } })).toThrow(InvalidRequestError);
  });

  it('answers capabilities per account and delegates only where the manifest allows', async () => {
    const { a, inbox } = twoAccounts();
    expect(inbox.supports('desk', 'markRead')).toBe(true);
    expect(inbox.supports('social', 'markRead')).toBe(false);
    expect(inbox.supports('social', 'reactions')).toBe(true);
    await inbox.markRead('desk:c1');
    expect(a.readCalls).toEqual(['c1']);
    await expect(inbox.markRead({ account: 'social', conversationId: 'd1' })).rejects.toBeInstanceOf(
      UnsupportedOperationError,
    );
    await expect(inbox.send('nobody:c1', 'hi')).rejects.toBeInstanceOf(InvalidRequestError);
    const sent = await inbox.send({ account: 'social', conversationId: 'd1' }, 'hello');
    expect(sent).toMatchObject({ account: 'social', id: 'social:d1:sent-hello', message: { text: 'hello' } });
  });

  it("a listed conversation's last message arriving late through realtime is not counted twice", async () => {
    const a = createFakeAdapter('alpha', [{ id: 'c1', at: 10, unread: 1, lastMessageId: 'm1' }]);
    const inbox = createInbox({ accounts: { desk: createMessenger(a) }, healthCheckIntervalMs: false });
    await inbox.start();
    for await (const _ of inbox.conversations()) {
      // the provider says 1 unread: m1, the listed last message
    }
    expect(inbox.unread().total).toBe(1);
    // realtime lags the list: m1's own event arrives after it, then a really new message
    a.push({
      type: 'message.created',
      provider: 'alpha',
      conversationId: 'c1',
      message: fakeMessage('alpha', 'c1', 'm1', false),
    });
    expect(inbox.unread().total).toBe(1);
    a.push({
      type: 'message.created',
      provider: 'alpha',
      conversationId: 'c1',
      message: fakeMessage('alpha', 'c1', 'm2', false),
    });
    expect(inbox.unread().total).toBe(2);
    await inbox.close();
  });

  it('one event stream with the account attached; unread counts follow events and markRead', async () => {
    const { a, b, inbox } = twoAccounts();
    const events: InboxChatEvent[] = [];
    const messages: InboxMessage[] = [];
    const changes: UnreadChange[] = [];
    inbox.on('event', (e) => events.push(e));
    inbox.on('message', (m) => messages.push(m));
    inbox.on('unread', (c) => changes.push(c));
    await inbox.start();
    for await (const _ of inbox.conversations()) {
      // seeds the counts from the providers' unreadCount
    }
    expect(inbox.unread()).toEqual({ total: 1, byAccount: { desk: 1, social: 0 } });

    const incoming = fakeMessage('beta', 'd1', 'm9', false);
    b.push({ type: 'message.created', provider: 'beta', conversationId: 'd1', message: incoming });
    a.push({
      type: 'message.created',
      provider: 'alpha',
      conversationId: 'c1',
      message: fakeMessage('alpha', 'c1', 'm2', false),
    });
    expect(messages.map((m) => m.id)).toEqual(['social:d1:m9', 'desk:c1:m2']);
    expect(events.map((e) => [e.account, e.event.type])).toEqual([
      ['social', 'message.created'],
      ['desk', 'message.created'],
    ]);
    expect(inbox.unread()).toEqual({ total: 3, byAccount: { desk: 2, social: 1 } });

    // our own message does not count; a read by us (learnt from our own message) resets the count
    b.push({
      type: 'message.created',
      provider: 'beta',
      conversationId: 'd1',
      message: fakeMessage('beta', 'd1', 'm10', true),
    });
    b.push({ type: 'read', provider: 'beta', conversationId: 'd1', readerId: 'peer' });
    expect(inbox.unread().byAccount.social).toBe(1);
    b.push({ type: 'read', provider: 'beta', conversationId: 'd1', readerId: 'me' });
    expect(inbox.unread().byAccount.social).toBe(0);

    await inbox.markRead('desk:c1');
    expect(inbox.unread()).toEqual({ total: 0, byAccount: { desk: 0, social: 0 } });
    expect(changes.at(-1)).toMatchObject({ ref: { account: 'desk', conversationId: 'c1' }, count: 0 });
    await inbox.close();
  });

  it('health: stopped → connected on start, degraded on a realtime error, back on the next success', async () => {
    const { a, inbox } = twoAccounts();
    const seen: AccountHealth[] = [];
    inbox.on('health', (h) => seen.push(h));
    inbox.on('error', () => {});
    expect(inbox.health('desk').state).toBe('stopped');
    await inbox.start();
    expect(inbox.healthAll().map((h) => h.state)).toEqual(['connected', 'connected']);

    // the realtime source reports an outage through the Messenger's 'error'
    inbox.messenger('desk').emit('error', new NetworkError('connection refused', { provider: 'alpha' }));
    expect(inbox.health('desk')).toMatchObject({ state: 'degraded', lastError: { code: 'network' } });
    expect(inbox.health('social').state).toBe('connected');

    // a bad call (not an outage) changes nothing; a successful one recovers
    await expect(inbox.send('desk:c1', '')).rejects.toBeInstanceOf(InvalidRequestError);
    expect(inbox.health('desk').state).toBe('degraded');
    a.push({ type: 'read', provider: 'alpha', conversationId: 'c1' });
    expect(inbox.health('desk').state).toBe('connected');
    await inbox.stop();
    expect(inbox.healthAll().map((h) => h.state)).toEqual(['stopped', 'stopped']);
    expect(seen.map((h) => `${h.account}:${h.state}`)).toEqual([
      'desk:connected',
      'social:connected',
      'desk:degraded',
      'desk:connected',
      'desk:stopped',
      'social:stopped',
    ]);
    await inbox.close();
  });

  it('an account that cannot start is degraded, the others start; the health check recovers it and starts realtime', async () => {
    let down = true;
    const { a, inbox } = twoAccounts(async () => {
      if (down) throw new NetworkError('still down', { provider: 'alpha' });
    });
    const original = a.subscribe!.bind(a);
    a.subscribe = async (sink, options) => {
      if (down) throw new NetworkError('refused', { provider: 'alpha' });
      return original(sink, options);
    };
    const errors: string[] = [];
    inbox.on('error', ({ account }) => errors.push(account));
    await inbox.start();
    expect(inbox.health('desk').state).toBe('degraded');
    expect(inbox.health('social').state).toBe('connected');
    expect(errors).toContain('desk');

    const recovered = new Promise<AccountHealth>((resolve) =>
      inbox.on('health', (h) => h.account === 'desk' && h.state === 'connected' && resolve(h)),
    );
    down = false;
    await recovered;
    expect(a.sink).toBeDefined(); // realtime started on recovery
    await inbox.close();
    expect(a.sink).toBeUndefined();
  });
});
