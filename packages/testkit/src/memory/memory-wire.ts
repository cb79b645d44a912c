import type { MemoryEvent } from './memory-event-log.js';
import type { MemoryConversation, MemoryMessage, MemoryStore, MemoryUser } from './memory-store.js';

/** How the memory backend writes its objects in JSON (timestamps as ISO strings, absent values as `null`). */
const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** A user in JSON. */
export const wireUser = ({ id, handle, displayName }: MemoryUser) => ({ id, handle, displayName });

/** A message in JSON. */
export function wireMessage(message: MemoryMessage, store: MemoryStore) {
  return {
    id: message.id,
    conversationId: message.conversationId,
    sender: wireUser(store.user(message.senderId)),
    text: message.text,
    attachments: message.attachments,
    replyToId: message.replyToId,
    sentAt: iso(message.sentAt),
    editedAt: message.editedAt === null ? null : iso(message.editedAt),
    deleted: message.deleted,
    reactions: message.reactions.map((r) => ({
      value: r.value,
      userId: r.userId,
      createdAt: iso(r.createdAt),
    })),
  };
}

/** A conversation in JSON, as `viewerId` sees it (muted, unread count). */
export function wireConversation(conversation: MemoryConversation, viewerId: string, store: MemoryStore) {
  const last = conversation.messages.at(-1);
  return {
    id: conversation.id,
    kind: conversation.kind,
    title: conversation.title,
    members: conversation.memberIds.map((id) => wireUser(store.user(id))),
    lastMessage: last ? wireMessage(last, store) : null,
    unreadCount: store.unreadCount(viewerId, conversation),
    muted: conversation.mutedBy.has(viewerId),
    updatedAt: iso(conversation.updatedAt),
  };
}

/** An event as `/v1/events` reports it to `viewerId`, with the message or conversation it concerns. */
export function wireEvent(event: MemoryEvent, viewerId: string, store: MemoryStore) {
  const conversation = store.peek(event.conversationId);
  const message = conversation?.messages.find((m) => m.id === event.messageId);
  const withMessage = event.kind === 'message_posted' || event.kind === 'message_edited';
  const withConversation = event.kind !== 'conversation_left' && event.kind.startsWith('conversation_');
  return {
    seq: event.seq,
    kind: event.kind,
    conversationId: event.conversationId,
    messageId: event.messageId ?? null,
    userId: event.userId ?? null,
    reaction: event.reaction ?? null,
    replyId: event.replyId ?? null,
    index: event.index ?? null,
    text: event.text ?? null,
    message: withMessage && message ? wireMessage(message, store) : null,
    conversation: withConversation && conversation ? wireConversation(conversation, viewerId, store) : null,
  };
}
