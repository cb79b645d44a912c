import {
  AuthenticationError,
  type ChatEvent,
  createMessenger,
  InvalidResponseError,
  type Message,
  type Messenger,
  NetworkError,
  ProviderUnavailableError,
  RateLimitError,
} from '@switchboard/core';
import {
  type BrevoEmulator,
  type BrevoEmulatorOptions,
  startBrevoEmulator,
} from '@switchboard/emulators/brevo';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startWebhookServer, type WebhookServer } from '../test/webhook-server.js';
import { type BrevoAdapter, createBrevoAdapter } from './brevo-adapter.js';
import type { BrevoAdapterOptions } from './brevo-options.js';

/**
 * The adapter against the Brevo emulator over real HTTP: the emulator plays the visitor and POSTs
 * webhooks to the adapter's handler, mounted on a local Node HTTP server as an app would mount it.
 */
const SECRET = 'integration-webhook-secret';

interface World {
  emulator: BrevoEmulator;
  adapter: BrevoAdapter;
  messenger: Messenger;
  server: WebhookServer;
  agentId: string;
}

const worlds: World[] = [];

async function world(
  options: { emulator?: BrevoEmulatorOptions; adapter?: Partial<BrevoAdapterOptions> } = {},
): Promise<World> {
  const emulator = await startBrevoEmulator(options.emulator);
  const agentId = emulator.agents.list()[0]!.id;
  const adapter = createBrevoAdapter({
    apiKey: emulator.apiKey,
    baseUrl: emulator.url,
    agent: { id: agentId },
    webhookSecret: SECRET,
    presenceIntervalMs: false,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    ...options.adapter,
  });
  const server = await startWebhookServer((request) => adapter.handleWebhook(request));
  emulator.setWebhook(server.url, SECRET);
  const created = { emulator, adapter, messenger: createMessenger(adapter), server, agentId };
  worlds.push(created);
  return created;
}

afterEach(async () => {
  for (const { messenger, server, emulator } of worlds.splice(0)) {
    await messenger.close();
    await server.close();
    await emulator.close();
  }
});

/** Collects the messenger's `'message'` events. */
function messagesOf(messenger: Messenger): Message[] {
  const seen: Message[] = [];
  messenger.on('message', (message) => seen.push(message));
  return seen;
}

async function history(messenger: Messenger, conversationId: string, limit = 2) {
  const items: Message[] = [];
  for await (const message of messenger.messages(conversationId, { limit })) items.push(message);
  return items;
}

