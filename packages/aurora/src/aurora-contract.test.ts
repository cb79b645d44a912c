import { startAuroraEmulator } from '@switchboard/emulators/aurora';
import { describeAdapterContract } from '@switchboard/testkit';
import { createAuroraAdapter } from './index.js';

const USER = { username: 'contract-user', password: 'contract-password-1' };

describeAdapterContract({
  name: 'aurora',
  async setup() {
    const emulator = await startAuroraEmulator({ users: [] });
    const { accessToken } = emulator.addUser(USER);
    // A saved token plus username/password: requests start with the token, a 401 logs in again.
    const adapter = createAuroraAdapter({ ...USER, accessToken, baseUrl: emulator.url });
    const character = emulator.characters[1]!;
    return {
      adapter,
      // The peer is the AI character; it speaks through the emulator's in-process API.
      peer: {
        participant: String(character.id),
        async startConversation() {
          const existing = emulator.chats(USER.username).find((chat) => chat.characterId === character.id);
          return String(existing?.id ?? emulator.createChat(USER.username, character.id));
        },
        async send(conversationId, text) {
          emulator.addMessage(Number(conversationId), 'assistant', text);
        },
        async seedHistory(conversationId, count, prefix) {
          emulator.seedMessages(Number(conversationId), count, prefix);
        },
      },
      faults: emulator.faults,
      secrets: [USER.password, accessToken],
      teardown: () => emulator.close(),
    };
  },
});
