import type { Conversation, Participant } from '@switchboard/core';
import type { StoredConversation } from './brevo-records.js';
import { mapBrevoMessage } from './map-brevo-message.js';

/** Adds `incoming` participants to `known`, replacing entries with the same id. */
export function mergeParticipants(known: Participant[], incoming: Participant[]): Participant[] {
  const byId = new Map(known.map((participant) => [participant.id, participant]));
  for (const participant of incoming) byId.set(participant.id, participant);
  return [...byId.values()];
}

/**
 * Maps a recorded conversation: a `'support'` thread whose id is the visitor id, titled with the
 * visitor's displayed name, with the visitor, the agents seen in it, and us as participants.
 */
export function mapBrevoConversation(stored: StoredConversation, self: Participant): Conversation {
  const conversation: Conversation = {
    id: stored.visitorId,
    provider: 'brevo',
    kind: 'support',
    participants: mergeParticipants([stored.visitor, ...stored.agents], [self]),
    updatedAt: new Date(stored.updatedAt),
    raw: stored.raw ?? { visitorId: stored.visitorId },
  };
  if (stored.visitor.displayName) conversation.title = stored.visitor.displayName;
  if (stored.lastMessage) conversation.lastMessage = mapBrevoMessage(stored.lastMessage);
  return conversation;
}
