import type { Capabilities } from './capabilities.js';
import type { ChatEvent } from './chat-event.js';
import type {
  BatchItem,
  Conversation,
  ConversationUpdate,
  Message,
  OutgoingMessage,
  Page,
  PageParams,
  Participant,
} from './model.js';

/** Options every adapter call may take. */
export interface CallOptions {
  /**
   * Aborts the call. The promise then rejects with the signal's own `reason` as it is — not wrapped
   * in a `SwitchboardError` (an `AbortError` `DOMException` for a plain `controller.abort()`); a
   * signal already aborted rejects before any request is sent. Anything
   * that is not an `AbortSignal` is an `InvalidRequestError`. A send aborted after its request was
   * written may still have been stored by the provider.
   */
  signal?: AbortSignal;
}

/**
 * Provider-specific options, keyed by provider name, e.g. `{ brevo: { automated: true } }`.
 * Each adapter reads its own key (validating it) and ignores the others, so an app can pass
 * options for several providers and still swap adapters freely.
 */
export type ProviderOptions = Record<string, Record<string, unknown>>;

/** Options of a send. */
export interface SendOptions extends CallOptions {
  providerOptions?: ProviderOptions;
}

/** A running realtime subscription. */
export interface Subscription {
  /** Stops the source and releases its timers/sockets. Idempotent. */
  close(): Promise<void>;
}

/** The sink an adapter's realtime source reports to. Errors are reported, not thrown. */
export type EventSink = (event: ChatEvent) => void;

/** Options for {@link ChatAdapter.subscribe}. */
export interface SubscribeOptions {
  signal?: AbortSignal;
  /** Called with each error the source recovers from (it keeps going: backs off, reconnects, resumes). */
  onError?: (error: unknown) => void;
}

/**
 * The answer to a message, streamed while it is generated (an AI assistant's reply).
 *
 * ```ts
 * const stream = await messenger.sendStreaming(conversationId, 'Tell me a story');
 * for await (const chunk of stream.chunks) process.stdout.write(chunk);
 * const reply = await stream.reply;
 * ```
 */
export interface StreamedReply {
  /**
   * The reply's text chunks as they arrive. Each iteration starts from the first chunk. Ends only
   * once `reply` resolved; throws `reply`'s error (after the chunks received) whenever `reply`
   * rejects, so a cut, truncated or unconfirmed reply is never taken for a complete one.
   */
  readonly chunks: AsyncIterable<string>;
  /** The whole reply once the stream ended cleanly; rejects with a `SwitchboardError` otherwise. */
  readonly reply: Promise<Message>;
  /** Your message as the provider stored it. */
  readonly userMessage: Promise<Message>;
}

/** What a webhook handler returns: the HTTP status to answer with, and the events the request carried. */
export interface WebhookResult {
  status: number;
  events: ChatEvent[];
}

/**
 * The adapter specification, version 1. An adapter is a plain object implementing this interface;
 * apps never call it directly but through `createMessenger(adapter)`, which validates input,
 * enforces the capability manifest and turns pages into async iterators.
 *
 * Rules an adapter must follow (the `@switchboard/testkit` contract suite checks them):
 * - every method the manifest declares is implemented and works; the others may be absent;
 * - every error thrown is a `SwitchboardError` (see the error table), with no secret inside;
 * - `listMessages` returns newest first, each message exactly once across pages;
 * - ids are the provider's own ids, as strings.
 */
