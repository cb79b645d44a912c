/**
 * `@switchboard/chats-api`: the Switchboard adapter for the FastAPI chats server (REST + `/ws`).
 * @module @switchboard/chats-api
 */
export { type ChatsApiAdapter, createChatsApiAdapter } from './chats-api-adapter.js';
export type {
  ChatsApiAdapterOptions,
  ChatsApiCommonOptions,
  ChatsApiPasswordOptions,
  ChatsApiTokenOptions,
} from './chats-api-options.js';
