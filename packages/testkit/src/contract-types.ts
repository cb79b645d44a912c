import type { ChatAdapter } from '@switchboard/core';
import type { FaultKit } from './faults/index.js';

/**
 * The other party in a contract test: someone who can start a conversation with us and write to us.
 * Emulators implement it in-process (no adapter involved), so a bug in the adapter cannot hide it.
 */
export interface ContractPeer {
  /**
   * An id or handle that `adapter.openConversation({ participantIds: [participant] })` accepts, for
   * adapters that can open conversations.
   */
  participant?: string;
  /**
   * The peer's display name as the provider stores it, when it has one: `field-display-names` checks
   * that the peer's `Participant.displayName` (conversation participants, message senders) is exactly it.
   */
  displayName?: string;
  /** Makes sure a conversation between us and the peer exists, and returns its id (as the adapter sees it). */
  startConversation(): Promise<string>;
  /** The peer writes `text` in the conversation. Resolves once the provider has accepted the message. */
  send(conversationId: string, text: string): Promise<void>;
  /**
   * Optional fast path to seed history: `count` messages alternating or from the peer, oldest first,
   * texts `${prefix}${i}` for i in 0..count-1. The suite falls back to `send` when absent.
   */
  seedHistory?(conversationId: string, count: number, prefix: string): Promise<void>;
  /**
   * Optional backend read: the messages of the conversation as the backend stores them, read without
   * the adapter (oldest first). Ids are the ones the adapter reports. A message deleted for everyone
   * is absent or has `deleted: true`. Lets the kit check edits, deletes, reactions, attachments and
   * ambiguous sends on providers whose adapter cannot read (write-only bots); cases that need it and
   * find no other way report "not checked".
   */
  readMessages?(conversationId: string): Promise<BackendMessage[]>;
  /**
   * Optional: the peer edits its own message `messageId` to `text`, where the provider lets people
   * edit. Lets `realtime-emits-peer-edit` check the peer's edit reaches `'event'` (else "not checked").
   */
  edit?(conversationId: string, messageId: string, text: string): Promise<void>;
  /**
   * Optional: the peer deletes its own message for everyone, where the provider has that. Lets
   * `realtime-emits-peer-delete` check the delete reaches `'event'` (else "not checked").
   */
  deleteMessage?(conversationId: string, messageId: string): Promise<void>;
  /**
   * Optional: the peer adds its reaction `value` (an emoji) on a message. Give it with `unreact` to
   * let `realtime-emits-peer-reaction` check the peer's reactions reach `'event'` (else "not checked").
   */
  react?(conversationId: string, messageId: string, value: string): Promise<void>;
  /** Optional: the peer removes its reaction `value` from a message (see `react`). */
  unreact?(conversationId: string, messageId: string, value: string): Promise<void>;
  /**
   * Optional: the peer reads the conversation up to `messageId`. Give it only where the provider
   * reports other people's reads to us (read receipts); lets `realtime-emits-peer-read` check them.
   */
  markRead?(conversationId: string, messageId: string): Promise<void>;
}

/** A message as the backend stores it, for {@link ContractPeer.readMessages}. */
export interface BackendMessage {
  /** The id the adapter reports for it. */
  id: string;
  text: string;
  /** Sent by the adapter's account. */
  fromSelf: boolean;
  /** Deleted for everyone but kept as a tombstone. */
  deleted?: boolean;
  /** Reactions on it; `fromSelf` for the adapter's account's own. */
  reactions?: Array<{ value: string; fromSelf: boolean }>;
  /** Its attachments, by kind, with the file name the backend stored (`undefined`: the backend keeps none). */
  attachments?: Array<{ kind: 'image' | 'file'; name?: string }>;
  /**
   * The id of the message it replies to: a string, `null` when it is not a reply, `undefined` when the
   * backend does not record replies. Lets `field-reply-round-trip` check the adapter sent `replyToId`.
   */
  replyToId?: string | null;
  /** Whether it was edited (`undefined`: not known). Lets `field-edited-at` demand `editedAt` after an edit. */
  edited?: boolean;
  /**
   * Whether the adapter's account has read it, where the backend records reads per message or with a
   * read marker (`undefined`: not known). Lets `mark-read` check `markRead` where no unreadCount is reported.
   */
  readBySelf?: boolean;
}

/** What `setup()` returns for each contract case: a fresh adapter on a fresh backend. */
export interface ContractContext {
  adapter: ChatAdapter;
  peer: ContractPeer;
  /**
   * More peers, each a different party with their own conversation with us (the peer of a direct
   * conversation can only start one). Cases that need several conversations use them; without them
   * such a case reports "not checked" when the adapter cannot open more conversations itself.
   */
  peers?: ContractPeer[];
  /**
   * A second adapter instance on the same backend, logged in as the same account (another device or
   * process). Cases use it as an observer: what one instance changed must show in the other
   * (`markRead`, deletes). The suite closes it after the case.
   */
  secondAdapter?(): ChatAdapter | Promise<ChatAdapter>;
  /**
   * Secrets the backend issued during the case (session access/refresh tokens), read after the case
   * ran; the secrets cases check none of them leaks either, together with every `Authorization`
   * credential the fault kit saw.
   */
  issuedSecrets?(): string[] | Promise<string[]>;
  /** Fault injection on the backend the adapter talks to (absent: the fault cases are skipped, with a reason). */
  faults?: FaultKit;
  /** The credentials given to the adapter; the suite checks none of them leaks into errors. */
  secrets?: string[];
  /**
   * Webhook adapters (`capabilities.realtime === 'webhook'`): the suite calls this once per case with
   * `messenger.handleWebhook`; deliver the backend's webhooks to it (e.g. from a local HTTP server you
   * start in `setup` and close in `teardown`). Absent: the webhook realtime cases are skipped, with a reason.
   */
  routeWebhooks?(handler: (request: Request) => Promise<Response>): void | Promise<void>;
  /** Closes the adapter's backend. The suite closes the adapter (`messenger.close()`) itself first. */
  teardown(): Promise<void>;
}

/** Options of `describeAdapterContract`. */
export interface AdapterContractOptions {
  /** Shown in the suite's title. */
  name: string;
  /** Called once per case. */
  setup(): Promise<ContractContext>;
  /** Case ids to skip, each with the reason shown in the report (a hand-written skip: avoid it). */
  skip?: Record<string, string>;
  /** How long a peer's message may take to reach the `'message'` event after `start()`, in ms (default 5_000). */
  realtimeTimeoutMs?: number;
  /** Deadline of each case under vitest, in ms, setup and teardown included (default 60_000). */
  caseTimeoutMs?: number;
}
