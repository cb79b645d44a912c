import { startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import { describeAdapterContract } from '@switchboard/testkit';
import { createChatsApiAdapter } from './index.js';

const ME = { username: 'contract-user', password: 'contract-password-1' };
const PEER = { username: 'contract-peer', password: 'contract-peer-password' };

describeAdapterContract({
  name: 'chats-api',
  async setup() {
    const emulator = await startChatsApiEmulator({ users: [ME, PEER] });
    const adapter = createChatsApiAdapter({ baseUrl: emulator.url, ...ME });
    const peer = emulator.as(PEER.username);
    return {
      adapter,
      // The peer is another user, driven in-process: its sends go out as over its own WebSocket.
      peer: {
        participant: PEER.username,
        startConversation: async () => peer.openDirect(ME.username).id,
        async send(conversationId, text) {
          peer.sendMessage(conversationId, text);
        },
        async seedHistory(conversationId, count, prefix) {
          emulator.seedMessages(conversationId, count, prefix, PEER.username);
        },
      },
      faults: emulator.faults,
      secrets: [ME.password, emulator.tokenFor(ME.username)],
      teardown: () => emulator.close(),
    };
  },
});
