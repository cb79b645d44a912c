import { randomBytes } from 'node:crypto';
import { createChatsApiAdapter } from '@switchboard/chats-api';
import { startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import type { DemoProvider, DemoSetup } from './demo-provider.js';

/** A real chats server: CHATS_API_URL with CHATS_API_USERNAME/CHATS_API_PASSWORD (or CHATS_API_TOKEN), optional CHATS_API_DEMO_PEER. */
function realService(url: string): DemoSetup {
  const peer = process.env.CHATS_API_DEMO_PEER;
  return {
    adapter: createChatsApiAdapter(),
    description: `chats API at ${url}`,
    ...(peer ? { peer } : {}),
    async teardown() {},
  };
}

/**
 * The FastAPI chats server. Without CHATS_API_URL: the local emulator with two users, the adapter
 * logged in as alice and bob answering over "his" WebSocket (the emulator's peer API), so the reply
 * arrives live on ours.
 */
export const chatsApiDemoProvider: DemoProvider = {
  name: 'chats-api',
  async setup() {
    const url = process.env.CHATS_API_URL;
    if (url) return realService(url);

    const password = randomBytes(12).toString('base64url');
    const emulator = await startChatsApiEmulator({
      users: [
        { username: 'alice', password, firstName: 'Alice' },
        { username: 'bob', password: randomBytes(12).toString('base64url'), firstName: 'Bob' },
        { username: 'carol', password: randomBytes(12).toString('base64url'), firstName: 'Carol' },
      ],
    });
    const bob = emulator.as('bob');
    return {
      adapter: createChatsApiAdapter({ baseUrl: emulator.url, username: 'alice', password }),
      description: `chats API emulator at ${emulator.url}, logged in as alice`,
      peer: 'bob',
      groupPeers: ['carol'],
      async peerReply(conversationId, text) {
        bob.sendMessage(conversationId, text);
      },
      teardown: () => emulator.close(),
    };
  },
};
