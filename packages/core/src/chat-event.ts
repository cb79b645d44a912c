import type { Conversation, Message, Participant, Reaction } from './model.js';

interface EventBase {
  /** The adapter's `provider` name. */
  provider: string;
  conversationId: string;
  /** The provider's event payload, when there was one. */
  raw?: unknown;
}

/** A new message (from someone else or from us). */
export interface MessageCreatedEvent extends EventBase {
  type: 'message.created';
  message: Message;
  /** For a streamed reply: the `replyId` its `message.delta` chunks carried. */
  replyId?: string;
}
/** A message was edited. */
export interface MessageUpdatedEvent extends EventBase {
  type: 'message.updated';
  message: Message;
}
/** A message was deleted (for everyone, or for us). */
export interface MessageDeletedEvent extends EventBase {
  type: 'message.deleted';
  messageId: string;
}
/** A conversation we are in was started. */
export interface ConversationCreatedEvent extends EventBase {
  type: 'conversation.created';
  conversation?: Conversation;
}
/** A conversation changed: muted, unmuted, accepted, left, renamed, locked… */
export interface ConversationUpdatedEvent extends EventBase {
  type: 'conversation.updated';
  change: 'muted' | 'unmuted' | 'accepted' | 'left' | 'closed' | 'renamed' | 'locked' | 'unlocked' | 'other';
  conversation?: Conversation;
  /** For `'renamed'`: the new title. */
  title?: string;
  /** Who made the change, when the provider says. */
  actorId?: string;
}
/** Someone joined a (group) conversation: added by a participant, or joined by themselves (a join link). */
export interface ParticipantJoinedEvent extends EventBase {
  type: 'participant.joined';
  participant: Participant;
  /** `'added'` by another participant (`actorId`), or `'joined'` by themselves. */
  via: 'added' | 'joined';
  /** Who added (or approved) them, when the provider says. */
  actorId?: string;
}
/** Someone left a (group) conversation: by themselves, or removed by a participant. */
export interface ParticipantLeftEvent extends EventBase {
  type: 'participant.left';
  participant: Participant;
  /** `'left'` by themselves, or `'removed'` by another participant (`actorId`). */
  via: 'left' | 'removed';
  actorId?: string;
}
/** Someone read the conversation up to `messageId` (the "conversation read" event). */
export interface ReadEvent extends EventBase {
  type: 'read';
  messageId?: string;
  readerId?: string;
}
/** A reaction was added to a message. */
export interface ReactionAddedEvent extends EventBase {
  type: 'reaction.added';
  messageId: string;
  reaction: Reaction;
}
/** A reaction was removed from a message. */
export interface ReactionRemovedEvent extends EventBase {
  type: 'reaction.removed';
  messageId: string;
  reaction: Reaction;
}
/**
 * One chunk of a streamed reply (an AI assistant's answer as it is generated).
 * Chunks of one reply share `replyId`; `index` counts from 0. The full reply follows as one
 * `message.created` event.
 */
export interface MessageDeltaEvent extends EventBase {
  type: 'message.delta';
  replyId: string;
  index: number;
  delta: string;
}

/** Everything an adapter's realtime source or webhook handler can report. Discriminated on `type`. */
export type ChatEvent =
  | MessageCreatedEvent
  | MessageUpdatedEvent
  | MessageDeletedEvent
  | ConversationCreatedEvent
  | ConversationUpdatedEvent
  | ParticipantJoinedEvent
  | ParticipantLeftEvent
  | ReadEvent
  | ReactionAddedEvent
  | ReactionRemovedEvent
  | MessageDeltaEvent;

/** The `type` of any {@link ChatEvent}. */
export type ChatEventType = ChatEvent['type'];
