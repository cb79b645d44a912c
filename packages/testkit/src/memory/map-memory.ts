import type { ChatEvent, Conversation, Message, Participant } from '@switchboard/core';
import type {
  MemoryWireConversation,
  MemoryWireEvent,
  MemoryWireMessage,
  MemoryWireUser,
} from './memory-schemas.js';

/** The provider name the memory adapter reports. */
export const MEMORY_PROVIDER = 'memory';

/** Maps a backend user; `selfId` is the id of the account we are logged in as. */
export function mapMemoryParticipant(user: MemoryWireUser, selfId: string): Participant {
  return {
    id: user.id,
    handle: user.handle,
    ...(user.displayName && { displayName: user.displayName }),
    kind: 'user',
    isSelf: user.id === selfId,
    raw: user,
  };
}

/** Maps a backend message; `isSelf` of its sender compares with `selfId`. */
export function mapMemoryMessage(message: MemoryWireMessage, selfId: string): Message {
  return {
    id: message.id,
    conversationId: message.conversationId,
    provider: MEMORY_PROVIDER,
    sender: mapMemoryParticipant(message.sender, selfId),
    text: message.text,
    attachments: message.attachments.map((a) => ({
      kind: a.kind,
      url: a.url,
      ...(a.name && { name: a.name }),
    })),
    sentAt: new Date(message.sentAt),
    ...(message.editedAt && { editedAt: new Date(message.editedAt) }),
    ...(message.deleted && { deleted: true }),
    ...(message.replyToId && { replyToId: message.replyToId }),
    reactions: message.reactions.map((r) => ({
      value: r.value,
      senderId: r.userId,
      createdAt: new Date(r.createdAt),
    })),
    raw: message,
  };
}

/** Maps a backend conversation (members become participants; `muted`/`unreadCount` are ours). */
export function mapMemoryConversation(conversation: MemoryWireConversation, selfId: string): Conversation {
  return {
    id: conversation.id,
    provider: MEMORY_PROVIDER,
    kind: conversation.kind,
    ...(conversation.title && { title: conversation.title }),
    participants: conversation.members.map((member) => mapMemoryParticipant(member, selfId)),
    ...(conversation.lastMessage && { lastMessage: mapMemoryMessage(conversation.lastMessage, selfId) }),
    unreadCount: conversation.unreadCount,
    muted: conversation.muted,
    updatedAt: new Date(conversation.updatedAt),
    raw: conversation,
  };
}

/** Maps one `/v1/events` entry; `undefined` for kinds this adapter does not know (newer backends). */
export function mapMemoryEvent(event: MemoryWireEvent, selfId: string): ChatEvent | undefined {
  const base = { provider: MEMORY_PROVIDER, conversationId: event.conversationId, raw: event };
  const conversation = event.conversation ? mapMemoryConversation(event.conversation, selfId) : undefined;
  const reaction = () => ({ value: event.reaction ?? '', senderId: event.userId ?? '' });
  switch (event.kind) {
    case 'message_posted':
      if (!event.message) return undefined;
      return {
        ...base,
        type: 'message.created',
        message: mapMemoryMessage(event.message, selfId),
        ...(event.replyId && { replyId: event.replyId }),
      };
    case 'reply_delta':
      if (!event.replyId || typeof event.index !== 'number' || typeof event.text !== 'string')
        return undefined;
      return {
        ...base,
        type: 'message.delta',
        replyId: event.replyId,
        index: event.index,
        delta: event.text,
      };
    case 'message_edited':
      return event.message
        ? { ...base, type: 'message.updated', message: mapMemoryMessage(event.message, selfId) }
        : undefined;
    case 'message_deleted':
      return event.messageId ? { ...base, type: 'message.deleted', messageId: event.messageId } : undefined;
    case 'conversation_started':
      return { ...base, type: 'conversation.created', ...(conversation && { conversation }) };
    case 'conversation_muted':
    case 'conversation_unmuted':
    case 'conversation_left': {
      const change =
        event.kind === 'conversation_left'
          ? 'left'
          : event.kind === 'conversation_muted'
            ? 'muted'
            : 'unmuted';
      return { ...base, type: 'conversation.updated', change, ...(conversation && { conversation }) };
    }
    case 'read':
      return {
        ...base,
        type: 'read',
        ...(event.messageId && { messageId: event.messageId }),
        ...(event.userId && { readerId: event.userId }),
      };
    case 'reaction_added':
    case 'reaction_removed':
      if (!event.messageId) return undefined;
      return {
        ...base,
        type: event.kind === 'reaction_added' ? 'reaction.added' : 'reaction.removed',
        messageId: event.messageId,
        reaction: reaction(),
      };
    default:
      return undefined;
  }
}
