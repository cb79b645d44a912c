import { Agent as HttpAgent } from 'node:http';
import { BrevoClient } from '@getbrevo/brevo';
import { createBrevoAdapter } from '@switchboard/brevo';
import { createMessenger, type Messenger } from '@switchboard/core';
import { type BrevoEmulator, startBrevoEmulator } from '@switchboard/emulators/brevo';
import axios from 'axios';
import type { EmulatorFixture, ProviderBench, Sender } from './provider.js';

/** Where and as whom the Brevo clients send. */
export interface BrevoTarget {
  /** Base URL including `/v3`. */
  url: string;
  apiKey: string;
  agentId: string;
  /** The conversation: a visitor who wrote first. */
  visitorId: string;
}

const RECEIVED_FROM = 'switchboard';
const WEBHOOK_SECRET = 'bench-webhook-secret';

export const brevoEmulators = new WeakMap<object, BrevoEmulator>();

export async function startBrevoFixture(
  options: { rateLimit?: { limit: number; windowMs: number } } = {},
): Promise<EmulatorFixture<BrevoTarget>> {
  const emulator = await startBrevoEmulator(options.rateLimit ? { rateLimit: options.rateLimit } : {});
  const agent = emulator.agents.list()[0]!;
  const visitor = emulator.visitor('bench-visitor');
  await visitor.write('Hello, I have a question.');
  const fixture: EmulatorFixture<BrevoTarget> = {
    target: { url: emulator.url, apiKey: emulator.apiKey, agentId: agent.id, visitorId: visitor.id },
    faults: emulator.faults,
    close: () => emulator.close(),
  };
  brevoEmulators.set(fixture, emulator);
  return fixture;
}

export async function brevoMessenger(target: BrevoTarget): Promise<Messenger> {
  const messenger = createMessenger(
    createBrevoAdapter({
      apiKey: target.apiKey,
      baseUrl: target.url,
      agent: { id: target.agentId },
      receivedFrom: RECEIVED_FROM,
      webhookSecret: WEBHOOK_SECRET,
      presenceIntervalMs: false,
    }),
  );
  await messenger.connect();
  return messenger;
}

export const brevoBench: ProviderBench<BrevoTarget> = {
  id: 'brevo',
  startFixture: startBrevoFixture,
  conversationId: (target) => target.visitorId,
  messenger: brevoMessenger,
  senders: (target) => ({
    async switchboard(): Promise<Sender> {
      const messenger = await brevoMessenger(target);
      return {
        send: async (i) => {
          await messenger.send(target.visitorId, `bench message ${i}`);
        },
        close: () => messenger.close(),
      };
    },
    async axios(): Promise<Sender> {
      const agent = new HttpAgent({ keepAlive: true });
      const client = axios.create({
        baseURL: target.url,
        httpAgent: agent,
        headers: { accept: 'application/json', 'api-key': target.apiKey },
      });
      return {
        send: async (i) => {
          await client.post('/conversations/messages', {
            visitorId: target.visitorId,
            text: `bench message ${i}`,
            agentId: target.agentId,
            receivedFrom: RECEIVED_FROM,
          });
        },
        close: async () => agent.destroy(),
      };
    },
    sdk: {
      label: '@getbrevo/brevo',
      async create(): Promise<Sender> {
        const client = new BrevoClient({ apiKey: target.apiKey, baseUrl: target.url });
        return {
          send: async (i) => {
            await client.conversations.sendAMessageAsAnAgent({
              visitorId: target.visitorId,
              text: `bench message ${i}`,
              agentId: target.agentId,
              receivedFrom: RECEIVED_FROM,
            });
          },
          close: async () => {},
        };
      },
    },
  }),
  async storedTexts(fixture) {
    const emulator = brevoEmulators.get(fixture)!;
    return emulator
      .messages(fixture.target.visitorId)
      .filter((message) => message.type === 'agent')
      .map((message) => message.text);
  },
};
