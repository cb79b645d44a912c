import { defineCapabilities } from '@switchboard/core';

/** Longest `text_content`: pydantic's `max_length=4000`, which counts Python characters (code points). */
export const MAX_TEXT_LENGTH = 4000;
/** Longest `image_content` URL: the database column is `varchar(2048)` (the server does not check it first). */
export const MAX_IMAGE_URL_LENGTH = 2048;
/** Longest chat name: the database column is `varchar(100)`. */
export const MAX_CHAT_NAME_LENGTH = 100;
/** `limit` of every list endpoint: 1..100, default 20. */
export const PAGE_SIZE = { min: 1, max: 100, default: 20 } as const;

/**
 * What the chats-api adapter can do:
 * - conversations: list, get, open direct or group chats (by user id or username);
 * - messages: history newest first, send text (≤ 4000 code points) with at most one image, mark read
 *   (the `seen` event);
 * - no getMessage, editing, deleting or reactions (the API has none);
 * - realtime over the `/ws` WebSocket.
 */
export const chatsApiCapabilities = defineCapabilities({
  listConversations: true,
  getConversation: true,
  openConversation: 'direct-and-group',
  deleteConversation: false,
  muteConversation: false,
  listMessages: true,
  getMessage: false,
  editMessage: false,
  deleteMessage: false,
  markRead: true,
  reactions: false,
  attachments: ['image'],
  realtime: 'websocket',
  // GET /chats/{id} holds every stored message at once: an ambiguous send is resolved by reading it back.
  sendReconciliation: true,
  maxTextLength: MAX_TEXT_LENGTH,
  textLengthUnit: 'code-points',
  pageSize: { ...PAGE_SIZE },
});
