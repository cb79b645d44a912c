import { startBlueskyEmulator } from '@switchboard/emulators/bluesky';
import {
  type ContractPeer,
  type ContractPeerWithGroups,
  describeAdapterContract,
} from '@switchboard/testkit';
import { createBlueskyAdapter } from './bluesky-adapter.js';

const PASSWORD = 'alice-contract-app-pass';
/** Bob's profile display name: `field-display-names` checks the adapter reports it exactly. */
const BOB_DISPLAY_NAME = 'Bob «Contract» 🦋';

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
        { handle: 'bob.test', password: 'bob-contract-app-pass', displayName: BOB_DISPLAY_NAME },
        { handle: 'carol.test', password: 'carol-contract-app-pass' },
        { handle: 'dave.test', password: 'dave-contract-app-pass' },
      ],
    });
    const adapterOptions = {
      identifier: 'alice.test',
      password: PASSWORD,
      service: emulator.url,
      pollIntervalMs: 25,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 10 },
    };
    const adapter = createBlueskyAdapter(adapterOptions);
    const peerAs = (handle: string): ContractPeer => {
      const account = emulator.as(handle);
      return {
        participant: handle,
        startConversation: async () => account.openConvo('alice.test'),
        send: async (conversationId, text) => {
          account.sendMessage(conversationId, text);
        },
        seedHistory: async (conversationId, count, prefix) =>
          emulator.seedMessages(conversationId, count, prefix, handle),
        // The peer's reactions reach our getLog (realtime-emits-peer-reaction). No peer.markRead:
        // Bluesky has no read receipts (another account's read never reaches our log).
        react: async (conversationId, messageId, value) =>
          account.addReaction(conversationId, messageId, value),
        unreact: async (conversationId, messageId, value) =>
          account.removeReaction(conversationId, messageId, value),
      };
    };
    // A direct convo per pair: more peers give the conversation cases more than one convo.
    // carol and dave are accounts already (the group cases add them to groups); erin is one more peer.
    const more = ['carol.test', 'dave.test', 'erin.test'];
    emulator.addAccount({ handle: 'erin.test', password: 'erin.test-contract-app-pass' });
    const bob = emulator.as('bob.test');
    return {
      adapter,
      peer: {
        ...peerAs('bob.test'),
        displayName: BOB_DISPLAY_NAME,
        seedHistory: async (conversationId, count, prefix) =>
          emulator.seedMessages(conversationId, count, prefix),
        groups: {
          others: ['carol.test', 'dave.test'],
          // Read from the emulator's own state, as that account (no adapter involved).
          isMember: async (conversationId, participant) => emulator.as(participant).isMember(conversationId),
          startGroup: async (title) => bob.createGroup(title, ['alice.test', 'carol.test']),
        },
      } satisfies ContractPeerWithGroups,
      peers: more.map(peerAs),
      // Alice on a second device: observes what the adapter under test changed.
      secondAdapter: () => createBlueskyAdapter(adapterOptions),
      faults: emulator.faults,
      secrets: [PASSWORD],
      teardown: () => emulator.close(),
    };
  },
});
