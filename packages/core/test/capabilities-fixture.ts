import type { CapabilitiesInput } from '../src/capabilities.js';

/** A manifest declaring nothing (text only, no realtime), for tests to switch on what they need. */
export const nothingDeclared: CapabilitiesInput = {
  listConversations: false,
  getConversation: false,
  openConversation: false,
  deleteConversation: false,
  muteConversation: false,
  listMessages: false,
  getMessage: false,
  editMessage: false,
  deleteMessage: false,
  markRead: false,
  reactions: false,
  attachments: [],
  realtime: 'none',
  maxTextLength: 10,
  pageSize: { min: 1, max: 1, default: 1 },
};
