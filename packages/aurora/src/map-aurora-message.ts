import type { Message, Participant } from '@switchboard/core';
import type { AuroraStoredMessage } from './aurora-history.js';
import { auroraSystemParticipant } from './map-aurora-participant.js';

/** The two sides of one chat. */
export interface AuroraChatParties {
  conversationId: string;
  self: Participant;
  character: Participant;
}

/** Below this a timestamp cannot be epoch ms of this century: it is epoch seconds (until year 5138). */
const SECONDS_THRESHOLD = 100_000_000_000;

/**
 * Aurora's `timestamp` as a `Date`. We define it as epoch milliseconds (the emulator writes those);
 * since the API leaves the unit undocumented, values too small to be milliseconds are read as seconds.
 */
export function fromAuroraTimestamp(timestamp: number): Date {
  return new Date(timestamp < SECONDS_THRESHOLD ? timestamp * 1000 : timestamp);
}

/** A stored message in the model: `user` is us, `assistant` the character, `system` a system bot. */
export function mapAuroraMessage(stored: AuroraStoredMessage, parties: AuroraChatParties): Message {
  const sender =
    stored.role === 'user'
      ? parties.self
      : stored.role === 'assistant'
        ? parties.character
        : auroraSystemParticipant;
  return {
    id: stored.id,
    conversationId: parties.conversationId,
    provider: 'aurora',
    sender,
    text: stored.content,
    attachments: [],
    sentAt: fromAuroraTimestamp(stored.timestamp),
    reactions: [],
    raw: stored.raw,
  };
}
