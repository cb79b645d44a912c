import { Agent as HttpAgent } from 'node:http';
import type { Readable } from 'node:stream';
import { createAuroraAdapter } from '@switchboard/aurora';
import { createMessenger, type Messenger } from '@switchboard/core';
import { type AuroraEmulator, startAuroraEmulator } from '@switchboard/emulators/aurora';
import axios from 'axios';
import type { EmulatorFixture, ProviderBench, Sender } from './provider.js';

/** Where and as whom the Aurora clients send. */
export interface AuroraTarget {
  /** Origin; the API is under `/api/v11`. */
  url: string;
  username: string;
  password: string;
  characterId: number;
  /**
   * Chats with the character; message i goes to chat i mod n. A chat with an AI character is
   * turn-based, so concurrent sends go to different chats (see the note in docs/benchmarks.md).
   */
  chatIds: number[];
}

/** Chats per fixture: one per in-flight send at the highest concurrency measured. */
const CHATS = 32;

const USER = { username: 'bench-user', password: 'bench-password' };
/** Enough for every send of a full run (the default quota is 10,000 messages per user). */
const QUOTA = 10_000_000;

export const auroraEmulators = new WeakMap<object, AuroraEmulator>();

export async function startAuroraFixture(
  options: { rateLimit?: { limit: number; windowMs: number } } = {},
): Promise<EmulatorFixture<AuroraTarget>> {
  const emulator = await startAuroraEmulator({
    users: [{ ...USER, quotaMax: QUOTA }],
    quota: QUOTA,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  const characterId = emulator.characters[0]!.id;
  const chatIds = Array.from({ length: CHATS }, () => emulator.createChat(USER.username, characterId));
  const fixture: EmulatorFixture<AuroraTarget> = {
    target: { url: emulator.url, ...USER, characterId, chatIds },
    faults: emulator.faults,
    close: () => emulator.close(),
  };
  auroraEmulators.set(fixture, emulator);
  return fixture;
}

export async function auroraMessenger(target: AuroraTarget): Promise<Messenger> {
  const messenger = createMessenger(
    createAuroraAdapter({ username: target.username, password: target.password, baseUrl: target.url }),
  );
  await messenger.connect();
  return messenger;
}

/** Reads a reply stream to its end. */
async function drain(stream: Readable): Promise<void> {
  for await (const _chunk of stream) {
    // The reply is read, not parsed: the raw baseline does the least a client must do.
  }
}

export const auroraBench: ProviderBench<AuroraTarget> = {
  id: 'aurora',
  startFixture: startAuroraFixture,
  conversationId: (target) => String(target.chatIds[0]),
  messenger: auroraMessenger,
  senders: (target) => ({
    async switchboard(): Promise<Sender> {
      const messenger = await auroraMessenger(target);
      const ids = target.chatIds.map(String);
      return {
        send: async (i) => {
          await messenger.send(ids[i % ids.length]!, `bench message ${i}`);
        },
        close: () => messenger.close(),
      };
    },
    async axios(): Promise<Sender> {
      const agent = new HttpAgent({ keepAlive: true });
      const base = `${target.url}/api/v11`;
      const login = await axios.post<{ accessToken: string }>(
        `${base}/login`,
        { username: target.username, password: target.password },
        { httpAgent: agent },
      );
      const client = axios.create({
        baseURL: base,
        httpAgent: agent,
        headers: { accept: 'text/event-stream', 'x-access-token': login.data.accessToken },
      });
      return {
        // Send, then read the streamed reply to its end, as `messenger.send` does.
        send: async (i) => {
          const response = await client.post<Readable>(
            '/message',
            {
              characterId: target.characterId,
              chatId: target.chatIds[i % target.chatIds.length],
              message: `bench message ${i}`,
            },
            { responseType: 'stream' },
          );
          await drain(response.data);
        },
        close: async () => agent.destroy(),
      };
    },
  }),
  async storedTexts(fixture) {
    const emulator = auroraEmulators.get(fixture)!;
    return emulator
      .messages(fixture.target.chatIds[0]!)
      .filter((message) => message.role === 'user')
      .map((message) => message.content);
  },
};
