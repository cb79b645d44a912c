import { startBlueskyEmulator } from '@switchboard/emulators/bluesky';
import { type ContractPeerWithGroups, describeAdapterContract } from '@switchboard/testkit';
import { createBlueskyAdapter } from './bluesky-adapter.js';

const PASSWORD = 'alice-contract-app-pass';

/**
 * The Switchboard adapter contract on the Bluesky emulator: Alice is the adapter, Bob the peer,
 * played in-process by the emulator (`emulator.as('bob.test')`).
 */
describeAdapterContract({
  name: 'bluesky',
  async setup() {
    const emulator = await startBlueskyEmulator({
      accounts: [
        { handle: 'alice.test', password: PASSWORD },
        { handle: 'bob.test', password: 'bob-contract-app-pass' },
        { handle: 'carol.test', password: 'carol-contract-app-pass' },
        { handle: 'dave.test', password: 'dave-contract-app-pass' },
      ],
    });
    const adapter = createBlueskyAdapter({
      identifier: 'alice.test',
      password: PASSWORD,
      service: emulator.url,
      pollIntervalMs: 25,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 10 },
    });
    const bob = emulator.as('bob.test');
    const peer: ContractPeerWithGroups = {
      participant: 'bob.test',
      startConversation: async () => bob.openConvo('alice.test'),
      send: async (conversationId, text) => {
        bob.sendMessage(conversationId, text);
      },
      seedHistory: async (conversationId, count, prefix) =>
        emulator.seedMessages(conversationId, count, prefix),
      groups: {
        others: ['carol.test', 'dave.test'],
        // Read from the emulator's own state, as that account (no adapter involved).
        isMember: async (conversationId, participant) => emulator.as(participant).isMember(conversationId),
        startGroup: async (title) => bob.createGroup(title, ['alice.test', 'carol.test']),
      },
    };
    return { adapter, peer, faults: emulator.faults, secrets: [PASSWORD], teardown: () => emulator.close() };
  },
});
