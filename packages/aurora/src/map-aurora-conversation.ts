import type { Conversation, Participant } from '@switchboard/core';
import type { AuroraChat } from './aurora-schemas.js';

/** A chat as a conversation: kind `'assistant'`, titled with the character's name, us and the character. */
export function mapAuroraConversation(
  chat: AuroraChat,
  self: Participant,
  character: Participant,
  updatedAt?: Date,
): Conversation {
  return {
    id: String(chat.chatId),
    provider: 'aurora',
    kind: 'assistant',
    ...(character.displayName === undefined ? {} : { title: character.displayName }),
    participants: [self, character],
    ...(updatedAt === undefined ? {} : { updatedAt }),
    raw: chat,
  };
}
