import { Agent as HttpAgent } from 'node:http';
import { createChatsApiAdapter } from '@switchboard/chats-api';
import { createMessenger, type Messenger } from '@switchboard/core';
import { type ChatsApiEmulator, startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import axios from 'axios';
import type { EmulatorFixture, ProviderBench, Sender } from './provider.js';

/** Where and as whom the chats-api clients send. */
export interface ChatsApiTarget {
  url: string;
  wsUrl: string;
  username: string;
  password: string;
  /** The direct chat between us and the peer. */
  chatId: string;
}

export const CHATS_SELF = { username: 'alice', password: 'alice-password' };
export const CHATS_PEER = { username: 'bob', password: 'bob-password' };

/** A chats-api fixture: the emulator, and the chats of extra peers with us. */
export interface ChatsApiFixture extends EmulatorFixture<ChatsApiTarget> {
  emulator: ChatsApiEmulator;
  peers: Array<{ username: string; chatId: string }>;
}

export async function startChatsApiFixture(
  options: { rateLimit?: { limit: number; windowMs: number }; extraPeers?: number } = {},
): Promise<ChatsApiFixture> {
  const emulator = await startChatsApiEmulator({
    users: [CHATS_SELF, CHATS_PEER],
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  const chatId = emulator.as(CHATS_PEER.username).openDirect(CHATS_SELF.username).id;
  const peers = Array.from({ length: options.extraPeers ?? 0 }, (_, i) => {
    const username = `peer${i + 1}`;
    emulator.addUser({ username, password: `${username}-password` });
    return { username, chatId: emulator.as(username).openDirect(CHATS_SELF.username).id };
  });
  return {
    emulator,
    peers,
    target: { url: emulator.url, wsUrl: emulator.wsUrl, ...CHATS_SELF, chatId },
    faults: emulator.faults,
    close: () => emulator.close(),
  };
}

export async function chatsApiMessenger(target: ChatsApiTarget): Promise<Messenger> {
  const messenger = createMessenger(
    createChatsApiAdapter({
      baseUrl: target.url,
      wsUrl: target.wsUrl,
      username: target.username,
      password: target.password,
    }),
  );
  await messenger.connect();
  return messenger;
}

/** Raw axios with a keep-alive agent and a token from `POST /login`. */
export async function chatsApiRawClient(target: ChatsApiTarget) {
  const agent = new HttpAgent({ keepAlive: true });
  const login = await axios.post<{ access_token: string }>(
    `${target.url}/login`,
    { username_or_email: target.username, password: target.password },
    { httpAgent: agent },
  );
  const token = login.data.access_token;
  const client = axios.create({
    baseURL: target.url,
    httpAgent: agent,
    headers: { accept: 'application/json', authorization: `Bearer ${token}` },
  });
  return { client, token, close: async () => agent.destroy() };
}

interface MessageOut {
  from_user_id: string;
  text_content: string | null;
}

export const chatsApiBench: ProviderBench<ChatsApiTarget> = {
  id: 'chats-api',
  startFixture: startChatsApiFixture,
  conversationId: (target) => target.chatId,
  messenger: chatsApiMessenger,
  senders: (target) => ({
    async switchboard(): Promise<Sender> {
      const messenger = await chatsApiMessenger(target);
      return {
        send: async (i) => {
          await messenger.send(target.chatId, `bench message ${i}`);
        },
        close: () => messenger.close(),
      };
    },
    async axios(): Promise<Sender> {
      const { client, close } = await chatsApiRawClient(target);
      return {
        send: async (i) => {
          await client.post(`/chats/${target.chatId}/messages`, {
            text_content: `bench message ${i}`,
            image_content: null,
          });
        },
        close,
      };
    },
  }),
  async storedTexts(fixture) {
    const { client, close } = await chatsApiRawClient(fixture.target);
    try {
      const me = (await client.get<{ id: string }>('/me')).data.id;
      const texts: string[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = await client.get<{ messages: MessageOut[] }>(`/chats/${fixture.target.chatId}`, {
          params: { limit: 100, offset },
        });
        const items = page.data.messages;
        for (const message of items)
          if (message.from_user_id === me && message.text_content !== null) texts.push(message.text_content);
        if (items.length < 100) break;
      }
      return texts.reverse();
    } finally {
      await close();
    }
  },
};
