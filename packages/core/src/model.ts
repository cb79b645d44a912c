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
  /** The participants the text mentions (e.g. Bluesky mention facets), in text order. Absent: none. */
  mentions?: Mention[];
  raw: unknown;
}

/**
 * A participant mentioned in a message's text (`@alice.example.com`). `start`/`end` index the
 * message's `text` as a JS string (UTF-16 code units, end exclusive), so
 * `text.slice(mention.start, mention.end)` is the mention as written.
 */
export interface Mention {
  /** The mentioned participant's id (a DID on Bluesky). */
  participantId: string;
  /** The handle as written in the text, without the leading `@`, when the text shows one. */
  handle?: string;
  /** First UTF-16 code unit of the mention in `text`. */
  start: number;
  /** UTF-16 code unit after the mention's end in `text`. */
  end: number;
}

/**
 * Where we stand in a conversation: `'request'` until we accept it (someone else started it and we
 * have not answered or accepted), then `'accepted'`. Capability `conversationRequests`.
 */
export type ConversationStatus = 'request' | 'accepted';

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
  /** Our status in the conversation, where the provider has requests (capability `conversationRequests`). */
  status?: ConversationStatus;
  /** How many participants the conversation has, when the provider says (groups may list only some in `participants`). */
  participantCount?: number;
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

/** Changes to a conversation ({@link ConversationUpdate} for `updateConversation`). */
export interface ConversationUpdate {
  /** The new title (a group's name). Its length limit is the provider's (Bluesky: 50 graphemes). */
  title?: string;
}

/** One message of a batch send: where it goes and what it says. */
export interface BatchItem {
  conversationId: string;
  message: OutgoingMessage;
}

/**
 * The outcome of one item of `messenger.sendBatch`: sent (with the stored message), or failed with
 * the error of the provider call that carried it (a `SwitchboardError`, or the caller's abort reason).
 */
export type SendBatchResult =
  | { status: 'sent'; conversationId: string; message: Message }
  | { status: 'failed'; conversationId: string; error: unknown };
