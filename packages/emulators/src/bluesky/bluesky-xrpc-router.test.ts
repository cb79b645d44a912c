import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blueskyAccounts } from '../../test/test-accounts.js';
import { callXrpc, login, type XrpcCallOptions } from './bluesky-test-client.js';
import { type BlueskyEmulator, startBlueskyEmulator } from './index.js';

let emulator: BlueskyEmulator;
let token: string;
let convoId: string;
let messageId: string;

beforeEach(async () => {
  emulator = await startBlueskyEmulator({ accounts: blueskyAccounts('alice', 'bob') });
  token = (await login(emulator, 'alice.test', 'pw-alice')).accessJwt;
  const bob = emulator.as('bob.test');
  convoId = bob.openConvo('alice.test');
  messageId = bob.sendMessage(convoId, 'hello');
});
afterEach(() => emulator.close());

const chat = (nsid: string, options: XrpcCallOptions = {}) =>
  callXrpc(emulator, `chat.bsky.convo.${nsid}`, { token, ...options });

const invalid = (message: string) => ({ error: 'InvalidRequest', message });

describe('atproto-proxy header', () => {
  it('is routed to the chat service when it names did:web:api.bsky.chat#bsky_chat', async () => {
    expect(emulator.proxyHeader).toBe('did:web:api.bsky.chat#bsky_chat');
    expect((await chat('listConvos')).status).toBe(200);
  });

  it('without it the call goes to the AppView, which does not serve chat: 404 XRPCNotSupported', async () => {
    const answer = await chat('listConvos', { proxy: false });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: 'XRPCNotSupported', message: 'XRPCNotSupported' });
    const viaAppView = await chat('listConvos', { proxy: 'did:web:api.bsky.app#bsky_appview' });
    expect(viaAppView.status).toBe(404);
  });

  it.each([
    ['#bsky_chat', 'no did specified in proxy header'],
    ['did:web:api.bsky.chat', 'no service id specified in proxy header'],
    ['did:web:api.bsky.chat#', 'no service id specified in proxy header'],
    ['did:web:api.bsky.chat#bsky_chat#x', 'invalid proxy header format'],
    ['did:web:api.bsky.chat #bsky_chat', 'proxy header cannot contain spaces'],
    ['did:web:chat.example.com#bsky_chat', 'could not resolve proxy did'],
    ['did:web:api.bsky.chat#atproto_labeler', 'could not resolve proxy did service url'],
  ])('malformed %j → 400 InvalidRequest %j', async (proxy, message) => {
    const answer = await chat('listConvos', { proxy });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(invalid(message));
  });

  it('is checked after auth, like the PDS does', async () => {
    const answer = await callXrpc(emulator, 'chat.bsky.convo.listConvos', { proxy: false });
    expect(answer.status).toBe(401);
  });

  it('follows the chatServiceDid option', async () => {
    const custom = await startBlueskyEmulator({
      chatServiceDid: 'did:web:localhost%3A2590',
      accounts: [{ handle: 'alice.test', password: 'pw' }],
    });
    try {
      const session = await login(custom, 'alice.test', 'pw');
      const ok = await callXrpc(custom, 'chat.bsky.convo.listConvos', { token: session.accessJwt });
      expect(custom.proxyHeader).toBe('did:web:localhost%3A2590#bsky_chat');
      expect(ok.status).toBe(200);
      const old = await callXrpc(custom, 'chat.bsky.convo.listConvos', {
        token: session.accessJwt,
        proxy: 'did:web:api.bsky.chat#bsky_chat',
      });
      expect(old.body).toEqual(invalid('could not resolve proxy did'));
    } finally {
      await custom.close();
    }
  });
});

describe('methods and verbs', () => {
  it('a procedure called with GET → 400 "Incorrect HTTP method (GET) expected POST"', async () => {
    const answer = await chat('sendMessage', { method: 'GET' });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(invalid('Incorrect HTTP method (GET) expected POST'));
  });

  it('a query called with POST → 400 "Incorrect HTTP method (POST) expected GET"', async () => {
    const answer = await chat('listConvos', { body: {} });
    expect(answer.body).toEqual(invalid('Incorrect HTTP method (POST) expected GET'));
  });

  it('an NSID the emulator does not implement → 501 MethodNotImplemented', async () => {
    const answer = await callXrpc(emulator, 'chat.bsky.moderation.getActorMetadata', { token, body: {} });
    expect(answer.status).toBe(501);
    expect(answer.body).toEqual({ error: 'MethodNotImplemented', message: 'Method Not Implemented' });
  });

  it('a procedure without a JSON body is rejected', async () => {
    const noBody = await chat('updateAllRead', { method: 'POST' });
    expect(noBody.body).toEqual(invalid('Request encoding (Content-Type) required but not provided'));
    const text = await chat('updateAllRead', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.body).toEqual(invalid('Wrong request encoding (Content-Type): text/plain'));
  });
});

