import { EventEmitter } from 'eventemitter3';
import { type Capabilities, type CapabilityName, capabilitiesSchema, hasCapability } from './capabilities.js';
import type { CallOptions, ChatAdapter, SendOptions, StreamedReply, Subscription } from './chat-adapter.js';
import type { ChatEvent } from './chat-event.js';
import { InvalidRequestError, InvalidResponseError, UnsupportedOperationError } from './errors.js';
import type { Conversation, Message, OutgoingMessage, Page, PageParams, Participant } from './model.js';
import { assertId, assertPageParams, assertReaction, normalizeOutgoing } from './validation.js';

/** Events a {@link Messenger} emits. */
export interface MessengerEvents {
  /** A new message, from someone else or from us (every `message.created` event). */
  message: (message: Message) => void;
  /** Every realtime event. */
  event: (event: ChatEvent) => void;
  /** An error the realtime source recovered from (it keeps going), or one thrown by a listener. */
  error: (error: unknown) => void;
}

/** Options of {@link createMessenger}. Reserved for future use. */
export type MessengerOptions = Record<string, never>;

/** Paging options of the async iterators. */
export interface IterateOptions extends CallOptions {
  /**
   * Page size requested from the provider. Default: the provider's maximum
   * (`capabilities.pageSize.max`, e.g. Bluesky 100), since an iterator is for walking and fewer,
   * larger pages walk faster. Pass a smaller `limit` to fetch less per request (a UI showing the
   * first screenful).
   */
  limit?: number;
}

/** Parameters of {@link Messenger.openConversation}. */
export interface OpenConversationParams {
  /** Other participants, by id or handle (the adapter resolves handles). Not including yourself. */
  participants: string[];
  title?: string;
}

/**
 * The app-facing API over one adapter. Every method validates its input before any request,
 * throws `UnsupportedOperationError` (without touching the network) for what the adapter's
 * capability manifest does not declare, and rejects only with `SwitchboardError`s (or the abort
 * reason, when the caller aborts).
 */
export interface Messenger extends EventEmitter<MessengerEvents> {
  readonly provider: string;
  readonly capabilities: Capabilities;
  /** `true` when the adapter declares the capability. */
  supports(capability: CapabilityName): boolean;
  /** Logs in / verifies credentials and returns who we are (`undefined` when the adapter has no such step). */
  connect(options?: CallOptions): Promise<Participant | undefined>;
  /**
   * Every conversation, page by page (memory O(page size)). Errors surface while iterating.
   * Without `limit` each page is the provider's maximum (`capabilities.pageSize.max`).
   */
  conversations(options?: IterateOptions): AsyncIterable<Conversation>;
  /**
   * Every message of a conversation, newest first, page by page (memory O(page size)).
   * Without `limit` each page is the provider's maximum (`capabilities.pageSize.max`).
   */
  messages(conversationId: string, options?: IterateOptions): AsyncIterable<Message>;
  /** One page of conversations, for apps that page themselves. */
  listConversations(params?: PageParams, options?: CallOptions): Promise<Page<Conversation>>;
  /** One page of history, newest first. */
  listMessages(conversationId: string, params?: PageParams, options?: CallOptions): Promise<Page<Message>>;
  getConversation(conversationId: string, options?: CallOptions): Promise<Conversation>;
  getMessage(conversationId: string, messageId: string, options?: CallOptions): Promise<Message>;
  /** Gets or creates a conversation with these participants. */
  openConversation(params: OpenConversationParams, options?: CallOptions): Promise<Conversation>;
  deleteConversation(conversationId: string, options?: CallOptions): Promise<void>;
  muteConversation(conversationId: string, options?: CallOptions): Promise<Conversation>;
  unmuteConversation(conversationId: string, options?: CallOptions): Promise<Conversation>;
  /** Sends a message. Text length is checked against `capabilities.maxTextLength` before sending. */
  send(conversationId: string, message: string | OutgoingMessage, options?: SendOptions): Promise<Message>;
  /**
   * Sends a message and resolves once the provider accepted it, with the answer streaming in
   * (capability `streamedReplies`, e.g. an AI assistant). Validated like `send`.
   */
  sendStreaming(
    conversationId: string,
    message: string | OutgoingMessage,
    options?: SendOptions,
  ): Promise<StreamedReply>;
  edit(
    conversationId: string,
    messageId: string,
    message: string | OutgoingMessage,
    options?: CallOptions,
  ): Promise<Message>;
  deleteMessage(conversationId: string, messageId: string, options?: CallOptions): Promise<void>;
  /** Marks the conversation read (up to `messageId` when given). */
  markRead(conversationId: string, messageId?: string, options?: CallOptions): Promise<void>;
  react(conversationId: string, messageId: string, value: string, options?: CallOptions): Promise<void>;
  unreact(conversationId: string, messageId: string, value: string, options?: CallOptions): Promise<void>;
  /** Starts the adapter's realtime source (polling, WebSocket, webhooks, streams). Idempotent. */
  start(): Promise<void>;
  /** Stops the realtime source. Idempotent. */
  stop(): Promise<void>;
  /**
   * Hands one webhook delivery to the adapter (webhook providers) and returns the HTTP response to
   * answer with. Its events reach `'event'`/`'message'` listeners while the messenger is started.
   */
  handleWebhook(request: Request): Promise<Response>;
  /** Stops realtime and releases the adapter's sockets, timers and sessions. */
  close(): Promise<void>;
}

