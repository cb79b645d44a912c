import { EventEmitter } from 'eventemitter3';
import {
  type Capabilities,
  type CapabilityName,
  capabilitiesSchema,
  capabilityNames,
  type GroupCapabilityName,
  groupCapabilityNames,
  hasCapability,
} from './capabilities.js';
import type { CallOptions, ChatAdapter, SendOptions, StreamedReply, Subscription } from './chat-adapter.js';
import type { ChatEvent } from './chat-event.js';
import { InvalidRequestError, InvalidResponseError, SwitchboardError } from './errors.js';
import { hasFieldTypes } from './has-field-types.js';
import {
  assertOpenConversationTitle,
  createGroupMethods,
  type MessengerGroupMethods,
} from './messenger-groups.js';
import type { Conversation, Message, OutgoingMessage, Page, PageParams, Participant } from './model.js';
import { requireAdapterMethod } from './require-adapter-method.js';
import {
  DEFAULT_RECONCILE_CLOCK_SKEW_MS,
  DEFAULT_RECONCILE_SETTLE_MS,
  reconcileSend,
  withOutcome,
} from './send-reconciliation.js';
import {
  assertCallOptions,
  assertId,
  assertPageParams,
  assertReaction,
  normalizeOutgoing,
} from './validation.js';

/** Events a {@link Messenger} emits. */
export interface MessengerEvents {
  /** A new message, from someone else or from us (every `message.created` event). */
  message: (message: Message) => void;
  /** Every realtime event. */
  event: (event: ChatEvent) => void;
  /** An error the realtime source recovered from (it keeps going), or one thrown by a listener. */
  error: (error: unknown) => void;
}

/** Options of {@link createMessenger}. */
export interface MessengerOptions {
  /**
   * Send reconciliation (default `true`, used when the adapter declares the `sendReconciliation`
   * capability): a `send` that fails with `outcome: 'unknown'` reads the conversation's newest
   * history back and returns the message if it finds it (ours, same text and attachments, sent
   * after the attempt started), throws a retryable `outcome: 'not_applied'` error if it is provably
   * absent, and otherwise rethrows the original error. `false` turns it off. See docs/errors.md.
   */
  reconcileSends?: boolean;
  /**
   * How far before the attempt started a matching message's `sentAt` may be (provider clock skew),
   * in milliseconds. Default 30 000.
   */
  reconcileClockSkewMs?: number;
  /**
   * After a dropped connection, how long reconciliation waits before reading history, in
   * milliseconds (so a request the provider was still processing has landed). Default 250.
   */
  reconcileSettleMs?: number;
}

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
  /**
   * Other participants, by id or handle (the adapter resolves handles). Not including yourself.
   * One participant opens (gets or creates) the direct conversation with them; two or more create a
   * group (capability `openConversation: 'group' | 'direct-and-group'`).
   */
  participants: string[];
  /** A title makes it a group conversation (with one or more others); direct conversations have none. */
  title?: string;
}

/**
 * The app-facing API over one adapter. Every method validates its input before any request
 * (arguments of the wrong shape included: a `signal` that is not an `AbortSignal`, `null` options
 * or page parameters, `attachments` that are not an array → `InvalidRequestError`; cheapest bounds
 * first, so any input is judged in well under 10 ms), throws `UnsupportedOperationError` (without
 * touching the network) for what the adapter's capability manifest does not declare, and rejects
 * only with `SwitchboardError`s (or the signal's own reason, unwrapped, when the caller aborts).
 * No method throws synchronously: `conversations()` and `messages()` reject on the first `next()`.
 */
