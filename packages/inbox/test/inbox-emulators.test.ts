import { createBlueskyAdapter } from '@switchboard/bluesky';
import { createChatsApiAdapter } from '@switchboard/chats-api';
import { createMessenger } from '@switchboard/core';
import { type BlueskyEmulator, startBlueskyEmulator } from '@switchboard/emulators/bluesky';
import { type ChatsApiEmulator, startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInbox, type Inbox, type InboxMessage } from '../src/index.js';

/** The inbox over two real adapters talking to their emulators over HTTP/WebSocket on 127.0.0.1. */
describe('inbox over the Bluesky and chats API emulators', () => {
  let bluesky: BlueskyEmulator;
  let chats: ChatsApiEmulator;
  let inbox: Inbox;
  let bskyConvo: string;
  let chatId: string;

  beforeEach(async () => {
    // Alice (us) and Bob on both providers, each logging in with the password `pw-<name>`.
    const people = ['alice', 'bob'];
    bluesky = await startBlueskyEmulator({
      accounts: people.map((name) => ({ handle: `${name}.test`, password: `pw-${name}` })),
    });
    chats = await startChatsApiEmulator({
      users: people.map((name) => ({ username: name, password: `pw-${name}` })),
    });
    // Activity: the chats API conversation first, then the Bluesky one (newer).
    chatId = chats.as('bob').openDirect('alice').id;
    chats.as('bob').sendMessage(chatId, 'older, on the chats API', { via: 'rest' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    bskyConvo = bluesky.as('bob.test').openConvo('alice.test');
    bluesky.as('bob.test').sendMessage(bskyConvo, 'newer, on Bluesky');
    inbox = createInbox({
      accounts: {
        social: createMessenger(
          createBlueskyAdapter({
            identifier: 'alice.test',
            password: 'pw-alice',
            service: bluesky.url,
            pollIntervalMs: 50,
          }),
        ),
        team: createMessenger(
          createChatsApiAdapter({ baseUrl: chats.url, username: 'alice', password: 'pw-alice' }),
        ),
      },
      healthCheckIntervalMs: 100,
    });
    inbox.on('error', () => {});
  });

  afterEach(async () => {
    await inbox.close();
    await Promise.all([bluesky.close(), chats.close()]);
  });

  const nextMessage = (account: string, text: string) =>
    new Promise<InboxMessage>((resolve) => {
      const on = (m: InboxMessage) => {
        if (m.account === account && m.message.text === text) {
          inbox.off('message', on);
          resolve(m);
        }
      };
      inbox.on('message', on);
    });

  it('merges both lists by activity, counts unread, sends in each and receives live replies', async () => {
    await inbox.start();
    const items = [];
    for await (const item of inbox.conversations({ limit: 1 })) items.push(item);
    expect(items.map((i) => [i.account, i.conversation.id])).toEqual([
      ['social', bskyConvo],
      ['team', chatId],
    ]);
    expect(items[0]!.activityAt!.getTime()).toBeGreaterThanOrEqual(items[1]!.activityAt!.getTime());
    expect(inbox.unread().byAccount.social).toBe(1);

    await inbox.send(items[0]!.ref, 'hi bob on bluesky');
    await inbox.send(items[1]!.id, 'hi bob on the team chat');
    const replies = Promise.all([nextMessage('social', 'bsky reply'), nextMessage('team', 'team reply')]);
    bluesky.as('bob.test').sendMessage(bskyConvo, 'bsky reply');
    chats.as('bob').sendMessage(chatId, 'team reply');
    const [fromBsky, fromTeam] = await replies;
    expect(fromBsky.id).toBe(`social:${bskyConvo}:${fromBsky.message.id}`);
    expect(fromTeam.ref).toEqual({ account: 'team', conversationId: chatId, messageId: fromTeam.message.id });
    expect(inbox.unread().byAccount.social).toBe(2);
    await inbox.markRead(items[0]!.ref);
    expect(inbox.unread().byAccount.social).toBe(0);

    const history: string[] = [];
    for await (const m of inbox.messages(items[1]!.ref, { limit: 1 })) history.push(m.message.text);
    expect(history).toEqual(['team reply', 'hi bob on the team chat', 'older, on the chats API']);
  });

  it('one provider failing degrades that account only; the merged list keeps the other and says why', async () => {
    await inbox.start();
    const degraded = new Promise((resolve) =>
      inbox.on('health', (h) => h.account === 'social' && h.state === 'degraded' && resolve(h)),
    );
    const outage = bluesky.faults.inject({
      fault: { kind: 'status', status: 503 },
      times: Number.POSITIVE_INFINITY,
    });
    await degraded;
    expect(inbox.health('team').state).toBe('connected');

    const list = inbox.conversations();
    const accounts: string[] = [];
    for await (const item of list) accounts.push(item.account);
    expect(accounts).toEqual(['team']);
    expect(list.missing.map((m) => [m.account, (m.error as { code: string }).code])).toEqual([
      ['social', 'provider_unavailable'],
    ]);

    // the other account still sends and receives
    const reply = nextMessage('team', 'still here');
    chats.as('bob').sendMessage(chatId, 'still here');
    await reply;

    const recovered = new Promise((resolve) =>
      inbox.on('health', (h) => h.account === 'social' && h.state === 'connected' && resolve(h)),
    );
    outage.remove();
    await recovered;
    const live = nextMessage('social', 'back again');
    bluesky.as('bob.test').sendMessage(bskyConvo, 'back again');
    await live;
  });
});
