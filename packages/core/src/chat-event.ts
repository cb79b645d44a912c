import type { Conversation, Message, Reaction } from './model.js';

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
/** A conversation changed: muted, unmuted, accepted, left, renamed… */
export interface ConversationUpdatedEvent extends EventBase {
  type: 'conversation.updated';
  change: 'muted' | 'unmuted' | 'accepted' | 'left' | 'closed' | 'other';
  conversation?: Conversation;
}
/** Someone read the conversation up to `messageId`. */
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
  | ReadEvent
  | ReactionAddedEvent
  | ReactionRemovedEvent
  | MessageDeltaEvent;

/** The `type` of any {@link ChatEvent}. */
export type ChatEventType = ChatEvent['type'];
