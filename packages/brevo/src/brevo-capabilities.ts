import { defineCapabilities } from '@switchboard/core';

/**
 * What the Brevo adapter supports. Brevo's REST API can send, get, edit and delete agent messages
 * but cannot list anything, so conversations and history come from the webhooks the adapter
 * records (`listConversations`, `getConversation`, `listMessages` read the `StateStore`).
 *
 * - `openConversation: 'direct'`: a conversation is one visitor; opening one with a `visitorId`
 *   you know (Brevo lets you bind your own user ids as visitor ids) records it locally, no request.
 * - `attachments: []`: the API sends text only (visitors' files are received as attachments).
 * - `maxTextLength`: Brevo documents no limit; 10 000 code points is our choice (DEFINE).
 */
export const brevoCapabilities = defineCapabilities({
  listConversations: true,
  getConversation: true,
  openConversation: 'direct',
  deleteConversation: false,
  muteConversation: false,
  listMessages: true,
  getMessage: true,
  editMessage: true,
  deleteMessage: 'for-everyone',
  markRead: false,
  reactions: false,
  attachments: [],
  realtime: 'webhook',
  // History is fed by webhooks (our own messages arrive as echoes, late or never): not authoritative,
  // so an ambiguous send cannot be proven absent nor safely matched.
  sendReconciliation: false,
  maxTextLength: 10_000,
  textLengthUnit: 'code-points',
  pageSize: { min: 1, max: 100, default: 50 },
});