describe('lexicon validation of params and input', () => {
  it.each([
    ['0', 'limit can not be less than 1'],
    ['101', 'limit can not be greater than 100'],
    ['ten', 'limit must be an integer'],
  ])('limit=%s → %s', async (limit, message) => {
    const answer = await chat('getMessages', { params: { convoId, limit } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(invalid(message));
  });

  it('members: required, at most 10, DIDs only', async () => {
    expect((await chat('getConvoForMembers')).body).toEqual(
      invalid('Params must have the property "members"'),
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `did:plc:member${i}`);
    expect((await chat('getConvoForMembers', { params: { members: eleven } })).body).toEqual(
      invalid('members must not have more than 10 elements'),
    );
    expect((await chat('getConvoForMembers', { params: { members: ['bob.test'] } })).body).toEqual(
      invalid('members/0 must be a valid did'),
    );
  });

  it('members must name exactly one existing other account (no group convos)', async () => {
    const recipient = await chat('getConvoForMembers', { params: { members: ['did:plc:nobody'] } });
    expect(recipient.body).toEqual({ error: 'RecipientNotFound', message: 'recipient does not exist' });
    const bob = emulator.as('bob.test').did;
    const two = await chat('getConvoForMembers', { params: { members: [bob, 'did:plc:other'] } });
    expect(two.status).toBe(400);
  });

  it('text: at most 1000 graphemes and 10000 bytes', async () => {
    const send = (text: string) => chat('sendMessage', { body: { convoId, message: { text } } });
    expect((await send('a'.repeat(1000))).status).toBe(200);
    expect((await send('a'.repeat(1001))).body).toEqual(
      invalid('Input/message/text must not be longer than 1000 graphemes'),
    );
    const family = '👨‍👩‍👧‍👦'; // one grapheme, 25 bytes
    expect((await send(family.repeat(400))).status).toBe(200);
    expect((await send(family.repeat(401))).body).toEqual(
      invalid('Input/message/text must not be longer than 10000 characters'),
    );
    expect((await chat('sendMessage', { body: { convoId } })).body).toEqual(
      invalid('Input must have the property "message"'),
    );
  });

  it('sendMessageBatch: at most 100 items, all-or-nothing on a bad convo', async () => {
    const item = { convoId, message: { text: 'x' } };
    expect((await chat('sendMessageBatch', { body: { items: Array(101).fill(item) } })).body).toEqual(
      invalid('Input/items must not have more than 100 elements'),
    );
    const bad = await chat('sendMessageBatch', { body: { items: [item, { ...item, convoId: 'nope' }] } });
    expect(bad.body).toEqual({ error: 'InvalidConvo', message: 'Convo not found' });
    const history = await chat('getMessages', { params: { convoId } });
    expect((history.body as { messages: unknown[] }).messages).toHaveLength(1);
    expect((await chat('sendMessageBatch', { body: { items: Array(100).fill(item) } })).status).toBe(200);
  });

  it('reaction value: exactly one grapheme of at most 64 bytes, and an emoji', async () => {
    const react = (value: string) => chat('addReaction', { body: { convoId, messageId, value } });
    expect((await react('👍👍')).body).toEqual(invalid('Input/value must not be longer than 1 graphemes'));
    expect((await react('')).body).toEqual(invalid('Input/value must not be shorter than 1 characters'));
    expect((await react('a')).body).toMatchObject({ error: 'ReactionInvalidValue' });
    expect((await react('👨‍👩‍👧‍👦')).status).toBe(200);
  });

  it('unknown convos and messages', async () => {
    expect((await chat('getConvo', { params: { convoId: 'nope' } })).body).toEqual({
      error: 'InvalidConvo',
      message: 'Convo not found',
    });
    expect((await chat('getConvo')).body).toEqual(invalid('Params must have the property "convoId"'));
    const missing = await chat('deleteMessageForSelf', { body: { convoId, messageId: '3aaaaaaaaaa22' } });
    expect(missing.body).toEqual(invalid('Message not found'));
  });

  it('a convo of other members is invisible (InvalidConvo)', async () => {
    emulator.addAccount({ handle: 'carol.test', password: 'pw-carol' });
    const carol = await login(emulator, 'carol.test', 'pw-carol');
    const answer = await chat('getMessages', { token: carol.accessJwt, params: { convoId } });
    expect(answer.body).toEqual({ error: 'InvalidConvo', message: 'Convo not found' });
  });
});
