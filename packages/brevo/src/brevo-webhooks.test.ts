import {
  type ChatEvent,
  createMemoryStateStore,
  createMessenger,
  type MessageCreatedEvent,
  type StateStore,
} from '@switchboard/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AGENT_ID,
  API,
  agentMessage,
  CONVERSATION_ID,
  conversationFragment,
  conversationStarted,
  conversationTranscript,
  restMessage,
  testAdapter,
  VISITOR_ID,
  visitorMessage,
  WEBHOOK_SECRET,
  webhookRequest,
  webhookVisitor,
} from '../test/brevo-fixtures.js';
import type { BrevoAdapter } from './brevo-adapter.js';

let store: StateStore;
let adapter: BrevoAdapter;
let received: ChatEvent[];

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

beforeEach(async () => {
  store = createMemoryStateStore();
  adapter = testAdapter({ store, retry: false });
  received = [];
  await adapter.subscribe((event) => received.push(event));
});

afterEach(async () => {
  await adapter.close();
  nock.cleanAll();
});

const deliver = (body: unknown, token: string | null = WEBHOOK_SECRET) =>
  adapter.handleWebhook(webhookRequest(body, token));
const texts = (events: ChatEvent[]) =>
  events.filter((e): e is MessageCreatedEvent => e.type === 'message.created').map((e) => e.message.text);

describe('brevo webhooks: authenticity', () => {
  it.each([
    ['no token', null],
    ['a wrong token', 'whsec-wrong'],
    ['a prefix of the token', WEBHOOK_SECRET.slice(0, -1)],
    ['an empty token', ''],
  ])('answers 401 to a delivery with %s, recording nothing', async (_label, token) => {
    const result = await deliver(conversationStarted(visitorMessage('m1', 'forged', 1)), token);
    expect(result).toEqual({ status: 401, events: [] });
    expect(received).toEqual([]);
    expect(await store.keys('')).toEqual([]);
  });

  it('answers 405 to anything but POST', async () => {
    expect(await adapter.handleWebhook(webhookRequest(undefined, WEBHOOK_SECRET, 'GET'))).toEqual({
      status: 405,
      events: [],
    });
  });

  it('answers 400 to a body that is not a Conversations webhook, recording nothing', async () => {
    expect((await deliver('{not json')).status).toBe(400);
    expect((await deliver({ hello: 'world' })).status).toBe(400);
    expect((await deliver({ eventName: 'conversationFragment', messages: [] })).status).toBe(400);
    expect(await store.keys('')).toEqual([]);
  });

  it('acknowledges an unknown event type with 200 and ignores it', async () => {
    expect(await deliver({ eventName: 'conversationRated', conversationId: 'x' })).toEqual({
      status: 200,
      events: [],
    });
  });
});