describe('brevo adapter ↔ emulator', () => {
  it('a visitor writes: the webhook reaches the handler, the app gets the message and the conversation', async () => {
    const { emulator, messenger } = await world();
    await messenger.start();
    const seen = messagesOf(messenger);
    const visitor = emulator.visitor({ displayedName: 'Jane' });
    await visitor.write('Hi, where is my order?');
    await visitor.write('Order #42');

    expect(seen.map((m) => [m.text, m.sender.kind, m.sender.isSelf])).toEqual([
      ['Hi, where is my order?', 'visitor', false],
      ['Order #42', 'visitor', false],
    ]);
    const conversation = await messenger.getConversation(visitor.id);
    expect(conversation).toMatchObject({ id: visitor.id, kind: 'support', title: 'Jane' });
    expect(conversation.lastMessage?.text).toBe('Order #42');
    const listed = [];
    for await (const c of messenger.conversations()) listed.push(c.id);
    expect(listed).toEqual([visitor.id]);
  });

  it('sends as the agent, drops the webhook echo, and keeps the whole thread newest first', async () => {
    const { emulator, messenger, agentId } = await world();
    await messenger.start();
    const events: ChatEvent[] = [];
    messenger.on('event', (event) => events.push(event));
    const visitor = emulator.visitor();
    await visitor.write('Hello?');
    const sent = await messenger.send(visitor.id, 'Hi! How can I help?');
    await emulator.webhooks.idle();
    await visitor.write('Where is my parcel?');

    expect(emulator.messages(visitor.id).at(1)).toMatchObject({
      id: sent.id,
      agentId,
      receivedFrom: 'switchboard',
      text: 'Hi! How can I help?',
    });
    const echoes = emulator.webhooks.deliveries.filter((d) => JSON.stringify(d.body).includes(sent.id));
    expect(echoes).toHaveLength(1);
    const created = events.flatMap((e) => (e.type === 'message.created' ? [e.message.text] : []));
    expect(created).toEqual(['Hello?', 'Hi! How can I help?', 'Where is my parcel?']);
    expect((await history(messenger, visitor.id)).map((m) => [m.text, m.sender.isSelf])).toEqual([
      ['Where is my parcel?', false],
      ['Hi! How can I help?', true],
      ['Hello?', false],
    ]);
  });

  it('edits and deletes our message on Brevo and in history', async () => {
    const { emulator, messenger } = await world();
    const visitor = emulator.visitor();
    await visitor.write('Hello?');
    const sent = await messenger.send(visitor.id, 'Hi');
    const edited = await messenger.edit(visitor.id, sent.id, 'Hi there');
    expect(edited).toMatchObject({ id: sent.id, text: 'Hi there', editedAt: expect.any(Date) });
    expect(emulator.messages(visitor.id).at(-1)?.text).toBe('Hi there');
    expect((await messenger.getMessage(visitor.id, sent.id)).text).toBe('Hi there');

    await messenger.deleteMessage(visitor.id, sent.id);
    expect(emulator.messages(visitor.id).map((m) => m.text)).toEqual(['Hello?']);
    expect((await history(messenger, visitor.id)).map((m) => m.text)).toEqual(['Hello?']);
  });

  it('a message we deleted (204) stays deleted when Brevo redelivers its echo fragment', async () => {
    const { emulator, messenger } = await world();
    await messenger.start();
    const created: string[] = [];
    messenger.on('message', (message) => created.push(message.id));
    const visitor = emulator.visitor();
    await visitor.write('Hello?');
    const sent = await messenger.send(visitor.id, 'Hi');
    await emulator.webhooks.idle();
    const echo = emulator.webhooks.deliveries.findIndex((d) => JSON.stringify(d.body).includes(sent.id));
    expect(echo, 'the emulator must have posted the echo fragment of our send').toBeGreaterThanOrEqual(0);
    await messenger.deleteMessage(visitor.id, sent.id);
    expect(emulator.messages(visitor.id).map((m) => m.id)).not.toContain(sent.id);

    const redelivered = await emulator.webhooks.redeliver(echo);
    expect(redelivered.status).toBe(200);
    expect((await history(messenger, visitor.id)).map((m) => m.text)).toEqual(['Hello?']);
    expect((await messenger.getConversation(visitor.id)).lastMessage?.text).toBe('Hello?');
    expect(created.filter((id) => id === sent.id)).toHaveLength(1);
  });

  it('message ids cannot change the URL path: . and .. are refused, / stays inside its segment', async () => {
    const { emulator, messenger } = await world();
    const visitor = emulator.visitor();
    await visitor.write('Hello?');
    for (const id of ['.', '..']) {
      await expect(messenger.getMessage(visitor.id, id)).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(messenger.deleteMessage(visitor.id, id)).rejects.toMatchObject({
        code: 'invalid_request',
      });
    }
    // Reaches GET /conversations/messages/{id} (404: no such message), not another endpoint.
    await expect(messenger.getMessage(visitor.id, '../pushedMessages')).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(emulator.messages(visitor.id)).toHaveLength(1);
  });

  it("reports a second integration's messages on the same account (same default marker, another agent)", async () => {
    const { emulator, messenger } = await world();
    await messenger.start();
    const seen = messagesOf(messenger);
    // Another deployment on the same Brevo account: its own agent, the default receivedFrom too.
    const other = emulator.agents.add({ name: 'Bot B', email: 'bot-b@example.com' });
    const otherAdapter = createBrevoAdapter({
      apiKey: emulator.apiKey,
      baseUrl: emulator.url,
      agent: { id: other.id },
      webhookSecret: 'the-other-deployment',
      presenceIntervalMs: false,
      retry: false,
    });
    const visitor = emulator.visitor();
    await visitor.write('Hello?');
    const fromOther = await otherAdapter.sendMessage(visitor.id, { text: 'Bot B here' });
    await emulator.webhooks.idle();
    await otherAdapter.close();
    expect(emulator.messages(visitor.id).at(-1)).toMatchObject({
      id: fromOther.id,
      receivedFrom: 'switchboard',
    });
    expect(seen.map((m) => [m.text, m.sender.isSelf])).toEqual([
      ['Hello?', false],
      ['Bot B here', false],
    ]);
    // Our own sends are still reported once, by send, and their echoes dropped.
    await messenger.send(visitor.id, 'Liz here');
    await emulator.webhooks.idle();
    expect(seen.map((m) => m.text)).toEqual(['Hello?', 'Bot B here', 'Liz here']);
  });

  it("keeps the webhook's conversationId in conversation.raw", async () => {
    const { emulator, messenger } = await world();
    const visitor = emulator.visitor();
    await visitor.write('Hello?');
    const delivered = emulator.webhooks.deliveries[0]!.body as { conversationId: string };
    expect((await messenger.getConversation(visitor.id)).raw).toMatchObject({
      conversationId: delivered.conversationId,
    });
  });

  it.each([
    ['a NUL byte', 'visitor\u0000one'],
    ['surrounding whitespace', ' visitor-one '],
    ['2,000 characters', 'v'.repeat(2_000)],
  ])(
    'refuses at ingestion (422) a visitorId with %s, which the API would refuse too',
    async (_label, visitorId) => {
      const { emulator, messenger } = await world();
      await messenger.start();
      const errors: unknown[] = [];
      messenger.on('error', (error) => errors.push(error));
      await emulator.visitor(visitorId).write('hello');
      await emulator.webhooks.idle();
      expect(emulator.webhooks.deliveries.map((d) => d.status)).toEqual([422]);
      expect(errors).toEqual([expect.objectContaining({ code: 'invalid_request', provider: 'brevo' })]);
      await expect(messenger.getConversation(visitorId)).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(messenger.send(visitorId, 'hi')).rejects.toMatchObject({ code: 'invalid_request' });
      expect(emulator.messages(visitorId)).toHaveLength(1);
    },
  );

  it('sends, edits and deletes automated messages through the pushed-messages endpoints', async () => {
    const { emulator, messenger } = await world();
    const visitor = emulator.visitor();
    await visitor.write('Hello?');
    const automated = { providerOptions: { brevo: { automated: true } } };
    const pushed = await messenger.send(visitor.id, 'Your order has shipped', automated);
    expect(emulator.messages(visitor.id).at(-1)).toMatchObject({ id: pushed.id, isPushed: true });
    await messenger.edit(visitor.id, pushed.id, 'Your order was delivered');
    expect(emulator.messages(visitor.id).at(-1)?.text).toBe('Your order was delivered');
    await messenger.deleteMessage(visitor.id, pushed.id);
    expect(emulator.messages(visitor.id)).toHaveLength(1);
  });

  it("reads a visitor's file through webhooks and REST alike", async () => {
    const { emulator, messenger } = await world();
    const file = {
      name: 'receipt.png',
      url: 'https://cdn.example/r.png',
      size: 2048,
      image: { width: 10, height: 20 },
    };
    const written = await emulator.visitor().write('receipt.png', { file });
    const attachment = {
      kind: 'image',
      url: file.url,
      name: 'receipt.png',
      sizeBytes: 2048,
      width: 10,
      height: 20,
    };
    const [recorded] = await history(messenger, written.visitorId);
    expect(recorded?.attachments).toEqual([expect.objectContaining(attachment)]);
    const fetched = await messenger.getMessage(written.visitorId, written.id);
    expect(fetched.attachments).toEqual([expect.objectContaining(attachment)]);
  });

  it('answers 401 to a forged delivery and records nothing', async () => {
    const { emulator, server, messenger } = await world();
    emulator.setWebhook(server.url, 'not-the-secret');
    await emulator.visitor('forged-visitor').write('let me in');
    expect(emulator.webhooks.deliveries.map((d) => d.status)).toEqual([401]);
    await expect(messenger.getConversation('forged-visitor')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('dedupes redeliveries and sorts out-of-order fragments', async () => {
    const { emulator, messenger } = await world({
      emulator: { webhookDelivery: { copies: 2, outOfOrder: true } },
    });
    await messenger.start();
    const seen = messagesOf(messenger);
    const visitor = emulator.visitor();
    await visitor.writeBatch(['one', 'two', 'three', 'four']);
    expect(emulator.webhooks.deliveries).toHaveLength(4);
    expect(seen.map((m) => m.text)).toEqual(['one', 'two', 'three', 'four']);
    expect((await history(messenger, visitor.id)).map((m) => m.text)).toEqual([
      'four',
      'three',
      'two',
      'one',
    ]);
  });

  it('reports a finished chat as conversation.updated (closed)', async () => {
    const { emulator, messenger } = await world();
    await messenger.start();
    const events: ChatEvent[] = [];
    messenger.on('event', (event) => events.push(event));
    const visitor = emulator.visitor();
    await visitor.write('bye');
    await visitor.finish();
    expect(events.at(-1)).toMatchObject({
      type: 'conversation.updated',
      change: 'closed',
      conversationId: visitor.id,
    });
  });

  it('keeps the agent online while started, and stops pinging on stop', async () => {
    const { emulator, messenger, agentId } = await world({ adapter: { presenceIntervalMs: 20 } });
    await messenger.start();
    await vi.waitFor(() => expect(emulator.agents.get(agentId)?.pingCount).toBeGreaterThanOrEqual(2));
    expect(emulator.agents.isOnline(agentId)).toBe(true);
    await messenger.stop();
    const pings = emulator.agents.get(agentId)!.pingCount;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A ping already on the wire when stop() aborted it may still land; no new one is sent (10 intervals passed).
    expect(emulator.agents.get(agentId)!.pingCount).toBeLessThanOrEqual(pings + 1);
  });

  it('verifies the API key on connect', async () => {
    const { emulator } = await world();
    const wrong = createMessenger(
      createBrevoAdapter({
        apiKey: 'wrong-key',
        baseUrl: emulator.url,
        agent: { id: 'x' },
        webhookSecret: SECRET,
      }),
    );
    const error = await wrong.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(error)).not.toContain('wrong-key');
    await wrong.close();
  });

  it('maps a 429 (x-sib-ratelimit-*, no Retry-After) to RateLimitError with retryAfterMs', async () => {
    const { emulator, messenger } = await world({
      emulator: { rateLimit: { limit: 1, windowMs: 60_000 } },
      adapter: { retry: { retries: 1, maxRetryAfterMs: 10 } },
    });
    const visitor = emulator.visitor();
    await messenger.send(visitor.id, 'first');
    const error = await messenger.send(visitor.id, 'second').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(50_000);
    expect(emulator.messages(visitor.id).map((m) => m.text)).toEqual(['first']);
  });

  it('retries a send refused with 503, but never one that may have been processed', async () => {
    const { emulator, messenger } = await world();
    const visitor = emulator.visitor();
    emulator.faults.inject({ fault: { kind: 'status', status: 503 }, match: { method: 'POST' } });
    await messenger.send(visitor.id, 'after a 503');
    emulator.faults.inject({ fault: { kind: 'reset-after-processing' }, match: { method: 'POST' } });
    await expect(messenger.send(visitor.id, 'ambiguous')).rejects.toBeInstanceOf(NetworkError);
    expect(emulator.messages(visitor.id).map((m) => m.text)).toEqual(['after a 503', 'ambiguous']);
  });
});

describe('brevo adapter ↔ emulator: fault mapping on REST calls', () => {
  /** A world with one visitor message recorded, and the request count of a `getMessage` of it. */
  async function withVisitorMessage() {
    const created = await world();
    const written = await created.emulator.visitor().write('Hello?');
    const get = async () => {
      const before = created.emulator.faults.requestCount;
      const outcome = await created.messenger.getMessage(written.visitorId, written.id).then(
        (message) => ({ message }),
        (error: unknown) => ({ error }),
      );
      return { ...outcome, requests: created.emulator.faults.requestCount - before };
    };
    return { ...created, written, get };
  }

  it('waits out a 429 as x-sib-ratelimit-reset says, then succeeds', async () => {
    const { emulator, get } = await withVisitorMessage();
    emulator.faults.inject({ fault: { kind: 'rate-limit', retryAfterMs: 1_000 } });
    const started = performance.now();
    const outcome = await get();
    expect(outcome).toMatchObject({ message: { text: 'Hello?' }, requests: 2 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('retries one 500 on a read, and ends in ProviderUnavailableError when it persists', async () => {
    const { emulator, get } = await withVisitorMessage();
    emulator.faults.inject({ fault: { kind: 'status', status: 500 } });
    expect(await get()).toMatchObject({ message: { text: 'Hello?' }, requests: 2 });
    emulator.faults.inject({ fault: { kind: 'status', status: 500 }, times: Number.POSITIVE_INFINITY });
    const failed = await get();
    expect(failed.requests).toBe(3);
    expect((failed as { error: unknown }).error).toBeInstanceOf(ProviderUnavailableError);
    expect((failed as { error: unknown }).error).toMatchObject({ status: 500, retryable: true });
  });

  it('ends in AuthenticationError on a 401, without retrying', async () => {
    const { emulator, get } = await withVisitorMessage();
    emulator.faults.inject({ fault: { kind: 'status', status: 401 }, times: Number.POSITIVE_INFINITY });
    const failed = await get();
    expect((failed as { error: unknown }).error).toBeInstanceOf(AuthenticationError);
    expect(failed.requests).toBe(1);
  });

  it('ends in InvalidResponseError on a malformed body', async () => {
    const { emulator, get } = await withVisitorMessage();
    emulator.faults.inject({ fault: { kind: 'malformed' }, times: Number.POSITIVE_INFINITY });
    expect((await get()) as { error: unknown }).toMatchObject({ error: expect.any(InvalidResponseError) });
  });

  it('ends in NetworkError on connection resets: a read after bounded retries, a send at once', async () => {
    const { emulator, messenger, written, get } = await withVisitorMessage();
    emulator.faults.inject({ fault: { kind: 'reset' }, times: Number.POSITIVE_INFINITY });
    const failed = await get();
    expect((failed as { error: unknown }).error).toBeInstanceOf(NetworkError);
    expect(failed.requests).toBe(3);
    const before = emulator.faults.requestCount;
    await expect(messenger.send(written.visitorId, 'lost?')).rejects.toBeInstanceOf(NetworkError);
    expect(emulator.faults.requestCount - before).toBe(1);
  });
});
