import type { Attachment, Message, Participant } from '@switchboard/core';
import type { LastMessagePreview, MessageOut } from './chats-api-schemas.js';
import { participantById } from './map-chats-api-participant.js';

/**
 * Maps a `MessageOut` (or a chat preview's `last_message`, with its chat id) to a `Message`:
 * `image_content` becomes one image attachment; the sender comes from `participants` when the same
 * response listed the chat's users, else it is known by id only.
 */
export function mapChatsApiMessage(
  message: MessageOut | (LastMessagePreview & { chat_id: string }),
  selfId: string,
  participants?: ReadonlyMap<string, Participant>,
): Message {
  const attachments: Attachment[] = message.image_content
    ? [{ kind: 'image', url: message.image_content }]
    : [];
  return {
    id: message.id,
    conversationId: message.chat_id,
    provider: 'chats-api',
    sender: participants?.get(message.from_user_id) ?? participantById(message.from_user_id, selfId),
    text: message.text_content ?? '',
    attachments,
    sentAt: new Date(message.created_at),
    reactions: [],
    raw: message,
  };
}