describe('brevo webhooks: events and records', () => {
  it('conversationStarted → conversation.created then message.created, and a recorded conversation', async () => {
    const result = await deliver(
      conversationStarted(visitorMessage('m1', 'Hi, where is my order?', 1_717_000_000_000)),
    );
    expect(result.status).toBe(200);
    expect(result.events.map((e) => e.type)).toEqual(['conversation.created', 'message.created']);
    expect(received).toEqual(result.events);

    const conversation = await adapter.getConversation(VISITOR_ID);
    expect(conversation).toMatchObject({
      id: VISITOR_ID,
      provider: 'brevo',
      kind: 'support',
      title: 'Dark Orange',
      lastMessage: { id: 'm1', text: 'Hi, where is my order?' },
      updatedAt: new Date(1_717_000_000_000),
      raw: { visitor: { id: VISITOR_ID }, conversationStartPage: { title: 'Washed skinny jeans for women' } },
    });
    expect(conversation.participants).toEqual([
      { id: VISITOR_ID, kind: 'visitor', displayName: 'Dark Orange', isSelf: false },
      { id: AGENT_ID, kind: 'agent', isSelf: true },
    ]);
    const created = result.events[1] as MessageCreatedEvent;
    expect(created.message).toMatchObject({
      id: 'm1',
      conversationId: VISITOR_ID,
      sender: { id: VISITOR_ID, kind: 'visitor', displayName: 'Dark Orange', isSelf: false },
      sentAt: new Date(1_717_000_000_000),
    });
  });

  it('dedupes a redelivered webhook: no events the second time, one copy in history', async () => {
    const body = conversationFragment([visitorMessage('m1', 'once', 10), visitorMessage('m2', 'twice?', 20)]);
    expect(texts((await deliver(body)).events)).toEqual(['once', 'twice?']);
    expect(await deliver(body)).toEqual({ status: 200, events: [] });
    expect(texts(received)).toEqual(['once', 'twice?']);
    expect((await adapter.listMessages(VISITOR_ID, {})).items.map((m) => m.id)).toEqual(['m2', 'm1']);
  });

  it('dedupes concurrent redeliveries', async () => {
    const body = conversationFragment([visitorMessage('m1', 'racing', 10)]);
    const results = await Promise.all([deliver(body), deliver(body), deliver(body)]);
    expect(results.flatMap((r) => texts(r.events))).toEqual(['racing']);
  });

  it('sorts out-of-order messages by createdAt, within and across fragments', async () => {
    await deliver(conversationFragment([visitorMessage('m3', 'three', 30), visitorMessage('m2', 'two', 20)]));
    await deliver(conversationFragment([visitorMessage('m1', 'one', 10)]));
    expect(texts(received)).toEqual(['two', 'three', 'one']);
    const history = await adapter.listMessages(VISITOR_ID, {});
    expect(history.items.map((m) => m.text)).toEqual(['three', 'two', 'one']);
    expect((await adapter.getConversation(VISITOR_ID)).lastMessage?.text).toBe('three');
  });

  it('drops our own echoes (our receivedFrom) but reports other agents, marking self by agent id', async () => {
    const result = await deliver(
      conversationFragment([
        agentMessage('a1', 'echo of ours', 10, { receivedFrom: 'switchboard' }),
        agentMessage('a2', 'typed in Brevo by our agent', 20),
        agentMessage('a3', 'a colleague', 30, { agentId: 'colleague1', agentName: 'Sam' }),
      ]),
    );
    const messages = result.events.flatMap((e) => (e.type === 'message.created' ? [e.message] : []));
    expect(messages.map((m) => [m.text, m.sender.isSelf])).toEqual([
      ['typed in Brevo by our agent', true],
      ['a colleague', false],
    ]);
    expect(messages[1]?.sender).toMatchObject({ id: 'colleague1', kind: 'agent', displayName: 'Sam' });
    expect((await adapter.listMessages(VISITOR_ID, {})).items.map((m) => m.id)).toEqual(['a3', 'a2', 'a1']);
  });

  it('reports a sent message once, whether its echo arrives before or after the send answer', async () => {
    nock(API)
      .post('/v3/conversations/messages')
      .reply(200, restMessage({ id: 'sent1', createdAt: 50 }));
    await deliver(conversationStarted(visitorMessage('m1', 'hello', 10)));
    await deliver(
      conversationFragment([
        agentMessage('sent1', 'Hello! How can I help you?', 50, { receivedFrom: 'switchboard' }),
      ]),
    );
    const sent = await adapter.sendMessage(VISITOR_ID, { text: 'Hello! How can I help you?' });
    await deliver(
      conversationFragment([
        agentMessage('sent1', 'Hello! How can I help you?', 50, { receivedFrom: 'switchboard' }),
      ]),
    );
    expect(
      received.filter((e) => e.type === 'message.created').map((e) => (e as MessageCreatedEvent).message.id),
    ).toEqual(['m1', 'sent1']);
    expect(sent.sender.isSelf).toBe(true);
    expect((await adapter.listMessages(VISITOR_ID, {})).items.map((m) => m.id)).toEqual(['sent1', 'm1']);
  });

  it('reads files in the webhook shape (name/link) and attachments[] in both shapes', async () => {
    const webhookFile = {
      name: 'photo.jpg',
      size: 2048,
      isAllowedFileType: true,
      isImage: true,
      isSticker: false,
      link: 'https://cdn.example/photo.jpg',
      imageInfo: { width: 640, height: 480, previewUrl: 'https://cdn.example/photo-preview.jpg' },
    };
    const docsAttachment = {
      name: 'voice.ogg',
      link: 'https://cdn.example/voice.ogg',
      mimeType: 'audio/ogg',
      isImage: false,
    };
    const sdkAttachment = {
      fileName: 'invoice.pdf',
      url: 'https://cdn.example/invoice.pdf',
      size: 99,
      isImage: false,
    };
    const result = await deliver(
      conversationFragment([
        visitorMessage('f1', 'photo.jpg', 10, { file: webhookFile }),
        visitorMessage('f2', 'voice.ogg', 20, { attachments: [docsAttachment, sdkAttachment] }),
      ]),
    );
    const [photo, files] = result.events.flatMap((e) => (e.type === 'message.created' ? [e.message] : []));
    expect(photo?.attachments).toEqual([
      {
        kind: 'image',
        url: webhookFile.link,
        name: 'photo.jpg',
        sizeBytes: 2048,
        width: 640,
        height: 480,
        raw: webhookFile,
      },
    ]);
    expect(files?.attachments).toEqual([
      {
        kind: 'file',
        url: docsAttachment.link,
        name: 'voice.ogg',
        mimeType: 'audio/ogg',
        raw: docsAttachment,
      },
      { kind: 'file', url: sdkAttachment.url, name: 'invoice.pdf', sizeBytes: 99, raw: sdkAttachment },
    ]);
  });

  it('keeps the valid messages of a fragment when one is malformed', async () => {
    const result = await deliver(
      conversationFragment([{ id: 'bad', type: 'visitor' }, visitorMessage('ok', 'fine', 10)]),
    );
    expect(result.status).toBe(200);
    expect(texts(result.events)).toEqual(['fine']);
  });

  it('a transcript records missed messages and closes the conversation once', async () => {
    await deliver(conversationStarted(visitorMessage('m1', 'one', 10)));
    const transcript = conversationTranscript([
      visitorMessage('m1', 'one', 10),
      agentMessage('a1', 'missed by the fragments', 20),
    ]);
    const first = await deliver(transcript);
    expect(first.events.map((e) => e.type)).toEqual(['message.created', 'conversation.updated']);
    expect(first.events[1]).toMatchObject({ change: 'closed', conversationId: VISITOR_ID });
    expect(await deliver(transcript)).toEqual({ status: 200, events: [] });
    expect((await adapter.listMessages(VISITOR_ID, {})).items).toHaveLength(2);
  });

  it('emits conversation.created once per visitor, and records the webhook conversationId', async () => {
    await deliver(conversationFragment([visitorMessage('m1', 'one', 10)]));
    await deliver(conversationFragment([visitorMessage('m2', 'two', 20)]));
    expect(received.filter((e) => e.type === 'conversation.created')).toHaveLength(1);
    const conversation = await adapter.getConversation(VISITOR_ID);
    expect(conversation.raw).toMatchObject({ visitor: { id: VISITOR_ID } });
    expect(JSON.stringify(await store.get(`brevo:{default}:conversation:${VISITOR_ID}`))).toContain(
      CONVERSATION_ID,
    );
    expect(conversation.participants.map((p) => p.id)).toEqual([VISITOR_ID, AGENT_ID]);
  });

  it('returns events without a subscriber, and stops reporting after the subscription closes', async () => {
    const quiet = testAdapter();
    const seen: ChatEvent[] = [];
    const result = await quiet.handleWebhook(
      webhookRequest(conversationFragment([visitorMessage('m1', 'x', 1)])),
    );
    expect(texts(result.events)).toEqual(['x']);
    const subscription = await quiet.subscribe((event) => seen.push(event));
    await quiet.handleWebhook(webhookRequest(conversationFragment([visitorMessage('m2', 'y', 2)])));
    await subscription.close();
    await quiet.handleWebhook(webhookRequest(conversationFragment([visitorMessage('m3', 'z', 3)])));
    expect(texts(seen)).toEqual(['y']);
    await quiet.close();
  });

  it('answers 500 and forgets the dedupe mark when the store fails, so a redelivery is processed', async () => {
    const errors: unknown[] = [];
    let failing = true;
    const writesMessage = (key: string) => key.startsWith('brevo:') && key.includes(':message:');
    // The failure hits the message write, and the process "dies" before it could undo anything
    // (deletes fail too): only an atomic store-and-mark step lets the redelivery through.
    const flaky: StateStore = {
      ...store,
      set: async (key, value, options) => {
        if (failing && writesMessage(key)) throw new Error('store down');
        return store.set(key, value, options);
      },
      delete: async (key) => {
        if (failing) throw new Error('store down');
        return store.delete(key);
      },
      commit: async (writes, conditions) => {
        if (failing && writes.some((w) => w.type === 'set' && writesMessage(w.key)))
          throw new Error('store down');
        return store.commit(writes, conditions);
      },
    };
    const fragile = testAdapter({ store: flaky });
    await fragile.subscribe(() => undefined, { onError: (error) => errors.push(error) });
    const body = conversationFragment([visitorMessage('m1', 'important', 10)]);
    expect((await fragile.handleWebhook(webhookRequest(body))).status).toBe(500);
    expect(errors).toHaveLength(1);
    failing = false;
    expect(texts((await fragile.handleWebhook(webhookRequest(body))).events)).toEqual(['important']);
    await fragile.close();
  });
});

