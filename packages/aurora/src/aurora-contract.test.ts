import { startAuroraEmulator } from '@switchboard/emulators/aurora';
import { type ContractPeer, describeAdapterContract } from '@switchboard/testkit';
import { createAuroraAdapter } from './index.js';

const USER = { username: 'contract-user', password: 'contract-password-1' };

describeAdapterContract({
  name: 'aurora',
  async setup() {
    const emulator = await startAuroraEmulator({ users: [] });
    const { accessToken } = emulator.addUser(USER);
    // A saved token plus username/password: requests start with the token, a 401 logs in again.
    const adapter = createAuroraAdapter({ ...USER, accessToken, baseUrl: emulator.url });
    // Each peer is an AI character with its own chat; it speaks through the emulator's in-process API.
    const peerOf = (characterId: number): ContractPeer => ({
      participant: String(characterId),
      async startConversation() {
        const existing = emulator.chats(USER.username).find((chat) => chat.characterId === characterId);
        return String(existing?.id ?? emulator.createChat(USER.username, characterId));
      },
      async send(conversationId, text) {
        emulator.addMessage(Number(conversationId), 'assistant', text);
      },
      async seedHistory(conversationId, count, prefix) {
        emulator.seedMessages(Number(conversationId), count, prefix);
      },
      // The backend's store, read without the adapter (a deleted message is gone).
      async readMessages(conversationId) {
        return emulator.messages(Number(conversationId)).map((message) => ({
          id: String(message.id),
          text: message.content,
          fromSelf: message.role === 'user',
        }));
      },
    });
    const characters = emulator.characters.map((character) => character.id);
    return {
      adapter,
      peer: peerOf(characters[1]!),
      peers: [characters[0]!, ...characters.slice(2)].map(peerOf),
      // The same account on a second device.
      secondAdapter: () => createAuroraAdapter({ ...USER, accessToken, baseUrl: emulator.url }),
      faults: emulator.faults,
      secrets: [USER.password, accessToken],
      teardown: () => emulator.close(),
    };
  },
});
