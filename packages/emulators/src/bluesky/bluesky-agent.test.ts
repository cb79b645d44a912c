import { AtpAgent } from '@atproto/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BlueskyEmulator, startBlueskyEmulator } from './index.js';

let emulator: BlueskyEmulator;
let clock = 0;

beforeEach(async () => {
  clock = Date.parse('2026-08-20T12:00:00Z');
  emulator = await startBlueskyEmulator({
    now: () => clock,
    accessTokenTtlMs: 60_000,
    accounts: [
      { handle: 'alice.test', password: 'alice-app-pass', displayName: 'Alice' },
      { handle: 'bob.test', password: 'bob-app-pass' },
    ],
  });
});
afterEach(() => emulator.close());

describe('official AtpAgent against the emulator', () => {
  it('runs a full DM flow', async () => {
    const agent = new AtpAgent({ service: emulator.url });
    await agent.login({ identifier: 'alice.test', password: 'alice-app-pass' });
    const chat = agent.withProxy('bsky_chat', 'did:web:api.bsky.chat').chat.bsky.convo;
    const bob = emulator.as('bob.test');

    const { data: opened } = await chat.getConvoForMembers({ members: [bob.did] });
    const convoId = opened.convo.id;
    expect(opened.convo.members.map((m) => m.handle).sort()).toEqual(['alice.test', 'bob.test']);

    const { data: sent } = await chat.sendMessage({ convoId, message: { text: 'hello bob' } });
    expect(sent.text).toBe('hello bob');
    const reply = bob.sendMessage(convoId, 'hi alice');

    const { data: list } = await chat.listConvos({});
    expect(list.convos).toHaveLength(1);
    expect(list.convos[0]).toMatchObject({ id: convoId, unreadCount: 1 });

    const { data: history } = await chat.getMessages({ convoId });
    expect(history.messages.map((m) => ('id' in m ? m.id : m.$type))).toEqual([reply, sent.id]);

    const { data: log } = await chat.getLog({});
    const later = bob.sendMessage(convoId, 'one more');
    const { data: events } = await chat.getLog({ cursor: log.cursor });
    expect(events.logs).toEqual([
      expect.objectContaining({
        $type: 'chat.bsky.convo.defs#logCreateMessage',
        convoId,
        message: expect.objectContaining({ id: later, text: 'one more' }),
      }),
    ]);

    const { data: read } = await chat.updateRead({ convoId });
    expect(read.convo.unreadCount).toBe(0);
    expect(read.convo.lastMessage).toMatchObject({ id: later });

    const { data: reacted } = await chat.addReaction({ convoId, messageId: reply, value: '👍' });
    expect(reacted.message.reactions).toEqual([expect.objectContaining({ value: '👍' })]);
    const { data: unreacted } = await chat.removeReaction({ convoId, messageId: reply, value: '👍' });
    expect(unreacted.message.reactions ?? []).toEqual([]);
  });

  it('refreshes its session when the access token has expired', async () => {
    const agent = new AtpAgent({ service: emulator.url });
    await agent.login({ identifier: 'alice.test', password: 'alice-app-pass' });
    const chat = agent.withProxy('bsky_chat', 'did:web:api.bsky.chat').chat.bsky.convo;
    const firstAccess = agent.session!.accessJwt;
    const firstRefresh = agent.session!.refreshJwt;
    await chat.listConvos({});

    clock += 60_000;
    const { data } = await chat.listConvos({});
    expect(data.convos).toEqual([]);
    expect(agent.session!.accessJwt).not.toBe(firstAccess);
    expect(agent.session!.refreshJwt).not.toBe(firstRefresh);
    expect(agent.pdsUrl?.origin).toBe(emulator.url);
  });

  it('surfaces "Bad token method" for an app password without DM access', async () => {
    emulator.addAccount({ handle: 'nodm.test', password: 'pw', dmAccess: false });
    const agent = new AtpAgent({ service: emulator.url });
    await agent.login({ identifier: 'nodm.test', password: 'pw' });
    const chat = agent.withProxy('bsky_chat', 'did:web:api.bsky.chat').chat.bsky.convo;
    await expect(chat.listConvos({})).rejects.toMatchObject({
      status: 400,
      error: 'InvalidToken',
      message: 'Bad token method',
    });
  });
});
