import { AtpAgent } from '@atproto/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BlueskyEmulator, startBlueskyEmulator } from './index.js';

let emulator: BlueskyEmulator;

beforeEach(async () => {
  emulator = await startBlueskyEmulator({
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
    expect(history.messages.map((m) => m.id)).toEqual([reply, sent.id]);

    const { data: log } = await chat.getLog({});
    expect(log.cursor).toEqual(expect.any(String));

    const { data: read } = await chat.updateRead({ convoId });
    expect(read.convo.unreadCount).toBe(0);

    const { data: reacted } = await chat.addReaction({ convoId, messageId: reply, value: '👍' });
    expect(reacted.message.reactions).toEqual([expect.objectContaining({ value: '👍' })]);
    const { data: unreacted } = await chat.removeReaction({ convoId, messageId: reply, value: '👍' });
    expect(unreacted.message.reactions ?? []).toEqual([]);
  });
});
