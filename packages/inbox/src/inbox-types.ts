import type {
  CallOptions,
  Capabilities,
  CapabilityName,
  ChatEvent,
  Conversation,
  IterateOptions,
  Message,
  Messenger,
  OpenConversationParams,
  OutgoingMessage,
  Page,
  PageParams,
  SendOptions,
  StreamedReply,
} from '@switchboard/core';
import type { EventEmitter } from 'eventemitter3';
import type { ConversationRef, MessageRef } from './inbox-address.js';

/**
 * Where an account stands:
 * - `'stopped'`: realtime is not running (before `start()`, after `stop()`/`close()`);
 * - `'connected'`: started, and the last thing heard from the provider was a success;
 * - `'degraded'`: started, and the last call, realtime source or health check failed with an
 *   outage-like error (`network`, `timeout`, `provider_unavailable`, `rate_limited`,
 *   `authentication`, `permission_denied`, `invalid_response`). The inbox keeps going; the account
 *   returns to `'connected'` on its next success (a call, an event, or a health check).
 */
export type AccountState = 'connected' | 'degraded' | 'stopped';

/** The health of one account, from `inbox.health(account)` and the `'health'` event. */
export interface AccountHealth {
  /** The account key. */
  account: string;
  /** The account's `messenger.provider`. */
  provider: string;
  state: AccountState;
  /** The last outage-like error (kept after recovery, for display; cleared by nothing). */
  lastError?: unknown;
  /** When `state` last changed. */
  since: Date;
}

/** Unread counts: per account, and their total. */
export interface UnreadCounts {
  total: number;
  /** Every account key, 0 when nothing is known to be unread. */
  byAccount: Record<string, number>;
}

/** One conversation of the merged list, with its account. */
export interface InboxConversation {
  /** The account key. */
  account: string;
  /** The account's `messenger.provider`. */
  provider: string;
  /** Typed reference; pass it (or `id`) back to `messages`, `send`, `markRead`… */
  ref: ConversationRef;
  /** The qualified string form of `ref` (see `formatConversationRef`). */
  id: string;
  conversation: Conversation;
  /** The conversation's latest activity: `updatedAt`, else its last message's `sentAt`, if known. */
  activityAt?: Date;
  /** Unread messages as the inbox knows them (the provider's count, kept current from events). */
  unreadCount: number;
}

/** One message with its account. */
export interface InboxMessage {
  /** The account key. */
  account: string;
  ref: MessageRef;
  /** The qualified string form of `ref` (see `formatMessageRef`). */
  id: string;
  message: Message;
}

/** A realtime event with its account. */
export interface InboxChatEvent {
  account: string;
  event: ChatEvent;
}

/** An error with its account: a realtime source's (it keeps going), a health check's, or a merged list's. */
export interface InboxError {
  account: string;
  error: unknown;
}

/** An account whose conversations are missing from (the rest of) a merged list, and why. */
export interface MissingAccount {
  account: string;
  /** The error the account's list failed with (`UnsupportedOperationError` when it cannot list). */
  error: unknown;
  /** How many of its conversations were merged before it failed. */
  afterItems: number;
}

/** A change of one conversation's unread count. */
export interface UnreadChange {
  ref: ConversationRef;
  /** The conversation's new unread count. */
  count: number;
  /** All counts after the change. */
  counts: UnreadCounts;
}

/** Events an {@link Inbox} emits. */
export interface InboxEvents {
  /** A new message in any account (every `message.created`), from someone else or from us. */
  message: (message: InboxMessage) => void;
  /** Every realtime event of every account. */
  event: (event: InboxChatEvent) => void;
  /** An error of one account; the inbox and the other accounts keep going. */
  error: (error: InboxError) => void;
  /** An account's health changed state. */
  health: (health: AccountHealth) => void;
  /** A conversation's unread count changed. */
  unread: (change: UnreadChange) => void;
}

/** Options of `inbox.conversations()`. */
export interface InboxConversationsOptions extends CallOptions {
  /** Only these account keys (default: every account). */
  accounts?: string[];
  /** Only conversations with unread messages. */
  unreadOnly?: boolean;
  /** Page size asked of each account, clamped to its `capabilities.pageSize` (default: each provider's own). */
  limit?: number;
  /** Aborts the iteration: it throws the signal's reason (no account is reported missing for it). */
  signal?: AbortSignal;
}

/**
 * The merged conversation list: iterate it (each iteration starts a fresh merge); after or during an
 * iteration, `missing` names the accounts whose lists failed and why.
 */
export interface InboxConversationList extends AsyncIterable<InboxConversation> {
  /** Accounts missing from the current (or last) iteration, in the order they failed. */
  readonly missing: readonly MissingAccount[];
}