export interface Messenger extends EventEmitter<MessengerEvents>, MessengerGroupMethods {
  readonly provider: string;
  readonly capabilities: Capabilities;
  /** `true` when the adapter declares the capability. */
  supports(capability: CapabilityName | GroupCapabilityName): boolean;
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
export function createMessenger(adapter: ChatAdapter, options: MessengerOptions = {}): Messenger {
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
  const reconcile = options.reconcileSends !== false && capabilities.sendReconciliation;
  const reconcileSettings = {
    clockSkewMs: options.reconcileClockSkewMs ?? DEFAULT_RECONCILE_CLOCK_SKEW_MS,
    settleMs: options.reconcileSettleMs ?? DEFAULT_RECONCILE_SETTLE_MS,
    pageSize: capabilities.pageSize.max,
  };
  /**
   * Ids of messages our sends returned (newest 1,000) → when (epoch ms): reconciliation never
   * returns them again, and one returned before an attempt started bounds its history search.
   */
  const claimed = new Map<string, number>();
  const claim = (message: Message) => {
    claimed.set(message.id, Date.now());
    if (claimed.size > 1000) claimed.delete(claimed.keys().next().value as string);
    return message;
  };
  /** Runs a non-idempotent call: every `SwitchboardError` it throws carries an `outcome`. */
  const applying = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw withOutcome(error);
    }
  };
  const emitter = new EventEmitter<MessengerEvents>();
  let subscription: Promise<Subscription> | undefined;
  let subscriptionAbort: AbortController | undefined;

  /** Returns the adapter method, or throws when the manifest (or the adapter) lacks it. */
  const require = <M extends AdapterMethod>(capability: CapabilityName, method: M) =>
    requireAdapterMethod(adapter, capabilities, capability, method);
  /** `react` / `unreact`: the same checks, then the adapter's add or remove. */
  const reaction = (
    method: 'addReaction' | 'removeReaction',
    conversationId: string,
    messageId: string,
    value: string,
    options?: CallOptions,
  ) => {
    const call = require('reactions', method);
    assertId(conversationId, 'conversationId');
    assertId(messageId, 'messageId');
    assertReaction(value);
    assertCallOptions(options);
    return call(conversationId, messageId, value, options);
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
    supports: (capability: CapabilityName | GroupCapabilityName) =>
      ([...capabilityNames, ...groupCapabilityNames] as readonly unknown[]).includes(capability) &&
      hasCapability(capabilities, capability),
    ...createGroupMethods(adapter, capabilities),

    async connect(options?: CallOptions) {
      assertCallOptions(options);
      return adapter.connect ? adapter.connect(options) : undefined;
    },

    // Nothing is read from the arguments until the first next(): bad input rejects there, never synchronously.
    conversations(options?: IterateOptions): AsyncIterable<Conversation> {
      return paginate(async (cursor) => {
        const list = require('listConversations', 'listConversations');
        assertCallOptions(options);
        const { limit = capabilities.pageSize.max, ...call } = options ?? {};
        assertPageParams({ limit }, capabilities);
        return list({ cursor, limit }, call);
      });
    },

    messages(conversationId: string, options?: IterateOptions): AsyncIterable<Message> {
      return paginate(async (cursor) => {
        const list = require('listMessages', 'listMessages');
        assertId(conversationId, 'conversationId');
        assertCallOptions(options);
        const { limit = capabilities.pageSize.max, ...call } = options ?? {};
        assertPageParams({ limit }, capabilities);
        return list(conversationId, { cursor, limit }, call);
      });
    },

    async listConversations(params: PageParams = {}, options?: CallOptions) {
      const list = require('listConversations', 'listConversations');
      assertPageParams(params, capabilities);
      assertCallOptions(options);
      return list(params, options);
    },

    async listMessages(conversationId: string, params: PageParams = {}, options?: CallOptions) {
      const list = require('listMessages', 'listMessages');
      assertId(conversationId, 'conversationId');
      assertPageParams(params, capabilities);
      assertCallOptions(options);
      return list(conversationId, params, options);
    },

    async getConversation(conversationId: string, options?: CallOptions) {
      const get = require('getConversation', 'getConversation');
      assertId(conversationId, 'conversationId');
      assertCallOptions(options);
      return get(conversationId, options);
    },

    async getMessage(conversationId: string, messageId: string, options?: CallOptions) {
      const get = require('getMessage', 'getMessage');
      assertId(conversationId, 'conversationId');
      assertId(messageId, 'messageId');
      assertCallOptions(options);
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
      if (params.title !== undefined && typeof params.title !== 'string') {
        throw new InvalidRequestError('Invalid title: expected a string.', {
          issues: [{ path: 'title', message: 'expected a string' }],
        });
      }
      assertOpenConversationTitle(params.title, capabilities, adapter.provider);
      if (capabilities.openConversation === 'direct' && participants.length > 1) {
        throw new InvalidRequestError(
          `The ${adapter.provider} adapter opens direct conversations only: give exactly one other participant.`,
          { issues: [{ path: 'participants', message: 'must have exactly one entry' }] },
        );
      }
      assertCallOptions(options);
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
      assertCallOptions(options);
      return remove(conversationId, options);
    },

    async muteConversation(conversationId: string, options?: CallOptions) {
      const mute = require('muteConversation', 'muteConversation');
      assertId(conversationId, 'conversationId');
      assertCallOptions(options);
      return mute(conversationId, true, options);
    },

    async unmuteConversation(conversationId: string, options?: CallOptions) {
      const mute = require('muteConversation', 'muteConversation');
      assertId(conversationId, 'conversationId');
      assertCallOptions(options);
      return mute(conversationId, false, options);
    },

    async send(conversationId: string, message: string | OutgoingMessage, options?: SendOptions) {
      assertId(conversationId, 'conversationId');
      const outgoing = normalizeOutgoing(message, capabilities, adapter.provider);
      assertCallOptions(options);
      return adapter.sendMessage(conversationId, outgoing, options);
    },

    async sendStreaming(conversationId: string, message: string | OutgoingMessage, options?: SendOptions) {
      const stream = require('streamedReplies', 'streamReply');
      assertId(conversationId, 'conversationId');
      assertCallOptions(options);
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
      assertCallOptions(options);
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
      assertCallOptions(options);
      return remove(conversationId, messageId, options);
    },

    async markRead(conversationId: string, messageId?: string, options?: CallOptions) {
      const mark = require('markRead', 'markRead');
      assertId(conversationId, 'conversationId');
      if (messageId !== undefined) assertId(messageId, 'messageId');
      assertCallOptions(options);
      return mark(conversationId, messageId, options);
    },

    async react(conversationId: string, messageId: string, value: string, options?: CallOptions) {
      return reaction('addReaction', conversationId, messageId, value, options);
    },

    async unreact(conversationId: string, messageId: string, value: string, options?: CallOptions) {
      return reaction('removeReaction', conversationId, messageId, value, options);
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
      // Duck-typed: frameworks hand over their own Request implementations.
      if (!hasFieldTypes(request, { url: 'string', method: 'string', text: 'function' })) {
        throw new InvalidRequestError(
          'Invalid request: handleWebhook takes a web Request (the Fetch API one).',
          {
            issues: [{ path: 'request', message: 'expected a Request' }],
          },
        );
      }
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
  // Every error of a non-idempotent call says whether it took effect (`outcome`); an ambiguous send
  // is reconciled against history where the adapter declares `sendReconciliation`.
  const applyingCalls = [
    'openConversation',
    'deleteConversation',
    'muteConversation',
    'unmuteConversation',
    'sendStreaming',
    'edit',
    'deleteMessage',
    'markRead',
    'react',
    'unreact',
  ] as const;
  const calls = messenger as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of applyingCalls) {
    const call = calls[name]!;
    calls[name] = (...args) => applying(() => call(...args));
  }
  const sendOnce = messenger.send;
  messenger.send = async (conversationId, message, sendOptions) => {
    const startedAt = Date.now();
    try {
      return claim(await applying(() => sendOnce(conversationId, message, sendOptions)));
    } catch (error) {
      if (!reconcile || !SwitchboardError.isInstance(error) || error.outcome !== 'unknown') throw error;
      const outgoing = normalizeOutgoing(message, capabilities, adapter.provider);
      return claim(
        await reconcileSend(
          adapter,
          conversationId,
          outgoing,
          startedAt,
          error,
          claimed,
          reconcileSettings,
          sendOptions,
        ),
      );
    }
  };
  return messenger as Messenger;
}
