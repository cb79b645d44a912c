import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blueskyAccounts } from '../../test/test-accounts.js';
import { assertOutput, callXrpc, login, type XrpcCallOptions } from './bluesky-test-client.js';
import { type BlueskyEmulator, startBlueskyEmulator } from './index.js';

let emulator: BlueskyEmulator;
let token: string;

beforeEach(async () => {
  emulator = await startBlueskyEmulator({
    accounts: blueskyAccounts('alice', 'bob', 'carol', 'dave', 'erin', 'frank'),
  });
  token = (await login(emulator, 'alice.test', 'pw-alice')).accessJwt;
});
afterEach(() => emulator.close());

async function chat<T>(nsid: string, options: XrpcCallOptions = {}): Promise<T> {
  const answer = await callXrpc(emulator, `chat.bsky.convo.${nsid}`, { token, ...options });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return assertOutput<T>(`chat.bsky.convo.${nsid}`, answer.body);
}

type MessagesPage = { cursor?: string; messages: { id: string; text?: string }[] };
type ConvosPage = { cursor?: string; convos: { id: string; unreadCount: number; status?: string }[] };
type LogEvent = { $type: string; rev: string; convoId: string; message?: { id: string; text?: string } };
type LogPage = { cursor: string; logs: LogEvent[] };

/** Walks getMessages to the end; returns the texts in the order received and the page count. */
async function walkMessages(convoId: string, limit: number, between?: () => void) {
  const texts: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page: MessagesPage = await chat('getMessages', {
      params: { convoId, limit, ...(cursor ? { cursor } : {}) },
    });
    texts.push(...page.messages.map((m) => m.text ?? ''));
    cursor = page.cursor;
    pages += 1;
    between?.();
  } while (cursor);
  return { texts, pages };
}

describe('getMessages', () => {
  it('pages newest → oldest, every message exactly once, no cursor on the last page', async () => {
    const bob = emulator.as('bob.test');
    const convoId = bob.openConvo('alice.test');
    emulator.seedMessages(convoId, 1234, 'm');
    bob.sendMessage(convoId, 'live-1');
    bob.sendMessage(convoId, 'live-2');

    const { texts, pages } = await walkMessages(convoId, 100);
    const expected = [...Array.from({ length: 1234 }, (_, i) => `m${i}`), 'live-1', 'live-2'].reverse();
    expect(texts).toEqual(expected);
    expect(pages).toBe(13);
  });

  it('defaults to 50 per page', async () => {
    const convoId = emulator.as('bob.test').openConvo('alice.test');
    emulator.seedMessages(convoId, 120, 'x');
    const page: MessagesPage = await chat('getMessages', { params: { convoId } });
    expect(page.messages).toHaveLength(50);
    expect(page.messages[0]!.text).toBe('x119');
  });

  it('an exact multiple of the page size ends without an empty page', async () => {
    const convoId = emulator.as('bob.test').openConvo('alice.test');
    emulator.seedMessages(convoId, 200, 'x');
    expect(await walkMessages(convoId, 100)).toMatchObject({ pages: 2 });
  });

  it('messages sent while paging do not shift older pages', async () => {
    const bob = emulator.as('bob.test');
    const convoId = bob.openConvo('alice.test');
    emulator.seedMessages(convoId, 250, 'old');
    let n = 0;
    const { texts } = await walkMessages(convoId, 60, () => bob.sendMessage(convoId, `new${n++}`));
    expect(texts).toEqual(Array.from({ length: 250 }, (_, i) => `old${249 - i}`));
  });

  it('seedMessages alternates senders or uses the one given', async () => {
    const bob = emulator.as('bob.test');
    const convoId = bob.openConvo('alice.test');
    emulator.seedMessages(convoId, 4, 'a');
    emulator.seedMessages(convoId, 2, 'b', 'bob.test');
    const page: { messages: { sender: { did: string } }[] } = await chat('getMessages', {
      params: { convoId },
    });
    const senders = page.messages.map((m) => (m.sender.did === bob.did ? 'bob' : 'alice')).reverse();
    expect(senders).toEqual(['bob', 'alice', 'bob', 'alice', 'bob', 'bob']);
  });

  it('pages a 100,000-message history by index', async () => {
    const convoId = emulator.as('bob.test').openConvo('alice.test');
    emulator.seedMessages(convoId, 100_000, 'h');
    expect(emulator.stats()).toMatchObject({ messages: 100_000, logEntries: 2 });

    const { texts, pages } = await walkMessages(convoId, 100);
    expect(pages).toBe(1000);
    expect(texts).toHaveLength(100_000);
    expect(texts[0]).toBe('h99999');
    expect(texts.at(-1)).toBe('h0');
    expect(new Set(texts).size).toBe(100_000);
    // A correctness check at size (1,000 requests over HTTP), not a speed target: room for a loaded CI box.
  }, 60_000);
});

