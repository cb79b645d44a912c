/**
 * `chat.bsky.convo.defs#convoView` → {@link Conversation}.
 * @module
 */
import type { Conversation } from '@switchboard/core';
import { BlueskyTypes, type ConvoView } from './bluesky-schemas.js';
import { knownMessageView, mapBlueskyMessage } from './map-bluesky-message.js';
import { indexProfiles, mapBlueskyParticipant } from './map-bluesky-participant.js';

/**
 * Maps a convo view. `kind` is `'group'` for a `#groupConvo` kind (its name becomes the title,
 * its `memberCount` the `participantCount`) and `'direct'` otherwise; participants are the members
 * the view lists (`isSelf` by DID; for a group only the "important" ones: page through
 * `listParticipants` for all); `status` is the viewer's (`'request'` | `'accepted'`); `updatedAt` is
 * the last message's time.
 */
export function mapBlueskyConversation(convo: ConvoView, selfDid: string): Conversation {
  const context = { selfDid, profiles: indexProfiles(convo.members) };
  const group = convo.kind?.$type === BlueskyTypes.groupConvo;
  const conversation: Conversation = {
    id: convo.id,
    provider: 'bluesky',
    kind: group ? 'group' : 'direct',
    participants: convo.members.map((member) => mapBlueskyParticipant(member.did, context)),
    unreadCount: convo.unreadCount,
    muted: convo.muted,
    raw: convo,
  };
  if (group && convo.kind?.name) conversation.title = convo.kind.name;
  if (group && convo.kind?.memberCount !== undefined) conversation.participantCount = convo.kind.memberCount;
  if (convo.status === 'request' || convo.status === 'accepted') conversation.status = convo.status;
  const last = knownMessageView(convo.lastMessage);
  if (last) {
    conversation.lastMessage = mapBlueskyMessage(last, convo.id, context);
    conversation.updatedAt = conversation.lastMessage.sentAt;
  }
  return conversation;
}