describe('brevo webhooks: deletions leave a tombstone', () => {
  it('a redelivered echo of a message we deleted does not bring it back', async () => {
    nock(API)
      .post('/v3/conversations/messages')
      .reply(200, restMessage({ id: 'sent1', createdAt: 50 }))
      .delete('/v3/conversations/messages/sent1')
      .reply(204);
    await deliver(conversationStarted(visitorMessage('m1', 'hello', 10)));
    const echo = conversationFragment([
      agentMessage('sent1', 'Hello! How can I help you?', 50, { receivedFrom: 'switchboard' }),
    ]);
    await adapter.sendMessage(VISITOR_ID, { text: 'Hello! How can I help you?' });
    await adapter.deleteMessage(VISITOR_ID, 'sent1');
    expect((await deliver(echo)).status).toBe(200);
    // A stale transcript carrying it is no different.
    await deliver(conversationTranscript([visitorMessage('m1', 'hello', 10), ...echo.messages]));
    expect((await adapter.listMessages(VISITOR_ID, {})).items.map((m) => m.id)).toEqual(['m1']);
    expect((await adapter.getConversation(VISITOR_ID)).lastMessage?.id).toBe('m1');
    expect(received.filter((e) => e.type === 'message.created').length).toBe(2);
  });
});

describe('brevo webhooks: one id rule for ingestion and the API', () => {
  const candidates: Array<[string, string]> = [
    ['a NUL byte', 'visitor\u0000one'],
    ['a leading space', ' visitor-one'],
    ['a trailing newline', 'visitor-one\n'],
    ['2,000 characters', 'v'.repeat(2_000)],
    ['a dot segment', '..'],
    ['1,024 characters', 'v'.repeat(1_024)],
    ['reserved URL characters', 'a/b?c#d%e'],
    ['non-ASCII letters', 'visiteur-é-日本'],
  ];

  it.each(candidates)(
    'a visitorId with %s is accepted by ingestion exactly when the API accepts it',
    async (_label, visitorId) => {
      const errors: unknown[] = [];
      await adapter.subscribe(() => undefined, { onError: (error) => errors.push(error) });
      const messenger = createMessenger(adapter);
      const result = await deliver(
        conversationStarted(visitorMessage('m1', 'hi', 10), { visitor: webhookVisitor({ id: visitorId }) }),
      );
      const api = await Promise.allSettled([
        messenger.getConversation(visitorId),
        messenger.listMessages(visitorId),
        adapter.getConversation(visitorId),
      ]);
      if (result.status === 200) {
        for (const outcome of api) expect(outcome.status).toBe('fulfilled');
        expect(errors).toEqual([]);
      } else {
        expect(result).toEqual({ status: 422, events: [] });
        expect(await store.keys('brevo:conversation:')).toEqual([]);
        for (const outcome of api) {
          expect(outcome.status).toBe('rejected');
          expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'invalid_request' });
        }
        // The app is told why, with the same kind of error the API gives.
        expect(errors).toEqual([expect.objectContaining({ code: 'invalid_request', provider: 'brevo' })]);
        // And a send to it is refused before any request (nock lets none through).
        await expect(messenger.send(visitorId, 'hello')).rejects.toMatchObject({ code: 'invalid_request' });
      }
    },
  );

  it('refuses the three ids independent testing found accepted by ingestion and refused by the API', async () => {
    for (const visitorId of ['visitor\u0000one', ' visitor-one ', 'v'.repeat(2_000)]) {
      const result = await deliver(
        conversationStarted(visitorMessage('m1', 'hi', 10), { visitor: webhookVisitor({ id: visitorId }) }),
      );
      expect(result.status).toBe(422);
    }
    expect(received).toEqual([]);
  });

  it('drops a delivered message whose id the API could not take, keeping the others', async () => {
    const result = await deliver(
      conversationFragment([visitorMessage('..', 'dot', 10), visitorMessage('m2', 'fine', 20)]),
    );
    expect(result.status).toBe(200);
    expect(texts(result.events)).toEqual(['fine']);
  });
});