type AdapterMethod = Exclude<keyof ChatAdapter, 'specificationVersion' | 'provider' | 'capabilities'>;

/**
 * Creates a {@link Messenger} over an adapter.
 * @throws {InvalidRequestError} when the adapter's capability manifest is invalid or its spec version unknown.
 */
export function createMessenger(adapter: ChatAdapter, _options: MessengerOptions = {}): Messenger {
  if (adapter.specificationVersion !== 'v1') {
    throw new InvalidRequestError(
      `Adapter '${adapter.provider}' implements spec ${String(adapter.specificationVersion)}; this Messenger needs 'v1'.`,
    );
  }
  const parsed = capabilitiesSchema.safeParse(adapter.capabilities);
  if (!parsed.success) {
    throw new InvalidRequestError(`Adapter '${adapter.provider}' declares an invalid capability manifest.`, {
      provider: adapter.provider,
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  const capabilities = parsed.data;
  const emitter = new EventEmitter<MessengerEvents>();
  let subscription: Promise<Subscription> | undefined;
  let subscriptionAbort: AbortController | undefined;

  /** Returns the adapter method, or throws when the manifest (or the adapter) lacks it. */
  const require = <M extends AdapterMethod>(
    capability: CapabilityName,
    method: M,
  ): NonNullable<ChatAdapter[M]> => {
    const fn = adapter[method];
    if (!hasCapability(capabilities, capability) || typeof fn !== 'function') {
      const why = hasCapability(capabilities, capability)
        ? `declares '${capability}' but does not implement ${method}()`
        : `does not support '${capability}'`;
      throw new UnsupportedOperationError(`The ${adapter.provider} adapter ${why}.`, {
        provider: adapter.provider,
      });
    }
    return (fn as (...args: unknown[]) => unknown).bind(adapter) as NonNullable<ChatAdapter[M]>;
  };

  const safeEmit = <E extends keyof MessengerEvents>(event: E, ...args: Parameters<MessengerEvents[E]>) => {
    try {
      (emitter.emit as (event: E, ...args: unknown[]) => boolean)(event, ...args);
    } catch (error) {
      if (event !== 'error') emitter.emit('error', error);
    }
  };

  const sink = (event: ChatEvent) => {
    safeEmit('event', event);
    if (event.type === 'message.created') safeEmit('message', event.message);
  };

  async function* paginate<T>(
    fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  ): AsyncGenerator<T> {
    let cursor: string | undefined;
    const seen = new Set<string>();
    do {
      const page = await fetchPage(cursor);
      yield* page.items;
      if (page.nextCursor !== undefined && seen.has(page.nextCursor)) {
        throw new InvalidResponseError(
          `The ${adapter.provider} adapter returned the same cursor twice; stopping to avoid a loop.`,
          {
            provider: adapter.provider,
          },
        );
      }
      cursor = page.nextCursor;
      if (cursor !== undefined) seen.add(cursor);
    } while (cursor !== undefined);
  }

  const messenger = Object.assign(emitter, {
    provider: adapter.provider,
    capabilities,
    supports: (capability: CapabilityName) => hasCapability(capabilities, capability),

    async connect(options?: CallOptions) {
      return adapter.connect ? adapter.connect(options) : undefined;
    },

    conversations(options: IterateOptions = {}): AsyncIterable<Conversation> {
      const { limit = capabilities.pageSize.max, ...call } = options;
      return paginate(async (cursor) => {
        const list = require('listConversations', 'listConversations');
        assertPageParams({ limit }, capabilities);
        return list({ cursor, limit }, call);
      });
    },

    messages(conversationId: string, options: IterateOptions = {}): AsyncIterable<Message> {
      const { limit = capabilities.pageSize.max, ...call } = options;
      return paginate(async (cursor) => {
        const list = require('listMessages', 'listMessages');
        assertId(conversationId, 'conversationId');
        assertPageParams({ limit }, capabilities);
        return list(conversationId, { cursor, limit }, call);
      });
    },

    async listConversations(params: PageParams = {}, options?: CallOptions) {
      const list = require('listConversations', 'listConversations');
      assertPageParams(params, capabilities);
      return list(params, options);
    },

    async listMessages(conversationId: string, params: PageParams = {}, options?: CallOptions) {
      const list = require('listMessages', 'listMessages');
      assertId(conversationId, 'conversationId');
      assertPageParams(params, capabilities);
      return list(conversationId, params, options);
    },

    async getConversation(conversationId: string, options?: CallOptions) {
      const get = require('getConversation', 'getConversation');
      assertId(conversationId, 'conversationId');
      return get(conversationId, options);
    },

    async getMessage(conversationId: string, messageId: string, options?: CallOptions) {
      const get = require('getMessage', 'getMessage');
      assertId(conversationId, 'conversationId');
      assertId(messageId, 'messageId');
      return get(conversationId, messageId, options);
    },

    async openConversation(params: OpenConversationParams, options?: CallOptions) {
      const open = require('openConversation', 'openConversation');
      const participants = params?.participants;
      if (!Array.isArray(participants) || participants.length === 0) {
        throw new InvalidRequestError('Invalid participants: give at least one id or handle.', {
          issues: [{ path: 'participants', message: 'must be a non-empty array' }],
        });
      }
      for (const [i, p] of participants.entries()) assertId(p, `participants.${i}`);
      if (capabilities.openConversation === 'direct' && participants.length > 1) {
        throw new InvalidRequestError(
          `The ${adapter.provider} adapter opens direct conversations only: give exactly one other participant.`,
          { issues: [{ path: 'participants', message: 'must have exactly one entry' }] },
        );
      }
      return open(
        params.title === undefined
          ? { participantIds: participants }
          : { participantIds: participants, title: params.title },
        options,
      );
    },

    async deleteConversation(conversationId: string, options?: CallOptions) {
      const remove = require('deleteConversation', 'deleteConversation');
      assertId(conversationId, 'conversationId');
      return remove(conversationId, options);
    },

    async muteConversation(conversationId: string, options?: CallOptions) {
      const mute = require('muteConversation', 'muteConversation');
      assertId(conversationId, 'conversationId');
      return mute(conversationId, true, options);
    },

    async unmuteConversation(conversationId: string, options?: CallOptions) {
      const mute = require('muteConversation', 'muteConversation');
      assertId(conversationId, 'conversationId');
      return mute(conversationId, false, options);
    },

    async send(conversationId: string, message: string | OutgoingMessage, options?: SendOptions) {
      assertId(conversationId, 'conversationId');
      const outgoing = normalizeOutgoing(message, capabilities, adapter.provider);
      return adapter.sendMessage(conversationId, outgoing, options);
    },

    async sendStreaming(conversationId: string, message: string | OutgoingMessage, options?: SendOptions) {
      const stream = require('streamedReplies', 'streamReply');
      assertId(conversationId, 'conversationId');
      return stream(conversationId, normalizeOutgoing(message, capabilities, adapter.provider), options);
    },

    async edit(
      conversationId: string,
      messageId: string,
      message: string | OutgoingMessage,
      options?: CallOptions,
    ) {
      const edit = require('editMessage', 'editMessage');
      assertId(conversationId, 'conversationId');
      assertId(messageId, 'messageId');
      return edit(
        conversationId,
        messageId,
        normalizeOutgoing(message, capabilities, adapter.provider),
        options,
      );
    },

    async deleteMessage(conversationId: string, messageId: string, options?: CallOptions) {
      const remove = require('deleteMessage', 'deleteMessage');
      assertId(conversationId, 'conversationId');
      assertId(messageId, 'messageId');
      return remove(conversationId, messageId, options);
    },

    async markRead(conversationId: string, messageId?: string, options?: CallOptions) {
      const mark = require('markRead', 'markRead');
      assertId(conversationId, 'conversationId');
      if (messageId !== undefined) assertId(messageId, 'messageId');
      return mark(conversationId, messageId, options);
    },

    async react(conversationId: string, messageId: string, value: string, options?: CallOptions) {
      const add = require('reactions', 'addReaction');
      assertId(conversationId, 'conversationId');
      assertId(messageId, 'messageId');
      assertReaction(value);
      return add(conversationId, messageId, value, options);
    },

    async unreact(conversationId: string, messageId: string, value: string, options?: CallOptions) {
      const remove = require('reactions', 'removeReaction');
      assertId(conversationId, 'conversationId');
      assertId(messageId, 'messageId');
      assertReaction(value);
      return remove(conversationId, messageId, value, options);
    },

    async start() {
      const subscribe = require('realtime', 'subscribe');
      if (subscription) {
        await subscription;
        return;
      }
      subscriptionAbort = new AbortController();
      subscription = subscribe(sink, {
        signal: subscriptionAbort.signal,
        onError: (error) => safeEmit('error', error),
      });
      try {
        await subscription;
      } catch (error) {
        subscription = undefined;
        subscriptionAbort = undefined;
        throw error;
      }
    },

    async stop() {
      const current = subscription;
      subscription = undefined;
      subscriptionAbort?.abort();
      subscriptionAbort = undefined;
      if (current) await (await current.catch(() => undefined))?.close();
    },

    async handleWebhook(request: Request) {
      const handle = require('realtime', 'handleWebhook');
      const result = await handle(request);
      return new Response(result.status >= 400 ? null : JSON.stringify({ received: result.events.length }), {
        status: result.status,
        headers: result.status >= 400 ? {} : { 'content-type': 'application/json' },
      });
    },

    async close() {
      await messenger.stop();
      await adapter.close?.();
    },
  });
  return messenger as Messenger;
}
