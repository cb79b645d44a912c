import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blueskyAccount, blueskyAccounts } from '../../test/test-accounts.js';
import { assertInput, assertOutput, assertParams, callXrpc, login } from './bluesky-test-client.js';
import { type BlueskyEmulator, startBlueskyEmulator } from './index.js';

/**
 * Every response body of every method, checked against the official lexicons of `@atproto/api`
 * (`lexicons.assertValidXrpcOutput`); every request the test sends is checked as valid input first.
 */
let emulator: BlueskyEmulator;
let token: string;
let bobDid: string;

beforeEach(async () => {
  emulator = await startBlueskyEmulator({
    accounts: [blueskyAccount('alice', { displayName: 'Alice 🌷' }), ...blueskyAccounts('bob', 'carol')],
  });
  token = (await login(emulator, 'alice.test', 'pw-alice')).accessJwt;
  bobDid = emulator.as('bob.test').did;
});
afterEach(() => emulator.close());

async function query<T = Record<string, unknown>>(nsid: string, params: Record<string, unknown> = {}) {
  assertParams(nsid, params);
  const answer = await callXrpc(emulator, nsid, {
    token,
    params: params as Record<string, string | number | string[]>,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  return assertOutput<T>(nsid, answer.body);
}

async function procedure<T = Record<string, unknown>>(nsid: string, body: Record<string, unknown>) {
  assertInput(nsid, body);
  const answer = await callXrpc(emulator, nsid, { token, body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return assertOutput<T>(nsid, answer.body);
}

type ConvoOut = { convo: { id: string; members: { did: string }[]; lastMessage?: { $type: string } } };
type MessageOut = { id: string; $type: string; reactions?: unknown[]; embed?: unknown; facets?: unknown[] };

describe('the official validator', () => {
  it('is strict enough to catch a union member without $type or a missing required field', () => {
    const message = { id: '3l6z6c7qaxs2c', rev: '3l6z6c7qaxs2d', text: 'hi', sender: { did: 'did:plc:x' } };
    const sentAt = '2026-08-19T18:04:59.120Z';
    expect(() => assertOutput('chat.bsky.convo.getMessages', { messages: [{ ...message, sentAt }] })).toThrow(
      /\$type/,
    );
    expect(() =>
      assertOutput('chat.bsky.convo.getMessages', {
        messages: [{ $type: 'chat.bsky.convo.defs#messageView', ...message }],
      }),
    ).toThrow(/sentAt/);
  });
});

describe('session methods', () => {
  it('createSession, getSession, refreshSession and resolveHandle answer lexicon-shaped bodies', async () => {
    const created = await procedure<{ refreshJwt: string; accessJwt: string; did: string; didDoc: unknown }>(
      'com.atproto.server.createSession',
      { identifier: 'alice.test', password: 'pw-alice' },
    );
    expect(created.didDoc).toMatchObject({
      id: created.did,
      service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: emulator.url }],
    });

    token = created.accessJwt;
    await query('com.atproto.server.getSession');

    token = created.refreshJwt;
    const refreshed = await callXrpc(emulator, 'com.atproto.server.refreshSession', {
      token,
      method: 'POST',
    });
    expect(refreshed.status).toBe(200);
    assertOutput('com.atproto.server.refreshSession', refreshed.body);

    const resolved = await callXrpc(emulator, 'com.atproto.identity.resolveHandle', {
      params: assertParams('com.atproto.identity.resolveHandle', { handle: 'bob.test' }),
    });
    expect(assertOutput('com.atproto.identity.resolveHandle', resolved.body)).toEqual({ did: bobDid });
  });
});

describe('chat.bsky.convo.* outputs', () => {
  it('convo methods', async () => {
    const { convo } = await query<ConvoOut>('chat.bsky.convo.getConvoForMembers', { members: [bobDid] });
    // members may include the viewer: same convo.
    const aliceDid = convo.members.find((m) => m.did !== bobDid)!.did;
    const again = await query<ConvoOut>('chat.bsky.convo.getConvoForMembers', {
      members: [aliceDid, bobDid],
    });
    expect(again.convo.id).toBe(convo.id);

    await query('chat.bsky.convo.getConvo', { convoId: convo.id });
    const available = await query('chat.bsky.convo.getConvoAvailability', { members: [bobDid] });
    expect(available).toMatchObject({ canChat: true, convo: { id: convo.id } });
    const carolDid = emulator.as('carol.test').did;
    expect(await query('chat.bsky.convo.getConvoAvailability', { members: [carolDid] })).toEqual({
      canChat: true,
    });
    expect(await query('chat.bsky.convo.getConvoAvailability', { members: ['did:plc:nobody'] })).toEqual({
      canChat: false,
    });

    await query('chat.bsky.convo.listConvos', { limit: 10 });
    await query('chat.bsky.convo.listConvos', { readState: 'unread', status: 'accepted' });
    await procedure('chat.bsky.convo.muteConvo', { convoId: convo.id });
    await procedure('chat.bsky.convo.unmuteConvo', { convoId: convo.id });

    const bob = emulator.as('bob.test');
    const fromBob = bob.sendMessage(convo.id, 'hi');
    await procedure('chat.bsky.convo.updateRead', { convoId: convo.id, messageId: fromBob });
    bob.sendMessage(convo.id, 'again');
    expect(await procedure('chat.bsky.convo.updateAllRead', { status: 'accepted' })).toEqual({
      updatedCount: 1,
    });

    // A request convo (carol wrote to alice): accept it, then leave.
    const fromCarol = emulator.as('carol.test').openConvo('alice.test');
    expect(await procedure('chat.bsky.convo.acceptConvo', { convoId: fromCarol })).toEqual({
      rev: expect.any(String),
    });
    expect(await procedure('chat.bsky.convo.acceptConvo', { convoId: fromCarol })).toEqual({});
    expect(await procedure('chat.bsky.convo.leaveConvo', { convoId: fromCarol })).toEqual({
      convoId: fromCarol,
      rev: expect.any(String),
    });
  });

  it('message methods, with facets, a record embed, reactions and deletions', async () => {
    const { convo } = await query<ConvoOut>('chat.bsky.convo.getConvoForMembers', { members: [bobDid] });
    const text = 'hi @bob.test look';
    const sent = await procedure<MessageOut>('chat.bsky.convo.sendMessage', {
      convoId: convo.id,
      message: {
        text,
        facets: [
          {
            index: { byteStart: 3, byteEnd: 12 },
            features: [{ $type: 'app.bsky.richtext.facet#mention', did: bobDid }],
          },
        ],
        embed: {
          $type: 'app.bsky.embed.record',
          record: {
            uri: `at://${bobDid}/app.bsky.feed.post/3l6yzzzzzzz2a`,
            cid: 'bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm',
          },
        },
      },
    });
    expect(sent.$type).toBe('chat.bsky.convo.defs#messageView');
    expect(sent.facets).toHaveLength(1);
    expect(sent.embed).toMatchObject({ record: { $type: 'app.bsky.embed.record#viewNotFound' } });

    const batch = await procedure<{ items: MessageOut[] }>('chat.bsky.convo.sendMessageBatch', {
      items: [
        { convoId: convo.id, message: { text: 'one' } },
        { convoId: convo.id, message: { text: 'two' } },
      ],
    });
    expect(batch.items.map((m) => m.id)).toHaveLength(2);

    const reacted = await procedure<{ message: MessageOut }>('chat.bsky.convo.addReaction', {
      convoId: convo.id,
      messageId: sent.id,
      value: '❤️',
    });
    expect(reacted.message.reactions).toHaveLength(1);
    emulator.as('bob.test').addReaction(convo.id, sent.id, '👍🏽');

    const deleted = await procedure<MessageOut>('chat.bsky.convo.deleteMessageForSelf', {
      convoId: convo.id,
      messageId: batch.items[0]!.id,
    });
    expect(deleted.$type).toBe('chat.bsky.convo.defs#deletedMessageView');

    const history = await query<{ messages: MessageOut[]; relatedProfiles: unknown[] }>(
      'chat.bsky.convo.getMessages',
      { convoId: convo.id, limit: 100 },
    );
    expect(history.messages.map((m) => m.$type)).toEqual([
      'chat.bsky.convo.defs#messageView',
      'chat.bsky.convo.defs#deletedMessageView',
      'chat.bsky.convo.defs#messageView',
    ]);
    expect(history.relatedProfiles).toHaveLength(2);

    const { convo: withLast } = await query<ConvoOut & { convo: { lastReaction?: unknown } }>(
      'chat.bsky.convo.getConvo',
      { convoId: convo.id },
    );
    expect(withLast.lastReaction).toMatchObject({ reaction: { value: '👍🏽' } });

    await procedure('chat.bsky.convo.removeReaction', { convoId: convo.id, messageId: sent.id, value: '❤️' });
  });

  it('getLog: every event type the emulator writes is a valid log union member', async () => {
    const start = await query<{ cursor: string }>('chat.bsky.convo.getLog');
    const { convo } = await query<ConvoOut>('chat.bsky.convo.getConvoForMembers', { members: [bobDid] });
    const bob = emulator.as('bob.test');
    const message = bob.sendMessage(convo.id, 'ping');
    await procedure('chat.bsky.convo.updateRead', { convoId: convo.id });
    await procedure('chat.bsky.convo.addReaction', { convoId: convo.id, messageId: message, value: '🎉' });
    await procedure('chat.bsky.convo.removeReaction', { convoId: convo.id, messageId: message, value: '🎉' });
    await procedure('chat.bsky.convo.muteConvo', { convoId: convo.id });
    await procedure('chat.bsky.convo.unmuteConvo', { convoId: convo.id });
    await procedure('chat.bsky.convo.deleteMessageForSelf', { convoId: convo.id, messageId: message });
    const request = emulator.as('carol.test').openConvo('alice.test');
    await procedure('chat.bsky.convo.acceptConvo', { convoId: request });
    await procedure('chat.bsky.convo.leaveConvo', { convoId: request });

    const log = await query<{ logs: { $type: string }[] }>('chat.bsky.convo.getLog', {
      cursor: start.cursor,
    });
    expect(log.logs.map((event) => event.$type.replace('chat.bsky.convo.defs#', ''))).toEqual([
      'logBeginConvo',
      'logCreateMessage',
      'logReadMessage',
      'logAddReaction',
      'logRemoveReaction',
      'logMuteConvo',
      'logUnmuteConvo',
      'logDeleteMessage',
      'logBeginConvo',
      'logAcceptConvo',
      'logLeaveConvo',
    ]);
  });
});