describe('brevo webhooks: body size and content type', () => {
  const limited = () => testAdapter({ store, retry: false, webhookMaxBodyBytes: 4_096 });
  const big = conversationStarted(visitorMessage('m1', 'x'.repeat(5_000), 10));

  it('answers 413 to an authenticated delivery over the cap (declared length), recording nothing', async () => {
    const small = limited();
    expect((await small.handleWebhook(webhookRequest(big))).status).toBe(413);
    expect(await store.keys('')).toEqual([]);
    expect(
      (await small.handleWebhook(webhookRequest(conversationStarted(visitorMessage('m1', 'hi', 10))))).status,
    ).toBe(200);
    await small.close();
  });

  it('answers 413 to a streamed (chunked) body over the cap, without reading it all', async () => {
    const small = limited();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 1_000) controller.close();
        else controller.enqueue(new TextEncoder().encode('x'.repeat(1_024)));
      },
    });
    const url = new URL('https://app.example.com/webhooks/brevo');
    url.searchParams.set('token', WEBHOOK_SECRET);
    const request = new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect((await small.handleWebhook(request)).status).toBe(413);
    expect(pulled).toBeLessThan(100);
    await small.close();
  });

  it('the default cap is 2 MiB', async () => {
    const justOver = conversationStarted(visitorMessage('m1', 'x'.repeat(2 * 1024 * 1024), 10));
    expect((await deliver(justOver)).status).toBe(413);
  });

  it.each([
    ['text/plain', 415],
    ['application/x-www-form-urlencoded', 415],
    [null, 415],
    ['application/json; charset=utf-8', 200],
    ['Application/JSON', 200],
  ])('content-type %s → %i', async (contentType, status) => {
    const url = new URL('https://app.example.com/webhooks/brevo');
    url.searchParams.set('token', WEBHOOK_SECRET);
    const request = new Request(url, {
      method: 'POST',
      body: JSON.stringify(conversationStarted(visitorMessage('m1', 'hi', 10))),
    });
    if (contentType === null) request.headers.delete('content-type');
    else request.headers.set('content-type', contentType);
    expect((await adapter.handleWebhook(request)).status).toBe(status);
  });

  it('checks the secret before anything else: a forged oversized or non-JSON delivery gets 401', async () => {
    expect((await deliver(big, 'whsec-wrong')).status).toBe(401);
  });
});

