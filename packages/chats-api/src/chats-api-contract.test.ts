import { startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import { type ContractPeer, describeAdapterContract } from '@switchboard/testkit';
import { createChatsApiAdapter } from './index.js';

const ME = { username: 'contract-user', password: 'contract-password-1' };
const PEER = { username: 'contract-peer', password: 'contract-peer-password' };
const MORE_PEERS = [2, 3, 4].map((n) => ({
  username: `contract-peer-${n}`,
  password: `contract-peer-password-${n}`,
}));

/** `GET /chats/{chat_id}` as the peer reads it (the fields the backend read needs). */
interface BackendChatPage {
  chat: { users: Array<{ id: string; username: string }> };
  messages: Array<{
    id: string;
    from_user_id: string;
    text_content?: string | null;
    image_content?: string | null;
    seen_by: Array<{ user_id: string }>;
  }>;
}

describeAdapterContract({
  name: 'chats-api',
  async setup() {
    const emulator = await startChatsApiEmulator({ users: [ME, PEER, ...MORE_PEERS] });
    // The provider has no "chat created" event: new chats are found by the periodic sync, so it runs
    // well within realtimeTimeoutMs (realtime-emits-conversation-created).
    const adapter = createChatsApiAdapter({ baseUrl: emulator.url, ...ME, syncIntervalMs: 1_000 });
    // Each peer is another user, driven in-process: its sends go out as over its own WebSocket.
    const peerAs = (username: string): ContractPeer => {
      const peer = emulator.as(username);
      return {
        participant: username,
        startConversation: async () => peer.openDirect(ME.username).id,
        async send(conversationId, text) {
          peer.sendMessage(conversationId, text);
        },
        async seedHistory(conversationId, count, prefix) {
          emulator.seedMessages(conversationId, count, prefix, username);
        },
        // The peer's `seen` frame is broadcast to us (read receipts: realtime-emits-peer-read).
        async markRead(conversationId, messageId) {
          peer.markSeen(conversationId, [messageId]);
        },
        // The backend as this peer reads it over REST (its own token, not the adapter): `seen_by` tells
        // whether we read a message.
        async readMessages(conversationId) {
          const response = await fetch(
            `${emulator.url}/chats/${encodeURIComponent(conversationId)}?limit=100&offset=0`,
            {
              headers: { authorization: `Bearer ${emulator.tokenFor(username)}` },
            },
          );
          const page = (await response.json()) as BackendChatPage;
          const self = page.chat.users.find((user) => user.username === ME.username)?.id;
          return page.messages.reverse().map((message) => ({
            id: message.id,
            text: message.text_content ?? '',
            fromSelf: message.from_user_id === self,
            attachments: message.image_content ? [{ kind: 'image' as const }] : [],
            readBySelf: message.seen_by.some((seen) => seen.user_id === self),
          }));
        },
      };
    };
    return {
      adapter,
      peer: peerAs(PEER.username),
      peers: MORE_PEERS.map((user) => peerAs(user.username)),
      // The same user on a second device: observes what the adapter under test changed.
      secondAdapter: () => createChatsApiAdapter({ baseUrl: emulator.url, ...ME }),
      faults: emulator.faults,
      secrets: [ME.password, emulator.tokenFor(ME.username)],
      teardown: () => emulator.close(),
    };
  },
});
