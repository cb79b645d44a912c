import type { Attachment, Message, Participant } from '@switchboard/core';
import type { BrevoFile, BrevoMessage } from './brevo-schemas.js';

/** Who "we" are, to tell our own messages apart. */
export interface BrevoSelf {
  /** The `receivedFrom` marker we send with every agent message. */
  receivedFrom: string;
  /** Our agent id (configured, or learned from the first send when identified by email). */
  agentId: string | undefined;
  /** Our agent's name, when configured by `{ email, name }` (compared while the id is unknown). */
  agentName?: string | undefined;
}

/**
 * `true` when an agent message is by our agent: its `agentId` is ours; or, while one of the two ids
 * is unknown, it carries our `receivedFrom` marker (and our name, when we know it).
 */
export function isOwnAgent(message: BrevoMessage, self: BrevoSelf): boolean {
  if (message.type !== 'agent') return false;
  if (message.agentId != null && self.agentId !== undefined) return message.agentId === self.agentId;
  if (message.receivedFrom == null || message.receivedFrom !== self.receivedFrom) return false;
  return self.agentName === undefined || message.agentName == null || message.agentName === self.agentName;
}

/**
 * `true` for the webhook echo of a message this integration sent: it carries our `receivedFrom`
 * marker **and** is by our agent. A second integration on the same Brevo account with the same
 * marker but another agent is not taken for us (its messages are reported).
 */
export function isOwnEcho(message: BrevoMessage, self: BrevoSelf): boolean {
  return (
    message.receivedFrom != null && message.receivedFrom === self.receivedFrom && isOwnAgent(message, self)
  );
}

/**
 * A message as the adapter records it in the `StateStore`: JSON-safe (times in epoch ms), already
 * mapped to the Switchboard model, with the Brevo payload in `raw`.
 */
export interface StoredMessage {
  id: string;
  /** The conversation id: Brevo's `visitorId`. */
  visitorId: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of our last edit. */
  editedAt?: number;
  /** Sent through `/conversations/pushedMessages` (edited and deleted there too). */
  pushed: boolean;
  sender: Participant;
  text: string;
  attachments: Attachment[];
  raw: unknown;
}

const first = (...values: Array<string | null | undefined>) => values.find((value) => value) ?? undefined;

/** Maps one file, whatever its shape (REST `filename/url`, webhook `name/link`, `attachments[]`). */
export function mapBrevoFile(file: BrevoFile): Attachment {
  const attachment: Attachment = { kind: file.isImage ? 'image' : 'file', raw: file };
  const url = first(file.url, file.link);
  const name = first(file.filename, file.name, file.fileName);
  if (url) attachment.url = url;
  if (name) attachment.name = name;
  if (file.mimeType) attachment.mimeType = file.mimeType;
  if (typeof file.size === 'number') attachment.sizeBytes = file.size;
  if (typeof file.imageInfo?.width === 'number') attachment.width = file.imageInfo.width;
  if (typeof file.imageInfo?.height === 'number') attachment.height = file.imageInfo.height;
  return attachment;
}

/** The sender of a Brevo message: the visitor, or an agent (a bot for AI-bot messages). */
export function mapBrevoSender(message: BrevoMessage, self: BrevoSelf, visitor: Participant): Participant {
  if (message.type === 'visitor') return visitor;
  const isSelf = isOwnAgent(message, self);
  const sender: Participant = {
    id: first(message.agentId, message.agentName) ?? 'agent',
    kind: message.isBot ? 'bot' : 'agent',
    isSelf,
  };
  if (message.agentName) sender.displayName = message.agentName;
  if (message.agentUserpic) sender.avatarUrl = message.agentUserpic;
  return sender;
}

/** Maps a Brevo message (REST or webhook) to the record the adapter stores. */
export function toStoredMessage(
  message: BrevoMessage,
  context: { visitorId: string; visitor: Participant; self: BrevoSelf; pushed?: boolean },
): StoredMessage {
  const files = [...(message.file ? [message.file] : []), ...(message.attachments ?? [])];
  return {
    id: message.id,
    visitorId: context.visitorId,
    createdAt: message.createdAt,
    pushed: context.pushed ?? message.isPushed === true,
    sender: mapBrevoSender(message, context.self, context.visitor),
    text: message.text ?? '',
    attachments: files.map(mapBrevoFile),
    raw: message,
  };
}

/** Turns a stored record into a `Message` (epoch ms back to `Date`). */
export function mapBrevoMessage(stored: StoredMessage): Message {
  const message: Message = {
    id: stored.id,
    conversationId: stored.visitorId,
    provider: 'brevo',
    sender: stored.sender,
    text: stored.text,
    attachments: stored.attachments,
    sentAt: new Date(stored.createdAt),
    reactions: [],
    raw: stored.raw,
  };
  if (stored.editedAt !== undefined) message.editedAt = new Date(stored.editedAt);
  return message;
}

/** The visitor as a participant (its id is the conversation id). */
export function visitorParticipant(visitorId: string, displayName?: string | null): Participant {
  return displayName
    ? { id: visitorId, kind: 'visitor', displayName, isSelf: false }
    : { id: visitorId, kind: 'visitor', isSelf: false };
}
