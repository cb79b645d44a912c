/**
 * One `chat.bsky.convo.getLog` entry → one {@link ChatEvent} (or none, for kinds we do not map).
 * @module
 */
import type { ChatEvent, ConversationUpdatedEvent } from '@switchboard/core';
import { BlueskyTypes, type LogEntry } from './bluesky-schemas.js';
import { knownMessageView, mapBlueskyMessage, mapBlueskyReaction } from './map-bluesky-message.js';
import { indexProfiles } from './map-bluesky-participant.js';

const CONVO_CHANGES: Record<string, ConversationUpdatedEvent['change']> = {
  [BlueskyTypes.logAcceptConvo]: 'accepted',
  [BlueskyTypes.logLeaveConvo]: 'left',
  [BlueskyTypes.logMuteConvo]: 'muted',
  [BlueskyTypes.logUnmuteConvo]: 'unmuted',
};

/**
 * Maps a log entry:
 * - `logCreateMessage` → `message.created`; `logDeleteMessage` → `message.deleted`;
 * - `logReadMessage` / `logReadConvo` → `read` (our own read marker: Bluesky has no read receipts,
 *   so `readerId` is the logged-in account);
 * - `logAddReaction` / `logRemoveReaction` → `reaction.added` / `reaction.removed`;
 * - `logBeginConvo` → `conversation.created`;
 * - `logAcceptConvo`, `logLeaveConvo`, `logMuteConvo`, `logUnmuteConvo` → `conversation.updated`.
 *
 * Other kinds (group-chat events, kinds newer than this adapter) and messages of unknown kinds map
 * to `undefined`. The entry is the event's `raw`.
 */
export function mapBlueskyLog(entry: LogEntry, selfDid: string): ChatEvent | undefined {
  if (entry.$type === 'unknown') return undefined;
  const base = { provider: 'bluesky', conversationId: entry.convoId, raw: entry };
  switch (entry.$type) {
    case BlueskyTypes.logBeginConvo:
      return { ...base, type: 'conversation.created' };
    case BlueskyTypes.logAcceptConvo:
    case BlueskyTypes.logLeaveConvo:
    case BlueskyTypes.logMuteConvo:
    case BlueskyTypes.logUnmuteConvo:
      return { ...base, type: 'conversation.updated', change: CONVO_CHANGES[entry.$type]! };
    case BlueskyTypes.logReadMessage:
    case BlueskyTypes.logReadConvo: {
      const message = knownMessageView(entry.message);
      return { ...base, type: 'read', readerId: selfDid, ...(message ? { messageId: message.id } : {}) };
    }
  }
  const message = knownMessageView(entry.message);
  if (!message) return undefined;
  switch (entry.$type) {
    case BlueskyTypes.logCreateMessage: {
      const context = { selfDid, profiles: indexProfiles(entry.relatedProfiles) };
      return {
        ...base,
        type: 'message.created',
        message: mapBlueskyMessage(message, entry.convoId, context),
      };
    }
    case BlueskyTypes.logDeleteMessage:
      return { ...base, type: 'message.deleted', messageId: message.id };
    case BlueskyTypes.logAddReaction:
    case BlueskyTypes.logRemoveReaction:
      return {
        ...base,
        type: entry.$type === BlueskyTypes.logAddReaction ? 'reaction.added' : 'reaction.removed',
        messageId: message.id,
        reaction: mapBlueskyReaction(entry.reaction),
      };
  }
}
