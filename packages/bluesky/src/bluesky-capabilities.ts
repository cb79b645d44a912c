import { defineCapabilities } from '@switchboard/core';
import { MAX_TEXT_GRAPHEMES, PAGE_SIZE } from './bluesky-limits.js';

/**
 * What the Bluesky adapter can do (1-to-1 DMs through `chat.bsky.convo.*`):
 * - conversations: list, get, open a direct one (get-or-create), leave (`'for-self'`), mute;
 * - messages: history newest first, send text (≤ 1000 graphemes and ≤ 10 000 UTF-8 bytes, links
 *   become facets), delete for self, mark read, reactions;
 * - no `getMessage` (the API has no such method), no editing, no outgoing attachments;
 * - realtime by polling `getLog`.
 */
export const blueskyCapabilities = defineCapabilities({
  listConversations: true,
  getConversation: true,
  openConversation: 'direct',
  deleteConversation: 'for-self',
  muteConversation: true,
  listMessages: true,
  getMessage: false,
  editMessage: false,
  deleteMessage: 'for-self',
  markRead: true,
  reactions: true,
  attachments: [],
  realtime: 'polling',
  // getMessages is authoritative for our sends: an ambiguous send is resolved by reading it back.
  sendReconciliation: true,
  maxTextLength: MAX_TEXT_GRAPHEMES,
  textLengthUnit: 'graphemes',
  pageSize: { ...PAGE_SIZE },
});
