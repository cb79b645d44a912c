import { formatTimestamp } from './chats-api-clock.js';
import type { ChatRecord, MessageRecord, UserRecord } from './chats-api-store.js';

/** `UserPublic` of the OpenAPI document. */
export interface UserPublic {
  id: string;
  email: string;
  username: string;
  first_name: string | null;
  last_name: string | null;
  avatar: string | null;
  last_seen: string | null;
}

/** `UserSearchPublic`. */
export type UserSearchPublic = Omit<UserPublic, 'email' | 'last_seen'>;

/** `MessageSeenOut`. */
export interface MessageSeenOut {
  user_id: string;
  seen_at: string;
}

/** `MessageOut`: a message as REST and WebSocket frames carry it. */
export interface MessageOut {
  id: string;
  chat_id: string;
  from_user_id: string;
  text_content: string | null;
  image_content: string | null;
  created_at: string;
  seen_by: MessageSeenOut[];
}

/** `LastMessagePreview`. */
export type LastMessagePreview = Omit<MessageOut, 'chat_id' | 'seen_by'>;

/** `ChatDetail`. */
export interface ChatDetail {
  id: string;
  is_group: boolean;
  name: string | null;
  avatar: string | null;
  users: UserPublic[];
}

/** `ChatPreview`. */
export interface ChatPreview {
  id: string;
  name: string;
  avatar: string | null;
  is_group: boolean;
  last_message: LastMessagePreview | null;
}

/** `Page[T]`. */
export interface PageOf<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** `ChatWithMessagesPage`. */
export interface ChatWithMessagesPage {
  chat: ChatDetail;
  messages: MessageOut[];
  total: number;
  limit: number;
  offset: number;
}

/** Serialises a user as `UserPublic`. */
export function toUserPublic(user: UserRecord): UserPublic {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    avatar: user.avatar,
    last_seen: user.lastSeen === null ? null : formatTimestamp(user.lastSeen),
  };
}

/** Serialises a user as `UserSearchPublic`. */
export function toUserSearchPublic(user: UserRecord): UserSearchPublic {
  return {
    id: user.id,
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    avatar: user.avatar,
  };
}

/** Serialises a message as `MessageOut`. */
export function toMessageOut(message: MessageRecord): MessageOut {
  return {
    id: message.id,
    chat_id: message.chatId,
    from_user_id: message.fromUserId,
    text_content: message.text,
    image_content: message.image,
    created_at: formatTimestamp(message.createdAt),
    seen_by: message.seenBy.map((s) => ({ user_id: s.userId, seen_at: formatTimestamp(s.seenAt) })),
  };
}

function toLastMessagePreview(message: MessageRecord): LastMessagePreview {
  return {
    id: message.id,
    from_user_id: message.fromUserId,
    text_content: message.text,
    image_content: message.image,
    created_at: formatTimestamp(message.createdAt),
  };
}

/**
 * The server's `_other_user_name`: a direct chat is shown as the other member's "first last",
 * falling back to the username, or "Unknown" with no other member.
 */
function directChatLook(members: UserRecord[], viewerId: string): { name: string; avatar: string | null } {
  const other = members.find((user) => user.id !== viewerId);
  if (!other) return { name: 'Unknown', avatar: null };
  const fullName = [other.firstName, other.lastName].filter(Boolean).join(' ');
  return { name: fullName || other.username, avatar: other.avatar };
}

/**
 * Serialises a chat as `GET /chats/{id}` does: direct chats take the other member's name and avatar.
 * (`POST /chats` does not compute them: it serialises the stored `name`/`avatar` directly.)
 */
export function toChatDetail(chat: ChatRecord, members: UserRecord[], viewerId: string): ChatDetail {
  const look = chat.isGroup ? { name: chat.name, avatar: chat.avatar } : directChatLook(members, viewerId);
  return { id: chat.id, is_group: chat.isGroup, ...look, users: members.map(toUserPublic) };
}

/** Serialises a chat as one item of `GET /chats` (an unnamed group shows as `""`). */
export function toChatPreview(chat: ChatRecord, members: UserRecord[], viewerId: string): ChatPreview {
  const look = chat.isGroup
    ? { name: chat.name ?? '', avatar: chat.avatar }
    : directChatLook(members, viewerId);
  const last = chat.messages.at(-1);
  return {
    id: chat.id,
    ...look,
    is_group: chat.isGroup,
    last_message: last ? toLastMessagePreview(last) : null,
  };
}