describe('brevo webhooks: conversation.raw and own-message detection', () => {
  it("keeps the webhook's own conversationId (and the start page) in conversation.raw", async () => {
    await deliver(conversationStarted(visitorMessage('m1', 'hi', 10)));
    await deliver(conversationFragment([visitorMessage('m2', 'again', 20)]));
    const { raw } = await adapter.getConversation(VISITOR_ID);
    expect(raw).toMatchObject({
      conversationId: CONVERSATION_ID,
      visitor: { id: VISITOR_ID },
      conversationStartPage: { link: 'https://getwear.com/women/151254/' },
    });
  });

  it("reports a second integration's messages (same default marker, another agent) instead of swallowing them", async () => {
    const result = await deliver(
      conversationFragment([
        agentMessage('other1', 'from the other integration', 10, {
          receivedFrom: 'switchboard',
          agentId: 'otherAgent42',
          agentName: 'Bot B',
        }),
        agentMessage('ours1', 'our echo', 20, { receivedFrom: 'switchboard' }),
      ]),
    );
    const messages = result.events.flatMap((e) => (e.type === 'message.created' ? [e.message] : []));
    expect(messages.map((m) => [m.id, m.sender.isSelf])).toEqual([['other1', false]]);
  });
});

describe('brevo requests: ids are one URL path segment', () => {
  it.each(['.', '..'])('refuses message id %j before any request', async (messageId) => {
    await expect(adapter.getMessage(VISITOR_ID, messageId)).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(adapter.deleteMessage(VISITOR_ID, messageId)).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('encodes reserved characters so an id stays inside its segment', async () => {
    nock(API)
      .get('/v3/conversations/messages/a%2F..%2Fb%3Fc%23d')
      .reply(200, restMessage({ id: 'a/../b?c#d', visitorId: VISITOR_ID }));
    const message = await adapter.getMessage(VISITOR_ID, 'a/../b?c#d');
    expect(message.id).toBe('a/../b?c#d');
  });
});
