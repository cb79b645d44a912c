/**
 * One `chat.bsky.convo.getLog` entry → one {@link ChatEvent} (or none, for kinds we do not map).
 * @module
 */
import type { ChatEvent, ConversationUpdatedEvent } from '@switchboard/core';
import {
  BlueskyTypes,
  type LogEntry,
  type ProfileViewBasic,
  type SystemMessageView,
} from './bluesky-schemas.js';
import { knownMessageView, mapBlueskyMessage, mapBlueskyReaction } from './map-bluesky-message.js';
import { indexProfiles, mapBlueskyParticipant } from './map-bluesky-participant.js';

/** The DID in a `systemMessageReferredUser` field of a system message's data. */
const didAt = (data: Record<string, unknown>, key: string): string | undefined => {
  const value = data[key] as { did?: unknown } | undefined;
  return typeof value?.did === 'string' ? value.did : undefined;
};

/** A group log entry: its message is a system message. */
interface GroupLogEntry {
  $type: string;
  convoId: string;
  message: SystemMessageView;
  relatedProfiles?: ProfileViewBasic[] | undefined;
}

/** Maps the group events whose message is a system message. */
function mapGroupLog(entry: GroupLogEntry, selfDid: string): ChatEvent | undefined {
  const data = entry.message.data as Record<string, unknown>;
  const base = { provider: 'bluesky', conversationId: entry.convoId, raw: entry };
  const profiles = indexProfiles(entry.relatedProfiles);
  const participant = (key: string) => {
    const did = didAt(data, key);
    return did === undefined ? undefined : mapBlueskyParticipant(did, { selfDid, profiles });
  };
  const actor = (key: string) => {
    const did = didAt(data, key);
    return did === undefined ? {} : { actorId: did };
  };
  /** A member joined or left: the `member` of the data (none: no event), who did it at `actorKey`. */
  const membership = (
    kind:
      | { type: 'participant.joined'; via: 'added' | 'joined' }
      | { type: 'participant.left'; via: 'left' | 'removed' },
    actorKey?: string,
  ): ChatEvent | undefined => {
    const member = participant('member');
    if (!member) return undefined;
    return { ...base, ...kind, participant: member, ...(actorKey ? actor(actorKey) : {}) };
  };
  switch (entry.$type) {
    case BlueskyTypes.logAddMember:
      return membership({ type: 'participant.joined', via: 'added' }, 'addedBy');
    case BlueskyTypes.logMemberJoin:
      return membership({ type: 'participant.joined', via: 'joined' }, 'approvedBy');
    case BlueskyTypes.logRemoveMember:
      return membership({ type: 'participant.left', via: 'removed' }, 'removedBy');
    case BlueskyTypes.logMemberLeave:
      return membership({ type: 'participant.left', via: 'left' });
    case BlueskyTypes.logEditGroup:
      return {
        ...base,
        type: 'conversation.updated',
        change: 'renamed',
        ...(typeof data.newName === 'string' ? { title: data.newName } : {}),
      };
    case BlueskyTypes.logLockConvo:
    case BlueskyTypes.logLockConvoPermanently:
      return { ...base, type: 'conversation.updated', change: 'locked', ...actor('lockedBy') };
    case BlueskyTypes.logUnlockConvo:
      return { ...base, type: 'conversation.updated', change: 'unlocked', ...actor('unlockedBy') };
  }
  return undefined;
}

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
 * - `logAcceptConvo`, `logLeaveConvo`, `logMuteConvo`, `logUnmuteConvo` → `conversation.updated`;
 * - groups: `logAddMember` / `logMemberJoin` → `participant.joined` (`via: 'added'` with `actorId`
 *   the adder, or `'joined'` by link with `actorId` the approver); `logRemoveMember` /
 *   `logMemberLeave` → `participant.left` (`'removed'` with `actorId`, or `'left'`); `logEditGroup`
 *   → `conversation.updated` `'renamed'` with the new `title`; `logLockConvo` /
 *   `logLockConvoPermanently` / `logUnlockConvo` → `conversation.updated` `'locked'` / `'unlocked'`.
 *
 * Other kinds (join links and join requests, kinds newer than this adapter) and messages of unknown
 * kinds map to `undefined`. The entry is the event's `raw`.
 */
export function mapBlueskyLog(entry: LogEntry, selfDid: string): ChatEvent | undefined {
  if (entry.$type === 'unknown') return undefined;
  const base = { provider: 'bluesky', conversationId: entry.convoId, raw: entry };
  switch (entry.$type) {
    case BlueskyTypes.logAddMember:
    case BlueskyTypes.logRemoveMember:
    case BlueskyTypes.logMemberJoin:
    case BlueskyTypes.logMemberLeave:
    case BlueskyTypes.logLockConvo:
    case BlueskyTypes.logUnlockConvo:
    case BlueskyTypes.logLockConvoPermanently:
    case BlueskyTypes.logEditGroup:
      return mapGroupLog(entry, selfDid);
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