describe('listConvos', () => {
  it('orders by most recent activity and pages exactly once', async () => {
    const handles = ['bob', 'carol', 'dave', 'erin', 'frank'];
    const ids = handles.map((name) => emulator.as(`${name}.test`).openConvo('alice.test'));
    // carol writes last → first; bob's convo (oldest, no message) → last.
    emulator.as('dave.test').sendMessage(ids[2]!, 'hi');
    emulator.as('carol.test').sendMessage(ids[1]!, 'hi');

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page: ConvosPage = await chat('listConvos', {
        params: { limit: 2, ...(cursor ? { cursor } : {}) },
      });
      seen.push(...page.convos.map((c) => c.id));
      cursor = page.cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([ids[1], ids[2], ids[4], ids[3], ids[0]]);
  });

  it('filters by readState=unread and status', async () => {
    const bobConvo = emulator.as('bob.test').openConvo('alice.test');
    emulator.as('bob.test').sendMessage(bobConvo, 'unread');
    const { convo: mine } = await chat<{ convo: { id: string } }>('getConvoForMembers', {
      params: { members: [emulator.as('carol.test').did] },
    });

    const unread: ConvosPage = await chat('listConvos', { params: { readState: 'unread' } });
    expect(unread.convos.map((c) => c.id)).toEqual([bobConvo]);
    const requests: ConvosPage = await chat('listConvos', { params: { status: 'request' } });
    expect(requests.convos.map((c) => c.id)).toEqual([bobConvo]);
    const accepted: ConvosPage = await chat('listConvos', { params: { status: 'accepted' } });
    expect(accepted.convos.map((c) => c.id)).toEqual([mine.id]);
  });
});

describe('convo state', () => {
  it('unread counts follow incoming messages and updateRead', async () => {
    const bob = emulator.as('bob.test');
    const convoId = bob.openConvo('alice.test');
    const first = bob.sendMessage(convoId, '1');
    bob.sendMessage(convoId, '2');
    bob.sendMessage(convoId, '3');
    const get = async () =>
      (await chat<{ convo: { unreadCount: number } }>('getConvo', { params: { convoId } })).convo;
    expect((await get()).unreadCount).toBe(3);
    await chat('updateRead', { body: { convoId, messageId: first } });
    expect((await get()).unreadCount).toBe(2);
    await chat('sendMessage', { body: { convoId, message: { text: 'mine' } } });
    expect((await get()).unreadCount).toBe(2);
    await chat('updateRead', { body: { convoId } });
    expect((await get()).unreadCount).toBe(0);
  });

  it('a request becomes accepted by acceptConvo or by replying; leaving hides until the next message', async () => {
    const bob = emulator.as('bob.test');
    const convoId = bob.openConvo('alice.test');
    const status = async () =>
      (await chat<{ convo: { status: string } }>('getConvo', { params: { convoId } })).convo.status;
    const listed = async () => (await chat<ConvosPage>('listConvos')).convos.map((c) => c.id);
    expect(await status()).toBe('request');
    await chat('sendMessage', { body: { convoId, message: { text: 'hi' } } });
    expect(await status()).toBe('accepted');

    await chat('leaveConvo', { body: { convoId } });
    expect(await listed()).toEqual([]);
    bob.sendMessage(convoId, 'are you there?');
    expect(await listed()).toEqual([convoId]);
    expect(await status()).toBe('request');
    expect(await chat('acceptConvo', { body: { convoId } })).toEqual({ rev: expect.any(String) });
    expect(await status()).toBe('accepted');
  });

  it('mute is per viewer', async () => {
    const bob = emulator.as('bob.test');
    const convoId = bob.openConvo('alice.test');
    const muted = await chat<{ convo: { muted: boolean } }>('muteConvo', { body: { convoId } });
    expect(muted.convo.muted).toBe(true);
    bob.unmuteConvo(convoId);
    const after = await chat<{ convo: { muted: boolean } }>('getConvo', { params: { convoId } });
    expect(after.convo.muted).toBe(true);
  });

  it('deleteMessageForSelf hides the message for the viewer only', async () => {
    const bob = emulator.as('bob.test');
    const convoId = bob.openConvo('alice.test');
    const id = bob.sendMessage(convoId, 'secret');
    await chat('deleteMessageForSelf', { body: { convoId, messageId: id } });
    const mine: { messages: { $type: string; text?: string }[] } = await chat('getMessages', {
      params: { convoId },
    });
    expect(mine.messages[0]).toMatchObject({ $type: 'chat.bsky.convo.defs#deletedMessageView', id });
    expect(mine.messages[0]!.text).toBeUndefined();
    expect(() => bob.addReaction(convoId, id, '👍')).not.toThrow();
    const react = await callXrpc(emulator, 'chat.bsky.convo.addReaction', {
      token,
      body: { convoId, messageId: id, value: '👍' },
    });
    expect(react.body).toMatchObject({ error: 'ReactionMessageDeleted' });
  });

  it('reactions are idempotent and limited to 5 per user per message', async () => {
    const bob = emulator.as('bob.test');
    const convoId = bob.openConvo('alice.test');
    const id = bob.sendMessage(convoId, 'react to me');
    const react = (value: string) =>
      callXrpc(emulator, 'chat.bsky.convo.addReaction', { token, body: { convoId, messageId: id, value } });
    for (const value of ['😀', '😀', '😂', '🥲', '😍', '🤔']) expect((await react(value)).status).toBe(200);
    const sixth = await react('🙃');
    expect(sixth.status).toBe(400);
    expect(sixth.body).toMatchObject({ error: 'ReactionLimitReached' });
    bob.addReaction(convoId, id, '🙃'); // the limit is per user
    const page: { messages: { reactions?: { value: string }[] }[] } = await chat('getMessages', {
      params: { convoId },
    });
    expect(page.messages[0]!.reactions!.map((r) => r.value)).toEqual(['😀', '😂', '🥲', '😍', '🤔', '🙃']);
  });
});