/** Options of `createInbox`. */
export interface InboxOptions {
  /** Account key → Messenger. Keys are any non-empty strings; they name the account in every ref and event. */
  accounts: Record<string, Messenger>;
  /**
   * While started, how often (ms) every account is health-checked with `probe` (default 30 000;
   * `false`: never — health then changes only with calls and realtime).
   */
  healthCheckIntervalMs?: number | false;
  /**
   * The health check of one account. Default: one `listConversations` page of the smallest size
   * the provider accepts, or `connect()` for providers that cannot list. Rejecting means "degraded".
   */
  probe?: (messenger: Messenger, account: string) => Promise<unknown>;
}

/**
 * Several accounts, on one or several providers, as one inbox. Methods taking a `ref` accept a
 * typed {@link ConversationRef} or its qualified string; they delegate to the account's
 * `Messenger`, which validates input and throws `UnsupportedOperationError` (with no request) for
 * what the account's manifest does not declare. An unknown account key is an `InvalidRequestError`.
 */
export interface Inbox extends EventEmitter<InboxEvents> {
  /** The account keys, in the order given. */
  readonly accounts: readonly string[];
  /** The account's Messenger. @throws {InvalidRequestError} for an unknown account. */
  messenger(account: string): Messenger;
  /** The account's capability manifest. @throws {InvalidRequestError} for an unknown account. */
  capabilities(account: string): Capabilities;
  /** `true` when the account's manifest declares the capability. @throws {InvalidRequestError} for an unknown account. */
  supports(account: string, capability: CapabilityName): boolean;
  /**
   * Every account's conversations, merged lazily by latest activity (memory O(accounts × page)).
   * A failing account never breaks the list: it is left out from the failure on and named in `missing`.
   * @throws {InvalidRequestError} for an unknown account in `options.accounts`.
   */
  conversations(options?: InboxConversationsOptions): InboxConversationList;
  /** A conversation's messages, newest first, page by page (the account's `listMessages`). */
  messages(ref: ConversationRef | string, options?: IterateOptions): AsyncIterable<InboxMessage>;
  /** One page of a conversation's history, newest first, for apps that page themselves. */
  listMessages(
    ref: ConversationRef | string,
    params?: PageParams,
    options?: CallOptions,
  ): Promise<Page<InboxMessage>>;
  /** One conversation (the account's `getConversation`). */
  getConversation(ref: ConversationRef | string, options?: CallOptions): Promise<InboxConversation>;
  /** Gets or creates a conversation in one account. */
  openConversation(
    account: string,
    params: OpenConversationParams,
    options?: CallOptions,
  ): Promise<InboxConversation>;
  /** Sends a message (the account's `send`; text checked against its `maxTextLength` first). */
  send(
    ref: ConversationRef | string,
    message: string | OutgoingMessage,
    options?: SendOptions,
  ): Promise<InboxMessage>;
  /** Sends and streams the answer (capability `streamedReplies`); chunks also arrive as `message.delta` events. */
  sendStreaming(
    ref: ConversationRef | string,
    message: string | OutgoingMessage,
    options?: SendOptions,
  ): Promise<StreamedReply>;
  /** Edits one of our messages (capability `editMessage`). */
  edit(
    ref: ConversationRef | string,
    messageId: string,
    message: string | OutgoingMessage,
    options?: CallOptions,
  ): Promise<InboxMessage>;
  /** Deletes a message (capability `deleteMessage`). */
  deleteMessage(ref: ConversationRef | string, messageId: string, options?: CallOptions): Promise<void>;
  /** Marks the conversation read (up to `messageId`); its unread count becomes 0 (capability `markRead`). */
  markRead(ref: ConversationRef | string, messageId?: string, options?: CallOptions): Promise<void>;
  /** Adds a reaction (capability `reactions`). */
  react(
    ref: ConversationRef | string,
    messageId: string,
    value: string,
    options?: CallOptions,
  ): Promise<void>;
  /** Removes a reaction (capability `reactions`). */
  unreact(
    ref: ConversationRef | string,
    messageId: string,
    value: string,
    options?: CallOptions,
  ): Promise<void>;
  /** Hands a webhook delivery to one account (webhook providers, e.g. Brevo). */
  handleWebhook(account: string, request: Request): Promise<Response>;
  /** Unread counts per account and in total: the providers' counts as listed, kept current from events. */
  unread(): UnreadCounts;
  /** One account's health. @throws {InvalidRequestError} for an unknown account. */
  health(account: string): AccountHealth;
  /** Every account's health, in account order. */
  healthAll(): AccountHealth[];
  /**
   * Starts every account: `connect()`, then realtime where declared. Never rejects for an account's
   * failure: that account is `'degraded'` (and its realtime is started again when it recovers).
   */
  start(): Promise<void>;
  /** Stops every account's realtime and the health checks. Idempotent. */
  stop(): Promise<void>;
  /** Stops, then closes every Messenger. Idempotent. */
  close(): Promise<void>;
}
