/**
 * `@switchboard/emulators/chats-api`: a local model of the FastAPI chats server (REST + WebSocket).
 * @module @switchboard/emulators/chats-api
 */
export {
  type ChatsApiEmulator,
  type ChatsApiEmulatorOptions,
  type ChatsApiUserInput,
  startChatsApiEmulator,
} from './chats-api-emulator.js';
export type { ChatsApiPeer, PeerSendVia } from './chats-api-peer.js';
export { chatsApiProfile } from './chats-api-profile.js';
export type { WsAuthFailure } from './chats-api-socket-hub.js';
export type {
  ChatDetail,
  ChatPreview,
  ChatWithMessagesPage,
  LastMessagePreview,
  MessageOut,
  MessageSeenOut,
  PageOf,
  UserPublic,
  UserSearchPublic,
} from './chats-api-wire.js';
