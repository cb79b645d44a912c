/**
 * The Switchboard domain model: plain data, JSON-serialisable except `Date`.
 * Every object keeps the provider's own payload in `raw`, so nothing the provider said is lost.
 * IDs are the provider's own ids, as strings (integer ids become strings).
 * @module
 */

/** Who a participant is to the provider. */
export type ParticipantKind = 'user' | 'agent' | 'visitor' | 'bot';

/** Someone taking part in a conversation. */
export interface Participant {
  /** The provider's id for this participant (a DID on Bluesky, a user id elsewhere). */
  id: string;
  /** A human-readable handle or username, when the provider has one. */
  handle?: string;
  displayName?: string;
  avatarUrl?: string;
  kind: ParticipantKind;
  /** `true` for the account the adapter is logged in as. */
  isSelf: boolean;
  raw?: unknown;
}

/** Something attached to a message. */
export interface Attachment {
  kind: 'image' | 'file' | 'link' | 'embed';
  url?: string;
  name?: string;
  mimeType?: string;
  /** Size in bytes. */
  sizeBytes?: number;
  /** Width in pixels. */
  width?: number;
  /** Height in pixels. */
  height?: number;
  raw?: unknown;
}

/** One reaction (usually an emoji) left on a message by one participant. */
export interface Reaction {
  value: string;
  senderId: string;
  createdAt?: Date;
}

/** A message in a conversation. */
export interface Message {
  id: string;
  conversationId: string;
  /** The adapter's `provider` name, e.g. `'bluesky'`. */
  provider: string;
  sender: Participant;
  text: string;
  attachments: Attachment[];
  sentAt: Date;
  editedAt?: Date;
  /** `true` when the provider reports the message as deleted (its text is then usually empty). */
  deleted?: boolean;
  replyToId?: string;
  reactions: Reaction[];
  raw: unknown;
}

/** What a conversation is: a 1-1 chat, a group, a support thread with a visitor, or a chat with an AI. */
export type ConversationKind = 'direct' | 'group' | 'support' | 'assistant';

/** A conversation (a "convo", "chat" or "thread" in provider terms). */
export interface Conversation {
  id: string;
  provider: string;
  kind: ConversationKind;
  title?: string;
  participants: Participant[];
  lastMessage?: Message;
  unreadCount?: number;
  muted?: boolean;
  updatedAt?: Date;
  raw: unknown;
}

/** A message to send. Text length limits are the adapter's `capabilities.maxTextLength`. */
export interface OutgoingMessage {
  text: string;
  attachments?: OutgoingAttachment[];
  replyToId?: string;
}

/** An attachment to send, by URL. Which kinds an adapter accepts is `capabilities.attachments`. */
export interface OutgoingAttachment {
  kind: 'image' | 'file';
  url: string;
  name?: string;
}

/**
 * One page of results. `nextCursor` is opaque (also where the provider pages by offset: the
 * offset is encoded in the cursor); pass it back to get the next page. No `nextCursor` means the end.
 */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Paging parameters: an opaque cursor from a previous page, and a page size. */
export interface PageParams {
  cursor?: string;
  /** Page size; allowed range is the adapter's `capabilities.pageSize`. */
  limit?: number;
}
