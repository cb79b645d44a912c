import { defineCapabilities } from '@switchboard/core';

/**
 * What the memory backend supports — everything: the reference adapter declares every capability, so
 * every "declared ⇒ works" contract case runs against it.
 */
export const memoryCapabilities = defineCapabilities({
  listConversations: true,
  getConversation: true,
  openConversation: 'direct-and-group',
  deleteConversation: 'for-self',
  muteConversation: true,
  listMessages: true,
  getMessage: true,
  editMessage: true,
  deleteMessage: 'for-everyone',
  markRead: true,
  reactions: true,
  attachments: ['image', 'file'],
  streamedReplies: true,
  realtime: 'polling',
  maxTextLength: 2_000,
  textLengthUnit: 'graphemes',
  pageSize: { min: 1, max: 100, default: 20 },
});
