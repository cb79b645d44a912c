import { Agent as HttpAgent } from 'node:http';
import { AtpAgent } from '@atproto/api';
import { createBlueskyAdapter } from '@switchboard/bluesky';
import { createMessenger, type Messenger } from '@switchboard/core';
import { type BlueskyEmulator, startBlueskyEmulator } from '@switchboard/emulators/bluesky';
import axios from 'axios';
import type { EmulatorFixture, ProviderBench, Sender } from './provider.js';

/** Where and as whom the Bluesky clients send. */
export interface BlueskyTarget {
  url: string;
  identifier: string;
  password: string;
  /** The direct conversation between us (`alice.test`) and the peer (`bob.test`). */
  convoId: string;
  /** `atproto-proxy` header value. */
  proxyHeader: string;
}

export const BLUESKY_SELF = { handle: 'alice.test', password: 'alice-app-password' };
export const BLUESKY_PEER = { handle: 'bob.test', password: 'bob-app-password' };
const CHAT_SERVICE_DID = 'did:web:api.bsky.chat';

/** The emulator behind a fixture (for seeding and peers). */
export const blueskyEmulators = new WeakMap<EmulatorFixture<BlueskyTarget>, BlueskyEmulator>();

/** A Bluesky fixture: the emulator, and the conversations of extra peers with us. */
export interface BlueskyFixture extends EmulatorFixture<BlueskyTarget> {
  emulator: BlueskyEmulator;
  /** Handles of the extra peers (`peer1.test` …) and their conversation ids with us. */
  peers: Array<{ handle: string; convoId: string }>;
}

/**
 * Starts the Bluesky emulator with us, a peer and a direct conversation between us, plus
 * `extraPeers` more peers with one conversation each.
 */
export async function startBlueskyFixture(
  options: { rateLimit?: { limit: number; windowMs: number }; extraPeers?: number } = {},
): Promise<BlueskyFixture> {
  const emulator = await startBlueskyEmulator({
    accounts: [BLUESKY_SELF, BLUESKY_PEER],
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  const convoId = emulator.as(BLUESKY_PEER.handle).openConvo(BLUESKY_SELF.handle);
  const peers = Array.from({ length: options.extraPeers ?? 0 }, (_, i) => {
    const { handle } = emulator.addAccount({
      handle: `peer${i + 1}.test`,
      password: `peer${i + 1}-password`,
    });
    return { handle, convoId: emulator.as(handle).openConvo(BLUESKY_SELF.handle) };
  });
  const fixture = {
    emulator,
    peers,
    target: {
      url: emulator.url,
      identifier: BLUESKY_SELF.handle,
      password: BLUESKY_SELF.password,
      convoId,
      proxyHeader: emulator.proxyHeader,
    },
    faults: emulator.faults,
    close: () => emulator.close(),
  };
  blueskyEmulators.set(fixture, emulator);
  return fixture;
}

/** A messenger over the Bluesky adapter, logged in. */
export async function blueskyMessenger(target: BlueskyTarget, pollIntervalMs?: number): Promise<Messenger> {
  const messenger = createMessenger(
    createBlueskyAdapter({
      identifier: target.identifier,
      password: target.password,
      service: target.url,
      chatServiceDid: CHAT_SERVICE_DID,
      ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
    }),
  );
  await messenger.connect();
  return messenger;
}

/**
 * Raw axios with a keep-alive agent, logged in with one `createSession`, sending the same headers
 * as the adapter (`authorization`, `atproto-proxy`, JSON).
 */
export async function blueskyRawClient(target: BlueskyTarget) {
  const agent = new HttpAgent({ keepAlive: true });
  const login = await axios.post<{ accessJwt: string }>(
    `${target.url}/xrpc/com.atproto.server.createSession`,
    { identifier: target.identifier, password: target.password },
    { httpAgent: agent },
  );
  const client = axios.create({
    baseURL: target.url,
    httpAgent: agent,
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${login.data.accessJwt}`,
      'atproto-proxy': target.proxyHeader,
    },
  });
  return { client, close: async () => agent.destroy() };
}

export const blueskyBench: ProviderBench<BlueskyTarget> = {
  id: 'bluesky',
  startFixture: (options) => startBlueskyFixture(options),
  conversationId: (target) => target.convoId,
  messenger: (target) => blueskyMessenger(target),
  senders: (target) => ({
    async switchboard(): Promise<Sender> {
      const messenger = await blueskyMessenger(target);
      return {
        send: async (i) => {
          await messenger.send(target.convoId, `bench message ${i}`);
        },
        close: () => messenger.close(),
      };
    },
    async axios(): Promise<Sender> {
      const { client, close } = await blueskyRawClient(target);
      return {
        send: async (i) => {
          await client.post('/xrpc/chat.bsky.convo.sendMessage', {
            convoId: target.convoId,
            message: { text: `bench message ${i}` },
          });
        },
        close,
      };
    },
    sdk: {
      label: '@atproto/api',
      async create(): Promise<Sender> {
        const agent = new AtpAgent({ service: target.url });
        await agent.login({ identifier: target.identifier, password: target.password });
        const chat = agent.withProxy('bsky_chat', CHAT_SERVICE_DID).chat.bsky.convo;
        return {
          send: async (i) => {
            await chat.sendMessage({ convoId: target.convoId, message: { text: `bench message ${i}` } });
          },
          close: async () => {},
        };
      },
    },
  }),
  async storedTexts(fixture) {
    const { client, close } = await blueskyRawClient(fixture.target);
    const self = (await client.get<{ did: string }>('/xrpc/com.atproto.server.getSession')).data.did;
    const texts: string[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await client.get<{
          cursor?: string;
          messages: Array<{ text?: string; sender?: { did: string } }>;
        }>('/xrpc/chat.bsky.convo.getMessages', {
          params: { convoId: fixture.target.convoId, limit: 100, cursor },
        });
        for (const message of page.data.messages)
          if (message.sender?.did === self && message.text !== undefined) texts.push(message.text);
        cursor = page.data.cursor;
      } while (cursor);
    } finally {
      await close();
    }
    return texts.reverse();
  },
};