export interface ChatAdapter {
  readonly specificationVersion: 'v1';
  /** Provider name: `'bluesky' | 'chats-api' | 'brevo' | 'aurora' | …`. */
  readonly provider: string;
  /** Runtime capability manifest; build it with `defineCapabilities`. */
  readonly capabilities: Capabilities;
  /** Logs in / verifies credentials. Returns who we are. */
  connect?(callOptions?: CallOptions): Promise<Participant>;
  listConversations?(params: PageParams, callOptions?: CallOptions): Promise<Page<Conversation>>;
  getConversation?(conversationId: string, callOptions?: CallOptions): Promise<Conversation>;
  /** Gets or creates a conversation with these participants (ids or handles; the adapter resolves handles). */
  openConversation?(
    params: { participantIds: string[]; title?: string },
    callOptions?: CallOptions,
  ): Promise<Conversation>;
  deleteConversation?(conversationId: string, callOptions?: CallOptions): Promise<void>;
  /** Mutes (`true`) or unmutes (`false`) a conversation. */
  muteConversation?(conversationId: string, muted: boolean, callOptions?: CallOptions): Promise<Conversation>;
  /** One page of history, newest first. */
  listMessages?(
    conversationId: string,
    params: PageParams,
    callOptions?: CallOptions,
  ): Promise<Page<Message>>;
  getMessage?(conversationId: string, messageId: string, callOptions?: CallOptions): Promise<Message>;
  sendMessage(conversationId: string, message: OutgoingMessage, callOptions?: SendOptions): Promise<Message>;
  /**
   * Sends a message and resolves as soon as the provider accepted it, with the answer as a stream
   * (capability `streamedReplies`). Its chunks also reach subscribers as `message.delta` events.
   */
  streamReply?(
    conversationId: string,
    message: OutgoingMessage,
    callOptions?: SendOptions,
  ): Promise<StreamedReply>;
  editMessage?(
    conversationId: string,
    messageId: string,
    message: OutgoingMessage,
    callOptions?: CallOptions,
  ): Promise<Message>;
  deleteMessage?(conversationId: string, messageId: string, callOptions?: CallOptions): Promise<void>;
  markRead?(conversationId: string, messageId?: string, callOptions?: CallOptions): Promise<void>;
  addReaction?(
    conversationId: string,
    messageId: string,
    value: string,
    callOptions?: CallOptions,
  ): Promise<void>;
  removeReaction?(
    conversationId: string,
    messageId: string,
    value: string,
    callOptions?: CallOptions,
  ): Promise<void>;
  /**
   * Adds participants (ids or handles; the adapter resolves handles) to a group conversation and
   * returns it updated (capability `addParticipants`).
   */
  addParticipants?(
    conversationId: string,
    participantIds: string[],
    callOptions?: CallOptions,
  ): Promise<Conversation>;
  /** Removes participants (ids or handles) from a group conversation (capability `removeParticipants`). */
  removeParticipants?(
    conversationId: string,
    participantIds: string[],
    callOptions?: CallOptions,
  ): Promise<Conversation>;
  /** Changes a conversation (its title) and returns it updated (capability `updateConversation`). */
  updateConversation?(
    conversationId: string,
    update: ConversationUpdate,
    callOptions?: CallOptions,
  ): Promise<Conversation>;
  /**
   * Accepts a conversation request (capability `conversationRequests`). Resolves `true` when the
   * status moved from `'request'` to `'accepted'`, `false` when it was already accepted.
   */
  acceptConversation?(conversationId: string, callOptions?: CallOptions): Promise<boolean>;
  /** One page of a conversation's participants (capability `listParticipants`). */
  listParticipants?(
    conversationId: string,
    params: PageParams,
    callOptions?: CallOptions,
  ): Promise<Page<Participant>>;
  /**
   * Sends up to `capabilities.maxBatchSize` messages in one provider call (capability `sendBatch`).
   * Resolves with the stored messages in item order. With `'all-or-nothing'` a rejection means no
   * item was stored (or, with an unknown outcome, maybe all of them); never a part.
   */
  sendMessageBatch?(items: BatchItem[], callOptions?: SendOptions): Promise<Message[]>;
  /** Starts the realtime source; events go to `sink` until the returned subscription is closed. */
  subscribe?(sink: EventSink, options?: SubscribeOptions): Promise<Subscription>;
  /** Verifies and parses one webhook delivery (webhook providers). Never throws for a bad request: answers 4xx. */
  handleWebhook?(request: Request): Promise<WebhookResult>;
  /** Releases sockets, timers and sessions. After it nothing keeps the process alive. */
  close?(): Promise<void>;
}
