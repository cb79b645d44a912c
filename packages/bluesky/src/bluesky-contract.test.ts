import { startBlueskyEmulator } from '@switchboard/emulators/bluesky';
import { type ContractPeer, describeAdapterContract } from '@switchboard/testkit';
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
      };
    };
    // A direct convo per pair: more peers give the conversation cases more than one convo.
    const more = ['carol.test', 'dave.test', 'erin.test'];
    for (const handle of more) emulator.addAccount({ handle, password: `${handle}-contract-app-pass` });
    return {
      adapter,
      peer: {
        ...peerAs('bob.test'),
        seedHistory: async (conversationId, count, prefix) =>
          emulator.seedMessages(conversationId, count, prefix),
      },
      peers: more.map(peerAs),
      // Alice on a second device: observes what the adapter under test changed.
      secondAdapter: () => createBlueskyAdapter(adapterOptions),
      faults: emulator.faults,
      secrets: [PASSWORD],
      teardown: () => emulator.close(),
    };
  },
});