describe('getLog', () => {
  it('without a cursor answers only the latest cursor; then events after it, oldest first', async () => {
    const bob = emulator.as('bob.test');
    const before = bob.openConvo('alice.test');
    bob.sendMessage(before, 'old news');

    const init: LogPage = await chat('getLog');
    expect(init.logs).toEqual([]);
    expect(init.cursor).toMatch(/^[234567a-z]{13}$/);

    const idle: LogPage = await chat('getLog', { params: { cursor: init.cursor } });
    expect(idle).toEqual({ cursor: init.cursor, logs: [] });

    const m1 = bob.sendMessage(before, 'one');
    const m2 = bob.sendMessage(before, 'two');
    const next: LogPage = await chat('getLog', { params: { cursor: init.cursor } });
    expect(next.logs.map((e) => e.message?.id)).toEqual([m1, m2]);
    expect(next.cursor).toBe(next.logs.at(-1)!.rev);
    const revs = next.logs.map((e) => e.rev);
    expect(revs.every((rev) => rev > init.cursor && rev.length === init.cursor.length)).toBe(true);
    expect([...revs].sort()).toEqual(revs);

    expect(await chat('getLog', { params: { cursor: next.cursor } })).toEqual({
      cursor: next.cursor,
      logs: [],
    });
  });

  it('covers all convos of the viewer and only theirs', async () => {
    const { cursor } = await chat<LogPage>('getLog');
    const fromBob = emulator.as('bob.test').openConvo('alice.test');
    const fromCarol = emulator.as('carol.test').openConvo('alice.test');
    const elsewhere = emulator.as('dave.test').openConvo('erin.test');
    emulator.as('dave.test').sendMessage(elsewhere, 'not for alice');
    const page: LogPage = await chat('getLog', { params: { cursor } });
    expect(page.logs.map((e) => e.convoId)).toEqual([fromBob, fromCarol]);
  });

  it('answers at most 100 events; the client polls again with the new cursor', async () => {
    const bob = emulator.as('bob.test');
    const convoId = bob.openConvo('alice.test');
    const { cursor } = await chat<LogPage>('getLog');
    for (let i = 0; i < 150; i += 1) bob.sendMessage(convoId, `n${i}`);
    const first: LogPage = await chat('getLog', { params: { cursor } });
    const second: LogPage = await chat('getLog', { params: { cursor: first.cursor } });
    expect(first.logs).toHaveLength(100);
    expect(second.logs).toHaveLength(50);
    const texts = [...first.logs, ...second.logs].map((e) => e.message?.text);
    expect(texts).toEqual(Array.from({ length: 150 }, (_, i) => `n${i}`));
  });

  it('both members see a message and reactions; reads, mutes and deletions stay private', async () => {
    const bob = emulator.as('bob.test');
    const convoId = bob.openConvo('alice.test');
    const id = bob.sendMessage(convoId, 'hi');
    const bobSession = await login(emulator, 'bob.test', 'pw-bob');
    const { cursor: bobCursor } = await chat<LogPage>('getLog', { token: bobSession.accessJwt });
    await chat('addReaction', { body: { convoId, messageId: id, value: '👋' } });
    await chat('updateRead', { body: { convoId } });
    await chat('muteConvo', { body: { convoId } });
    await chat('deleteMessageForSelf', { body: { convoId, messageId: id } });
    const bobLog: LogPage = await chat('getLog', {
      token: bobSession.accessJwt,
      params: { cursor: bobCursor },
    });
    expect(bobLog.logs.map((e) => e.$type)).toEqual(['chat.bsky.convo.defs#logAddReaction']);
  });
});
