import { describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  convoView,
  deletedMessageView,
  messageView,
  PDS,
  SERVICE,
  sessionOutput,
} from '../test/bluesky-fixtures.js';
import { assertValidXrpcRequest } from '../test/lexicon-requests.js';
import { mockXrpc, useOfflineNock, type XrpcCall } from '../test/mock-xrpc.js';
import { createBlueskyAdapter } from './bluesky-adapter.js';

const CONVO = convoView().id;
const MESSAGE = messageView().id;
const PROXY = 'did:web:api.bsky.chat#bsky_chat';
const convo = () => [200, { convo: convoView() }] as const;

/** A fake PDS answering every method the adapter calls with a lexicon-valid body. */
function fakeBluesky() {
  const service = mockXrpc(SERVICE, {
    'com.atproto.server.createSession': () => [200, sessionOutput()],
    'com.atproto.server.refreshSession': () => [200, sessionOutput()],
  });
  const pds = mockXrpc(PDS, {
    'com.atproto.identity.resolveHandle': () => [200, { did: BOB.did }],
    'chat.bsky.convo.listConvos': () => [200, { cursor: 'next', convos: [convoView()] }],
    'chat.bsky.convo.getConvo': convo,
    'chat.bsky.convo.getConvoForMembers': convo,
    'chat.bsky.convo.muteConvo': () => [200, { convo: convoView({ muted: true }) }],
    'chat.bsky.convo.unmuteConvo': convo,
    'chat.bsky.convo.updateRead': convo,
    'chat.bsky.convo.leaveConvo': () => [200, { convoId: CONVO, rev: '2222nbq8aaaaa' }],
    'chat.bsky.convo.acceptConvo': () => [200, {}],
    'chat.bsky.convo.getMessages': () => [200, { messages: [messageView(), deletedMessageView()] }],
    'chat.bsky.convo.sendMessage': (call) => [
      200,
      messageView({ ...(call.body as { message: object }).message, sender: { did: ALICE.did } }),
    ],
    'chat.bsky.convo.deleteMessageForSelf': () => [200, deletedMessageView()],
    'chat.bsky.convo.addReaction': () => [200, { message: messageView() }],
    'chat.bsky.convo.removeReaction': () => [200, { message: messageView() }],
    'chat.bsky.convo.getLog': () => [200, { cursor: '2222nbq9aaaaa', logs: [] }],
  });
  return { service, pds, all: () => [...service.calls, ...pds.calls] };
}

const adapterFor = () =>
  createBlueskyAdapter({
    identifier: ALICE.handle,
    password: 'app-pass-word',
    service: SERVICE,
    retry: false,
  });

/** Every call the fake saw is valid for its lexicon; returns the NSIDs in order. */
function validateAll(calls: XrpcCall[]): string[] {
  return calls.map((call) => assertValidXrpcRequest({ method: call.method, url: call.url, body: call.body }));
}

useOfflineNock();

