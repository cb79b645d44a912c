import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BrevoConversationFragment,
  type BrevoConversationStarted,
  type BrevoConversationTranscript,
  type BrevoEmulator,
  type BrevoEmulatorOptions,
  type BrevoWebhookEvent,
  startBrevoEmulator,
} from './index.js';

interface Received {
  url: string;
  contentType: string | undefined;
  body: BrevoWebhookEvent;
}

let receiver: Server;
let receiverUrl: string;
let received: Received[];
let answerStatus: number;
let emulator: BrevoEmulator;

beforeEach(async () => {
  received = [];
  answerStatus = 200;
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      received.push({ url: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(text) });
      res.writeHead(answerStatus).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/brevo/webhook`;
});

afterEach(async () => {
  await emulator?.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function start(options: BrevoEmulatorOptions = {}) {
  emulator = await startBrevoEmulator({
    agents: [
      { id: 'agent-liz', name: 'Liz', email: 'liz@example.com', userpic: 'https://cdn.example/liz.png' },
    ],
    webhookUrl: receiverUrl,
    webhookSecret: 's3cret-token',
    ...options,
  });
  return emulator;
}

const bodies = () => received.map((r) => r.body);

async function agentSends(body: Record<string, unknown>) {
  const response = await fetch(`${emulator.url}/conversations/messages`, {
    method: 'POST',
    headers: { 'api-key': emulator.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  await emulator.webhooks.idle();
  return json;
}

describe('Brevo emulator: webhook delivery', () => {
  it('POSTs JSON to the configured URL with the secret as ?token=', async () => {
    await start();
    await emulator.visitor().write('Hi');
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe('/brevo/webhook?token=s3cret-token');
    expect(received[0]!.contentType).toBe('application/json');
    expect(emulator.webhooks.deliveries[0]).toMatchObject({ eventName: 'conversationStarted', status: 200 });
  });

  it("announces a visitor's first message with conversationStarted, the next with conversationFragment", async () => {
    await start({ now: () => 1_717_000_000_000 });
    const visitor = emulator.visitor({ displayedName: 'Jane', attributes: { EMAIL: 'jane@example.com' } });
    const first = await visitor.write('Hi, where is my order?');
    const second = await visitor.write('Order 42');

    const [started, fragment] = bodies() as [BrevoConversationStarted, BrevoConversationFragment];
    expect(started).toEqual({
      eventName: 'conversationStarted',
      conversationId: visitor.conversationId,
      conversationStartPage: { link: expect.any(String), title: expect.any(String) },
      message: {
        type: 'visitor',
        id: first.id,
        text: 'Hi, where is my order?',
        html: 'Hi, where is my order?',
        createdAt: 1_717_000_000_000,
        isMissed: true,
      },
      visitor: expect.objectContaining({
        id: visitor.id,
        threadId: expect.any(String),
        threadLink: expect.stringContaining('https://'),
        source: 'widget',
        displayedName: 'Jane',
        attributes: { EMAIL: 'jane@example.com' },
        ip: null,
        marketingConsent: false,
        termsOfServiceConsent: true,
      }),
      isNoAvailableAgent: true,
    });
    expect(started).not.toHaveProperty('agent');
    expect(fragment).toMatchObject({
      eventName: 'conversationFragment',
      conversationId: visitor.conversationId,
      messages: [{ id: second.id, type: 'visitor', text: 'Order 42', createdAt: 1_717_000_000_001 }],
      agents: [],
      visitor: { id: visitor.id },
    });
    expect(visitor.conversationId).not.toBe(visitor.id);
  });

  it('echoes agent messages in fragments, with receivedFrom and the agents list', async () => {
    await start();
    const visitor = emulator.visitor();
    await visitor.write('Hello?');
    await fetch(`${emulator.url}/conversations/agentOnlinePing`, {
      method: 'POST',
      headers: { 'api-key': emulator.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ agentId: 'agent-liz' }),
    });
    const sent = await agentSends({
      visitorId: visitor.id,
      text: 'Hi!',
      agentId: 'agent-liz',
      receivedFrom: 'app',
    });

    const fragment = bodies()[1] as BrevoConversationFragment;
    expect(fragment.eventName).toBe('conversationFragment');
    expect(fragment.messages).toEqual([
      {
        type: 'agent',
        id: sent.id,
        text: 'Hi!',
        html: 'Hi!',
        createdAt: sent.createdAt,
        agentId: 'agent-liz',
        agentName: 'Liz',
        agentUserpic: 'https://cdn.example/liz.png',
        receivedFrom: 'app',
      },
    ]);
    expect(fragment.agents).toEqual([
      { id: 'agent-liz', name: 'Liz', email: 'liz@example.com', userpic: 'https://cdn.example/liz.png' },
    ]);
    expect(fragment.isNoAvailableAgent).toBe(false);
  });

  it('announces a conversation an agent starts with conversationStarted and the agent', async () => {
    await start();
    await agentSends({ visitorId: 'known-user-1', text: 'Your order shipped', agentId: 'agent-liz' });
    const started = bodies()[0] as BrevoConversationStarted;
    expect(started).toMatchObject({
      eventName: 'conversationStarted',
      message: { type: 'agent', agentId: 'agent-liz' },
      agent: { id: 'agent-liz', name: 'Liz' },
      visitor: { id: 'known-user-1' },
    });
  });

  it('never starts a conversation with a pushed message', async () => {
    await start();
    await fetch(`${emulator.url}/conversations/pushedMessages`, {
      method: 'POST',
      headers: { 'api-key': emulator.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ visitorId: 'v1', text: 'Shipped!' }),
    });
    await emulator.webhooks.idle();
    expect(bodies()).toEqual([
      expect.objectContaining({
        eventName: 'conversationFragment',
        messages: [expect.objectContaining({ isPushed: true, text: 'Shipped!' })],
      }),
    ]);
  });

  it('renders files as file{name,link} in webhooks and file{filename,url} over REST', async () => {
    await start();
    const file = {
      name: 'receipt.png',
      url: 'https://cdn.example/receipt.png',
      size: 15538,
      mimeType: 'image/png',
      image: { width: 1129, height: 525 },
    };
    const message = await emulator.visitor().write('receipt.png', { file });
    expect((bodies()[0] as BrevoConversationStarted).message.file).toEqual({
      name: 'receipt.png',
      size: 15538,
      isAllowedFileType: true,
      isImage: true,
      isSticker: false,
      link: 'https://cdn.example/receipt.png',
      mimeType: 'image/png',
      imageInfo: { width: 1129, height: 525, previewUrl: expect.stringContaining('https://cdn.example/') },
    });
    expect(message.file).toEqual({
      filename: 'receipt.png',
      size: 15538,
      isImage: true,
      url: 'https://cdn.example/receipt.png',
      imageInfo: { width: 1129, height: 525, previewUrl: expect.any(String) },
    });
  });

  it('renders files as attachments[] when asked to', async () => {
    await start();
    const file = {
      name: 'voice.ogg',
      url: 'https://cdn.example/voice.ogg',
      mimeType: 'audio/ogg',
      size: 900,
    };
    const message = await emulator.visitor().write('voice.ogg', { file, fileShape: 'attachments' });
    const attachment = {
      name: 'voice.ogg',
      link: 'https://cdn.example/voice.ogg',
      mimeType: 'audio/ogg',
      size: 900,
      isImage: false,
      isSticker: false,
      isInline: false,
    };
    expect((bodies()[0] as BrevoConversationStarted).message).toMatchObject({ attachments: [attachment] });
    expect((bodies()[0] as BrevoConversationStarted).message).not.toHaveProperty('file');
    expect(message.attachments).toEqual([attachment]);
  });

  it('sends a transcript with every message when the chat finishes', async () => {
    await start();
    const visitor = emulator.visitor();
    await visitor.writeBatch(['one', 'two']);
    await agentSends({ visitorId: visitor.id, text: 'three', agentId: 'agent-liz' });
    await visitor.finish();
    const transcript = bodies().at(-1) as BrevoConversationTranscript;
    expect(transcript).toMatchObject({
      eventName: 'conversationTranscript',
      conversationId: visitor.conversationId,
      missedMessagesCount: 2,
      agents: [{ id: 'agent-liz' }],
      visitor: { id: visitor.id },
    });
    expect(transcript.messages.map((m) => m.text)).toEqual(['one', 'two', 'three']);

    await visitor.write('back again');
    expect(bodies().at(-1)?.eventName).toBe('conversationStarted');
  });

  it('delivers only the selected event types', async () => {
    await start({ webhookEvents: ['conversationFragment'] });
    const visitor = emulator.visitor();
    await visitor.write('first');
    await visitor.write('second');
    await visitor.finish();
    expect(bodies().map((b) => b.eventName)).toEqual(['conversationFragment']);
  });

  it('sends nothing without a webhook URL, and to the new URL after setWebhook', async () => {
    await start({ webhookUrl: undefined });
    await emulator.visitor().write('lost');
    expect(received).toEqual([]);
    emulator.setWebhook(`${receiverUrl}?tenant=a`, 'other');
    await emulator.visitor().write('found');
    expect(received[0]!.url).toBe('/brevo/webhook?tenant=a&token=other');
  });

  it('records failed deliveries without failing the visitor', async () => {
    await start();
    answerStatus = 500;
    const message = await emulator.visitor().write('hi');
    expect(emulator.messages()).toEqual([message]);
    expect(emulator.webhooks.deliveries[0]?.status).toBe(500);
  });
});

describe('Brevo emulator: redelivery and ordering', () => {
  it('redelivers every webhook `copies` times with the same body', async () => {
    await start({ webhookDelivery: { copies: 2 } });
    await emulator.visitor().write('twice');
    expect(received).toHaveLength(2);
    expect(received[0]!.body).toEqual(received[1]!.body);
  });

  it('redelivers one past delivery on demand', async () => {
    await start();
    const visitor = emulator.visitor();
    await visitor.write('a');
    await visitor.write('b');
    const again = await emulator.webhooks.redeliver(0);
    expect(again.status).toBe(200);
    expect(bodies()[2]).toEqual(bodies()[0]);
  });

  it('lists fragment messages newest first with outOfOrder', async () => {
    await start();
    const visitor = emulator.visitor();
    await visitor.write('start');
    emulator.webhooks.setDelivery({ outOfOrder: true });
    await visitor.writeBatch(['one', 'two', 'three']);
    const fragment = bodies()[1] as BrevoConversationFragment;
    expect(fragment.messages.map((m) => m.text)).toEqual(['three', 'two', 'one']);
    expect(fragment.messages[0]!.createdAt).toBeGreaterThan(fragment.messages[2]!.createdAt);
  });

  it('holds webhooks while paused and releases them in reverse', async () => {
    await start();
    const visitor = emulator.visitor();
    emulator.webhooks.pause();
    await visitor.write('one');
    await visitor.write('two');
    expect(received).toEqual([]);
    await emulator.webhooks.resume({ reverse: true });
    expect(bodies().map((b) => b.eventName)).toEqual(['conversationFragment', 'conversationStarted']);
  });
});
