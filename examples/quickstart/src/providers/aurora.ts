import { randomBytes } from 'node:crypto';
import { createAuroraAdapter } from '@switchboard/aurora';
import { startAuroraEmulator } from '@switchboard/emulators/aurora';
import type { DemoProvider } from './demo-provider.js';

/** Pause between streamed chunks, so the reply visibly renders as it arrives (ms). */
const CHUNK_DELAY_MS = 60;

/**
 * Aurora AI chatbot: the local emulator with one account, chatting with the official "Aurora"
 * character. The character answers by itself; its reply streams in chunk by chunk.
 */
export const auroraDemoProvider: DemoProvider = {
  name: 'aurora',
  async setup() {
    const password = randomBytes(12).toString('base64url');
    const emulator = await startAuroraEmulator({
      users: [{ username: 'demo', password }],
      chunkDelayMs: CHUNK_DELAY_MS,
    });
    const [character] = emulator.characters;
    return {
      adapter: createAuroraAdapter({ username: 'demo', password, baseUrl: emulator.url }),
      description: `Aurora emulator at ${emulator.url} (API v11), logged in as demo`,
      peer: String(character!.id),
      teardown: () => emulator.close(),
    };
  },
};
