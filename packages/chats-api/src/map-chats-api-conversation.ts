import type { Conversation, Message, Participant } from '@switchboard/core';
import type { ChatDetail, ChatPreview } from './chats-api-schemas.js';
import { mapChatsApiMessage } from './map-chats-api-message.js';
import { displayNameOf, mapChatsApiParticipant } from './map-chats-api-participant.js';

/** The chat's users as participants, by id. */
export function participantsOf(chat: ChatDetail, selfId: string): Map<string, Participant> {
  return new Map(chat.users.map((user) => [user.id, mapChatsApiParticipant(user, selfId)]));
}

/**
 * Maps a `ChatDetail` (`GET /chats/{id}`, `POST /chats`). The title is the group's name, or for a
 * direct chat the other member's name (as the server shows it), falling back to their username.
 */
export function mapChatsApiConversation(
  chat: ChatDetail,
  selfId: string,
  lastMessage?: Message,
): Conversation {
  const participants = [...participantsOf(chat, selfId).values()];
  const other = chat.users.find((user) => user.id !== selfId);
  const title = chat.is_group
    ? chat.name || undefined
    : chat.name || (other && (displayNameOf(other) ?? other.username));
  const conversation: Conversation = {
    id: chat.id,
    provider: 'chats-api',
    kind: chat.is_group ? 'group' : 'direct',
    participants,
    raw: chat,
  };
  if (title) conversation.title = title;
  if (lastMessage) {
    conversation.lastMessage = lastMessage;
    conversation.updatedAt = lastMessage.sentAt;
  }
  return conversation;
}

/**
 * Maps one item of `GET /chats`. A preview does not list the chat's users, so `participants` is
 * empty (`getConversation` has them); the title is what the server shows.
 */
export function mapChatsApiConversationPreview(chat: ChatPreview, selfId: string): Conversation {
  const conversation: Conversation = {
    id: chat.id,
    provider: 'chats-api',
    kind: chat.is_group ? 'group' : 'direct',
    participants: [],
    raw: chat,
  };
  if (chat.name) conversation.title = chat.name;
  if (chat.last_message) {
    conversation.lastMessage = mapChatsApiMessage({ ...chat.last_message, chat_id: chat.id }, selfId);
    conversation.updatedAt = conversation.lastMessage.sentAt;
  }
  return conversation;
}
