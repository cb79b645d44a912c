import { randomBytes } from 'node:crypto';
import { createBlueskyAdapter } from '@switchboard/bluesky';
import { startBlueskyEmulator } from '@switchboard/emulators/bluesky';
import type { DemoProvider, DemoSetup } from './demo-provider.js';

/** bsky.social with your own account: BLUESKY_IDENTIFIER, BLUESKY_APP_PASSWORD, optional BLUESKY_DEMO_PEER. */
function realService(identifier: string): DemoSetup {
  const peer = process.env.BLUESKY_DEMO_PEER;
  return {
    adapter: createBlueskyAdapter(),
    description: `bsky.social, logged in as ${identifier}`,
    ...(peer ? { peer } : {}),
    async teardown() {},
  };
}

/**
 * Bluesky direct messages. Without credentials: the local emulator with two accounts, the adapter
 * logged in as alice.test and bob.test answering through the emulator. With BLUESKY_IDENTIFIER and
 * BLUESKY_APP_PASSWORD set (an app password with DM access): bsky.social, talking to
 * BLUESKY_DEMO_PEER if given.
 */
export const blueskyDemoProvider: DemoProvider = {
  name: 'bluesky',
  async setup() {
    const identifier = process.env.BLUESKY_IDENTIFIER;
    if (identifier && process.env.BLUESKY_APP_PASSWORD) return realService(identifier);

    const password = randomBytes(12).toString('base64url');
    const emulator = await startBlueskyEmulator({
      accounts: [
        { handle: 'alice.test', password, displayName: 'Alice' },
        { handle: 'bob.test', password: randomBytes(12).toString('base64url'), displayName: 'Bob' },
        { handle: 'carol.test', password: randomBytes(12).toString('base64url'), displayName: 'Carol' },
        { handle: 'dave.test', password: randomBytes(12).toString('base64url'), displayName: 'Dave' },
      ],
    });
    const bob = emulator.as('bob.test');
    return {
      adapter: createBlueskyAdapter({
        identifier: 'alice.test',
        password,
        service: emulator.url,
        pollIntervalMs: 250,
      }),
      description: `Bluesky emulator at ${emulator.url}, logged in as alice.test`,
      peer: 'bob.test',
      groupPeers: ['carol.test', 'dave.test'],
      async peerReply(conversationId, text) {
        bob.sendMessage(conversationId, text);
      },
      teardown: () => emulator.close(),
    };
  },
};
