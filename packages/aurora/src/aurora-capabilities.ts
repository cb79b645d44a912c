import { type Capabilities, defineCapabilities } from '@switchboard/core';
import type { AuroraApiVersion } from './aurora-options.js';

/** Longest message the adapter sends, in code points. The API documents none; this is our limit (the emulator's too). */
const AURORA_MAX_TEXT_LENGTH = 4096;

/**
 * The capability manifest of each API profile. v5's history has no message ids, so messages cannot
 * be deleted through it; everything else is the same.
 */
export function auroraCapabilities(version: AuroraApiVersion): Capabilities {
  return defineCapabilities({
    listConversations: true,
    getConversation: true,
    openConversation: 'direct',
    deleteConversation: 'for-everyone',
    muteConversation: false,
    listMessages: true,
    getMessage: false,
    editMessage: false,
    deleteMessage: version === 'v11' ? 'for-everyone' : false,
    markRead: false,
    reactions: false,
    attachments: [],
    streamedReplies: true,
    realtime: 'stream',
    // The chat history stores the user's turn as soon as POST /message accepts it.
    sendReconciliation: true,
    maxTextLength: AURORA_MAX_TEXT_LENGTH,
    textLengthUnit: 'code-points',
    pageSize: { min: 1, max: 100, default: 50 },
  });
}
