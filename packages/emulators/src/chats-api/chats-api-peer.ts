import type { ChatsApiSocketHub } from './chats-api-socket-hub.js';
import type { ChatRecord, ChatsApiStore, UserRecord } from './chats-api-store.js';
import {
  type ChatDetail,
  type MessageOut,
  toChatDetail,
  toMessageOut,
  toUserPublic,
  type UserPublic,
} from './chats-api-wire.js';

/** How a peer's message reaches the server. */
export type PeerSendVia =
  /** A `message` event on the peer's `/ws` socket: broadcast with a top-level `chat_id` (default). */
  | 'ws'
  /** A `message` event on the peer's `/ws/chats/{id}` socket: broadcast without a top-level `chat_id`. */
  | 'chat-socket'
  /** `POST /chats/{id}/messages`: stored, not broadcast (the real server's quirk). */
  | 'rest';

/**
 * Another user of the emulated server, driven in-process (no HTTP, no adapter involved): what that
 * user's own client would do, with the same effects on the server as the real endpoints.
 */
export interface ChatsApiPeer {
  readonly user: UserPublic;
  /**
   * Creates a chat as `POST /chats` by this user would (same group and dedupe rules), with the
   * other members given by username or id. Returns it as `GET /chats/{id}` shows it to this user.
   * @throws {Error} for unknown users or fewer than one other member.
   */
  createChat(params: { users: string[]; name?: string | null; avatar?: string | null }): ChatDetail;
  /** The direct chat with `username`, created when there is none. */
  openDirect(username: string): ChatDetail;
  /**
   * Sends a message. Over a socket (the default), it is broadcast to every subscriber exactly as the
   * server broadcasts a WebSocket send; with `via: 'rest'` it is only stored.
   * @throws {Error} when this user is not a member of the chat, or the message is empty.
   */
  sendMessage(
    chatId: string,
    text: string,
    options?: { imageContent?: string; via?: PeerSendVia },
  ): MessageOut;
  /** Sends a `seen` event for these messages (recorded and broadcast as the server does). */
  markSeen(chatId: string, messageIds: string[]): void;
}

/** Builds the peer API of `user`. */
export function createChatsApiPeer(
  store: ChatsApiStore,
  hub: ChatsApiSocketHub,
  user: UserRecord,
): ChatsApiPeer {
  const resolve = (nameOrId: string) => {
    const found = store.userByUsername(nameOrId) ?? store.user(nameOrId);
    if (!found) throw new Error(`Unknown user: ${nameOrId}`);
    return found.id;
  };
  const memberChat = (chatId: string): ChatRecord => {
    const chat = store.memberChat(chatId, user.id);
    if (!chat) throw new Error(`${user.username} is not a member of chat ${chatId}`);
    return chat;
  };
  const detail = (chat: ChatRecord) => toChatDetail(chat, store.members(chat), user.id);

  return {
    user: toUserPublic(user),
    createChat({ users, name = null, avatar = null }) {
      return detail(store.createChat(user.id, users.map(resolve), name, avatar).chat);
    },
    openDirect(username) {
      return detail(store.createChat(user.id, [resolve(username)], null, null).chat);
    },
    sendMessage(chatId, text, { imageContent, via = 'ws' } = {}) {
      const chat = memberChat(chatId);
      const content = { text: text || null, image: imageContent || null };
      if (!content.text && !content.image) throw new Error('text_content or image_content required');
      const message =
        via === 'rest'
          ? store.addMessage(chat, user.id, content.text, content.image)
          : hub.sendAs(user, chat, content, via === 'ws' ? 'all' : 'chat');
      return toMessageOut(message);
    },
    markSeen(chatId, messageIds) {
      hub.seenAs(user, memberChat(chatId), messageIds);
    },
  };
}