describe('bluesky request shapes', () => {
  it('every call is valid for its lexicon; chat calls carry Bearer auth and atproto-proxy, resolveHandle neither', async () => {
    const fake = fakeBluesky();
    const adapter = adapterFor();
    await adapter.connect();
    await adapter.listConversations({ limit: 20, cursor: 'c1' });
    await adapter.getConversation(CONVO);
    await adapter.openConversation({ participantIds: ['@Bob.Example.com'] });
    await adapter.openConversation({ participantIds: [BOB.did] });
    await adapter.muteConversation(CONVO, true);
    await adapter.muteConversation(CONVO, false);
    await adapter.listMessages(CONVO, { limit: 100, cursor: 'older' });
    await adapter.sendMessage(CONVO, { text: 'héllo 👋🏽 see https://example.com/a?b=c.' });
    await adapter.deleteMessage(CONVO, MESSAGE);
    await adapter.markRead(CONVO);
    await adapter.markRead(CONVO, MESSAGE);
    await adapter.addReaction(CONVO, MESSAGE, '👍🏽');
    await adapter.removeReaction(CONVO, MESSAGE, '👍🏽');
    await adapter.acceptConversation(CONVO);
    await adapter.deleteConversation(CONVO);
    const subscription = await adapter.subscribe(() => {});
    await subscription.close();
    await adapter.close();

    expect(validateAll(fake.all())).toEqual([
      'com.atproto.server.createSession',
      'chat.bsky.convo.listConvos',
      'chat.bsky.convo.getConvo',
      'com.atproto.identity.resolveHandle',
      'chat.bsky.convo.getConvoForMembers',
      'chat.bsky.convo.getConvoForMembers',
      'chat.bsky.convo.muteConvo',
      'chat.bsky.convo.unmuteConvo',
      'chat.bsky.convo.getMessages',
      'chat.bsky.convo.sendMessage',
      'chat.bsky.convo.deleteMessageForSelf',
      'chat.bsky.convo.updateRead',
      'chat.bsky.convo.updateRead',
      'chat.bsky.convo.addReaction',
      'chat.bsky.convo.removeReaction',
      'chat.bsky.convo.acceptConvo',
      'chat.bsky.convo.leaveConvo',
      'chat.bsky.convo.getLog',
    ]);
    for (const call of fake.pds.calls) {
      const chat = call.nsid.startsWith('chat.');
      if (chat) expect(call.headers.authorization).toMatch(/^Bearer \S+\.access-token-\d+\.\S+$/);
      else expect(call.headers.authorization).toBeUndefined();
      expect(call.headers['atproto-proxy']).toBe(chat ? PROXY : undefined);
      if (call.method === 'POST') expect(call.headers['content-type']).toMatch(/^application\/json/);
      else expect(call.body).toBeUndefined();
    }
  });

  it('sends the documented parameters and bodies', async () => {
    const fake = fakeBluesky();
    const adapter = adapterFor();
    await adapter.listConversations({ limit: 20, cursor: 'c1' });
    await adapter.listConversations({});
    await adapter.openConversation({ participantIds: ['@Bob.Example.com', ALICE.handle] });
    await adapter.listMessages(CONVO, { limit: 100, cursor: 'older' });
    await adapter.markRead(CONVO, MESSAGE);
    await adapter.addReaction(CONVO, MESSAGE, '👍🏽');
    await adapter.close();

    const [firstList, secondList] = fake.pds.callsTo('listConvos');
    expect(Object.fromEntries(firstList!.query)).toEqual({ limit: '20', cursor: 'c1' });
    expect([...secondList!.query.keys()]).toEqual([]);
    expect(fake.pds.callsTo('resolveHandle').map((call) => call.query.get('handle'))).toEqual([
      'bob.example.com',
      ALICE.handle,
    ]);
    // Only the other party: like the official app, never ourselves.
    expect(fake.pds.callsTo('getConvoForMembers')[0]!.query.getAll('members')).toEqual([BOB.did]);
    expect(Object.fromEntries(fake.pds.callsTo('getMessages')[0]!.query)).toEqual({
      convoId: CONVO,
      limit: '100',
      cursor: 'older',
    });
    expect(fake.pds.callsTo('updateRead')[0]!.body).toEqual({ convoId: CONVO, messageId: MESSAGE });
    expect(fake.pds.callsTo('addReaction')[0]!.body).toEqual({
      convoId: CONVO,
      messageId: MESSAGE,
      value: '👍🏽',
    });
  });

  it('sends links as facets with UTF-8 byte offsets', async () => {
    const fake = fakeBluesky();
    const adapter = adapterFor();
    const text = 'héllo 👋🏽 see https://example.com/a?b=c.';
    const sent = await adapter.sendMessage(CONVO, { text });
    await adapter.close();

    const body = fake.pds.callsTo('sendMessage')[0]!.body as {
      convoId: string;
      message: { text: string; facets: unknown[] };
    };
    const byteStart = Buffer.byteLength('héllo 👋🏽 see ');
    expect(body).toEqual({
      convoId: CONVO,
      message: {
        text,
        facets: [
          {
            index: { byteStart, byteEnd: byteStart + Buffer.byteLength('https://example.com/a?b=c') },
            features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/a?b=c' }],
          },
        ],
      },
    });
    expect(sent.attachments).toEqual([
      expect.objectContaining({
        kind: 'link',
        url: 'https://example.com/a?b=c',
        name: 'https://example.com/a?b=c',
      }),
    ]);
    expect(sent.sender).toMatchObject({ id: ALICE.did, handle: ALICE.handle, isSelf: true });
  });

  it('sends plain text without a facets field', async () => {
    const fake = fakeBluesky();
    const adapter = adapterFor();
    await adapter.sendMessage(CONVO, { text: 'no links here' });
    await adapter.close();
    expect(fake.pds.callsTo('sendMessage')[0]!.body).toEqual({
      convoId: CONVO,
      message: { text: 'no links here' },
    });
  });
});
