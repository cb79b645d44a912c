import {
  AuthenticationError,
  type ChatAdapter,
  defineCapabilities,
  InvalidRequestError,
  type Message,
  NetworkError,
  NotFoundError,
  type Page,
  ProviderUnavailableError,
  RateLimitError,
} from '@switchboard/core';
import axios, { AxiosHeaders, type AxiosInstance, type AxiosResponse } from 'axios';
import type { AdapterContractOptions } from '../contract-types.js';
import { createMemoryAdapter, type MemoryAdapterOptions } from '../memory/memory-adapter.js';
import { memoryCapabilities } from '../memory/memory-capabilities.js';
import type { MemoryAdapterFactory } from './memory-contract-setup.js';
import {
  onFailure,
  resendingAfter,
  rewritingConversationReads,
  rewritingEvents,
  rewritingMessageReads,
  wrapReference,
} from './reference-adapter-wrappers.js';

/** A deliberately broken variant of the reference adapter, and the contract case that must catch it. */
export interface BrokenVariant {
  /** What is wrong with it. */
  name: string;
  /** Builds it from the options for a fresh memory backend. */
  factory: MemoryAdapterFactory;
  /** The id of the case that must fail. */
  caughtBy: string;
  /** What the failure message says (so it fails for the right reason). */
  failure: RegExp;
  /** Contract options for the run (e.g. a short `realtimeTimeoutMs`). */
  options?: Pick<AdapterContractOptions, 'realtimeTimeoutMs'>;
  /** The healthy adapter the same case must pass on (default: the reference adapter). */
  healthy?: MemoryAdapterFactory;
  /**
   * Ends what the variant leaked by design (its bug is leaving something running), once the case has
   * caught it, so the leak cannot be counted against the healthy run that follows in the same process.
   */
  release?: () => Promise<void> | void;
}

/** What the two leaking variants below leave running, so their `release` can end it. */
const forgottenRealtime = new Set<ChatAdapter>();
const neverCancelledReconnects = new Set<ReturnType<typeof setTimeout>>();

/** Wraps `listMessages` to rewrite each page; `cursor` is the one the page was asked with. */
function rewritingPages(
  options: MemoryAdapterOptions,
  rewrite: (page: Page<Message>, cursor: string | undefined) => Page<Message>,
): ChatAdapter {
  return wrapReference(options, (reference) => ({
    async listMessages(conversationId, params, callOptions) {
      return rewrite(await reference.listMessages!(conversationId, params, callOptions), params.cursor);
    },
  }));
}

/** What an interceptor of {@link withInterceptor} sees besides the response. */
interface InterceptorState {
  /** The axios instance the adapter uses (re-sending through it runs the interceptor again). */
  instance: AxiosInstance;
  /** `true` once the adapter was closed. */
  closed: boolean;
}

/** An adapter whose axios instance runs `onResponse` on every response. */
function withInterceptor(
  options: MemoryAdapterOptions,
  onResponse: (response: AxiosResponse, state: InterceptorState) => AxiosResponse | Promise<AxiosResponse>,
): ChatAdapter {
  const instance = axios.create();
  const state: InterceptorState = { instance, closed: false };
  instance.interceptors.response.use((response) => onResponse(response, state));
  return wrapReference({ ...options, httpClient: instance }, (reference) => ({
    async close() {
      state.closed = true;
      await reference.close!();
    },
  }));
}

/** The broken variants the kit's self-tests run, each against the one case named to catch it. */
export const brokenVariants: readonly BrokenVariant[] = [
  {
    name: 'drops one message across a page boundary (skips the item at each cursor)',
    factory: (options) =>
      rewritingPages(options, (page, cursor) => (cursor ? { ...page, items: page.items.slice(1) } : page)),
    caughtBy: 'history-newest-first-default-page-size',
    failure: /missing \(dropped\)/,
  },
  {
    name: 'repeats a message across pages (an inclusive cursor)',
    factory: (options) => {
      const lastOfPage = new Map<string, Message>();
      return rewritingPages(options, (page, cursor) => {
        const last = page.items.at(-1);
        if (page.nextCursor && last) lastOfPage.set(page.nextCursor, last);
        const repeated = cursor === undefined ? undefined : lastOfPage.get(cursor);
        return repeated ? { ...page, items: [repeated, ...page.items.slice(0, -1)] } : page;
      });
    },
    caughtBy: 'history-newest-first-explicit-limit',
    failure: /appears 2 times/,
  },
  {
    name: 'returns history oldest first',
    factory: (options) => rewritingPages(options, (page) => ({ ...page, items: [...page.items].reverse() })),
    caughtBy: 'history-newest-first-default-page-size',
    failure: /not newest first/,
  },
  {
    name: 'throws a raw Error instead of a SwitchboardError (wraps send failures "for context")',
    factory: (options) =>
      onFailure(createMemoryAdapter(options), 'sendMessage', async (error) => {
        throw new Error(`Could not send the message: ${(error as Error).message}`);
      }),
    caughtBy: 'errors-are-switchboard-errors',
    failure: /adapter\.sendMessage\(\) under .* threw Error: Could not send .* not a SwitchboardError/,
  },
  {
    name: 'puts the token in an error message (a login error naming the credential)',
    factory: (options) => {
      const adapter = createMemoryAdapter(options);
      return onFailure(adapter, 'connect', async (error) => {
        throw new AuthenticationError(`memory: could not log in with token ${options.token}`, {
          provider: adapter.provider,
          cause: error,
        });
      });
    },
    caughtBy: 'secrets-absent-from-errors',
    failure: /secrets\[0\] appears in .* of the error of messenger\.connect\(\)/,
  },
  {
    name: "declares 'editMessage' but does not implement it",
    factory: (options) => ({ ...createMemoryAdapter(options), editMessage: undefined }),
    caughtBy: 'manifest-matches-methods',
    failure: /declares 'editMessage' but adapter\.editMessage is not a function/,
  },
  {
    name: 'retries a 401 forever (an axios interceptor that re-sends on 401)',
    factory: (options) =>
      withInterceptor(options, (response, state) =>
        response.status === 401 && !state.closed ? state.instance.request(response.config) : response,
      ),
    caughtBy: 'auth-failure-after-one-refresh',
    failure: /still going; expected it to give up within 4/,
  },
  {
    name: 'ignores Retry-After (an axios interceptor that drops the rate-limit headers)',
    factory: (options) =>
      withInterceptor(options, (response) => {
        if (response.status === 429) {
          const headers = AxiosHeaders.from(response.headers as AxiosHeaders);
          for (const name of ['retry-after', 'ratelimit-reset', 'ratelimit-remaining', 'ratelimit-limit'])
            headers.delete(name);
          response.headers = headers;
        }
        return response;
      }),
    caughtBy: 'rate-limit-retried-after-delay',
    failure: /retried after \d+ ms; the 429 said to wait 1000 ms/,
  },
];

/** More variants, beyond the required list, proving the cases they name have teeth too. */
export const moreBrokenVariants: readonly BrokenVariant[] = [
  {
    name: 'logs its credentials when a login fails',
    factory: (options) =>
      onFailure(createMemoryAdapter(options), 'connect', async (error) => {
        console.warn(`memory: login failed for token ${options.token}, retrying later`);
        throw error;
      }),
    caughtBy: 'secrets-absent-from-errors',
    failure: /secrets\[0\] appears in .* of log line/,
  },
  {
    name: 'leaves a heartbeat timer running after close()',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        async connect(callOptions) {
          setInterval(() => undefined, 60_000);
          return reference.connect!(callOptions);
        },
      })),
    caughtBy: 'close-releases-resources',
    failure: /still active .* Timeout ×1/,
  },
  {
    name: "never delivers the peer's messages in realtime",
    factory: (options) => ({
      ...createMemoryAdapter(options),
      async subscribe() {
        return { close: async () => undefined };
      },
    }),
    caughtBy: 'realtime-delivers-peer-message',
    failure: /no 'message' event with the peer's text within 300 ms/,
    options: { realtimeTimeoutMs: 300 },
  },
  {
    name: 'marks our own messages as not from self',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        async sendMessage(conversationId, message, callOptions) {
          const sent = await reference.sendMessage(conversationId, message, callOptions);
          return { ...sent, sender: { ...sent.sender, isSelf: false } };
        },
      })),
    caughtBy: 'send-returns-message',
    failure: /sender\.isSelf is not true/,
  },
  {
    name: 'loses the first chunk of a streamed reply',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        async streamReply(conversationId, message, callOptions) {
          const stream = await reference.streamReply!(conversationId, message, callOptions);
          const chunks = {
            async *[Symbol.asyncIterator]() {
              let first = true;
              for await (const chunk of stream.chunks) {
                if (!first) yield chunk;
                first = false;
              }
            },
          };
          return { ...stream, chunks };
        },
      })),
    caughtBy: 'stream-reply',
    failure: /the chunks do not add up to the stored reply/,
  },
  {
    name: 'declares a longer maxTextLength than the provider accepts',
    factory: (options) => ({
      ...createMemoryAdapter(options),
      capabilities: defineCapabilities({ ...memoryCapabilities, maxTextLength: 3_000 }),
    }),
    caughtBy: 'send-accepts-max-length',
    failure: /send\(\) of 3000 graphemes failed .*InvalidRequestError/,
  },
];

/**
 * A healthy adapter with the smallest manifest: only `sendMessage` (plus connect/close), every
 * optional capability left out. Against it the "undeclared ⇒ UnsupportedOperationError" cases run.
 */
/** The reference manifest with every optional capability left out: only `send` remains. */
export const nothingDeclared = defineCapabilities({
  ...memoryCapabilities,
  listConversations: false,
  getConversation: false,
  openConversation: false,
  deleteConversation: false,
  muteConversation: false,
  listMessages: false,
  getMessage: false,
  editMessage: false,
  deleteMessage: false,
  markRead: false,
  reactions: false,
  attachments: [],
  streamedReplies: false,
  realtime: 'none',
});

export const minimalMemoryAdapter: MemoryAdapterFactory = (options) => {
  const { specificationVersion, provider, connect, sendMessage, close } = createMemoryAdapter(options);
  return {
    specificationVersion,
    provider,
    capabilities: nothingDeclared,
    ...(connect && { connect }),
    sendMessage,
    ...(close && { close }),
  };
};

/** A write-only manifest, as a bot API offers: send, edit, delete and react, but no reads at all. */
export const writeOnlyDeclared = defineCapabilities({
  ...nothingDeclared,
  editMessage: true,
  deleteMessage: 'for-everyone',
  reactions: true,
});

/** A healthy write-only adapter (a bot): it can change messages but never read them. */
export const writeOnlyMemoryAdapter: MemoryAdapterFactory = (options) => {
  const adapter = createMemoryAdapter(options);
  return {
    specificationVersion: adapter.specificationVersion,
    provider: adapter.provider,
    capabilities: writeOnlyDeclared,
    connect: adapter.connect!,
    sendMessage: adapter.sendMessage,
    editMessage: adapter.editMessage!,
    deleteMessage: adapter.deleteMessage!,
    addReaction: adapter.addReaction!,
    removeReaction: adapter.removeReaction!,
    close: adapter.close!,
  };
};

/** Variants of the bug classes contract kit v2 was built against (issue 11), one per new or strengthened case. */
export const v2BrokenVariants: readonly BrokenVariant[] = [
  {
    name: 'maps a 404 to InvalidRequestError',
    factory: (options) => {
      const remap = async (error: unknown): Promise<never> => {
        if (NotFoundError.isInstance(error))
          throw new InvalidRequestError(error.message, { provider: error.provider });
        throw error;
      };
      return onFailure(onFailure(createMemoryAdapter(options), 'listMessages', remap), 'sendMessage', remap);
    },
    caughtBy: 'errors-map-by-status',
    failure: /gets HTTP 404: expected NotFoundError, got InvalidRequestError/,
  },
  {
    name: 'gives retryAfterMs in seconds',
    factory: (options) =>
      onFailure(createMemoryAdapter(options), 'listMessages', async (error) => {
        if (RateLimitError.isInstance(error) && error.retryAfterMs !== undefined)
          throw new RateLimitError(error.message, {
            provider: error.provider,
            retryAfterMs: Math.ceil(error.retryAfterMs / 1000),
          });
        throw error;
      }),
    caughtBy: 'rate-limit-exhausted',
    failure: /retryAfterMs is 1; the 429 said 1000 ms/,
  },
  {
    name: 'delivers each peer message twice (re-reads the last event page)',
    factory: (options) =>
      rewritingEvents(options, (event) =>
        event.type === 'message.created' && !event.message.sender.isSelf ? [event, event] : event,
      ),
    caughtBy: 'realtime-delivers-each-once',
    failure: /reached 'message' 2 times/,
  },
  {
    name: 'drops our own sends from realtime (filters isSelf)',
    factory: (options) =>
      rewritingEvents(options, (event) =>
        event.type === 'message.created' && event.message.sender.isSelf ? undefined : event,
      ),
    caughtBy: 'realtime-echoes-own-sends',
    failure: /no 'message' event/,
    options: { realtimeTimeoutMs: 1_500 },
  },
  {
    name: 'stop() keeps polling (the subscription close() is a no-op; only adapter.close() ends it)',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        async subscribe(sink, subscribeOptions) {
          const { signal: _ignored, ...rest } = subscribeOptions ?? {};
          await reference.subscribe!(sink, rest);
          return { close: async () => undefined };
        },
      })),
    caughtBy: 'realtime-stop-stops',
    failure: /request\(s\) after stop\(\)|reached 'message' after stop\(\)/,
  },
  {
    name: 'close() forgets subscriptions still open',
    factory: (options) => {
      const realtime = createMemoryAdapter(options);
      forgottenRealtime.add(realtime);
      return wrapReference(options, () => ({
        subscribe: (sink, subscribeOptions) => realtime.subscribe!(sink, subscribeOptions),
      }));
    },
    caughtBy: 'adapter-close-ends-subscriptions',
    failure: /delivered an event after adapter\.close\(\)|still active after adapter\.close\(\)/,
    release: async () => {
      await Promise.all([...forgottenRealtime].map((realtime) => realtime.close?.()));
      forgottenRealtime.clear();
    },
  },
  {
    name: 'schedules a reconnect on realtime errors that close() never cancels',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        subscribe: (sink, subscribeOptions = {}) =>
          reference.subscribe!(sink, {
            ...subscribeOptions,
            onError(error) {
              neverCancelledReconnects.add(setTimeout(() => undefined, 10_000));
              subscribeOptions.onError?.(error);
            },
          }),
      })),
    caughtBy: 'realtime-close-during-backoff',
    failure: /still active after close\(\) during back-off: Timeout/,
    release: () => {
      for (const timer of neverCancelledReconnects) clearTimeout(timer);
      neverCancelledReconnects.clear();
    },
  },
  {
    name: 'retries a send after a network error (posts it twice when the answer was lost)',
    factory: (options) => resendingAfter(options, NetworkError),
    caughtBy: 'send-ambiguous-no-duplicate',
    failure: /stored 2 times/,
  },
  {
    name: 'markRead is a no-op',
    factory: (options) => ({ ...createMemoryAdapter(options), markRead: async () => undefined }),
    caughtBy: 'mark-read',
    failure: /unreadCount is 3 after markRead up to the 2nd/,
  },
  {
    name: "a 'for-everyone' delete only hides the message from this instance",
    factory: (options) => {
      const hidden = new Set<string>();
      const adapter = rewritingMessageReads(options, (message) => message);
      const inner = { ...adapter };
      return {
        ...adapter,
        async deleteMessage(_conversationId, messageId) {
          hidden.add(messageId);
        },
        async getMessage(conversationId, messageId, callOptions) {
          const message = await inner.getMessage!(conversationId, messageId, callOptions);
          return hidden.has(messageId) ? { ...message, deleted: true } : message;
        },
        async listMessages(conversationId, params, callOptions) {
          const page = await inner.listMessages!(conversationId, params, callOptions);
          return { ...page, items: page.items.filter((message) => !hidden.has(message.id)) };
        },
      };
    },
    caughtBy: 'delete-for-everyone-seen-by-others',
    failure: /still shows the message after a 'for-everyone' delete/,
  },
  {
    name: 'sends every reaction as 👍',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        addReaction: (c, m, _value, o) => reference.addReaction!(c, m, '👍', o),
        removeReaction: (c, m, _value, o) => reference.removeReaction!(c, m, '👍', o),
      })),
    caughtBy: 'add-remove-reaction',
    failure: /does not carry our 🎉/,
  },
  {
    name: 'getConversation returns the newest conversation whatever the id',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        async getConversation(_conversationId, callOptions) {
          return (await reference.listConversations!({}, callOptions)).items[0]!;
        },
      })),
    caughtBy: 'get-conversation',
    failure: /returned another conversation/,
  },
  {
    name: 'attachments come back on send but not when read again',
    factory: (options) => rewritingMessageReads(options, (message) => ({ ...message, attachments: [] })),
    caughtBy: 'attachments-read-back',
    failure: /carries no 'image' attachment/,
  },
  {
    name: 'trims the text it sends',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        sendMessage: (c, message, o) =>
          reference.sendMessage(c, { ...message, text: message.text.trim() }, o),
      })),
    caughtBy: 'text-whitespace-preserved',
    failure: /send returned "contract whitespace/,
  },
  {
    name: "marks the peer's messages as ours in history",
    factory: (options) =>
      rewritingPages(options, (page) => ({
        ...page,
        items: page.items.map((m) => ({ ...m, sender: { ...m.sender, isSelf: true } })),
      })),
    caughtBy: 'history-peer-not-self',
    failure: /the peer's message has sender\.isSelf true/,
  },
  {
    name: 'connect() returns a participant without isSelf',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        async connect(callOptions) {
          return { ...(await reference.connect!(callOptions)), isSelf: false };
        },
      })),
    caughtBy: 'connect-returns-self',
    failure: /isSelf !== true/,
  },
  {
    name: 'leaves us out of participants',
    factory: (options) =>
      rewritingConversationReads(options, (conversation) => ({
        ...conversation,
        participants: conversation.participants.filter((participant) => !participant.isSelf),
      })),
    caughtBy: 'participants-include-self',
    failure: /participants hold 0 entries with isSelf/,
  },
  {
    name: 'keeps a stub for an undeclared capability that throws a plain Error',
    factory: (options) => ({
      ...minimalMemoryAdapter(options),
      async editMessage() {
        throw new Error('editMessage is not implemented');
      },
    }),
    healthy: (options) => minimalMemoryAdapter(options),
    caughtBy: 'manifest-undeclared-methods-absent',
    failure:
      /adapter\.editMessage\(\) exists; called directly it: expected UnsupportedOperationError, got Error/,
  },
  {
    name: 'puts the failed request (with its Authorization header) in error.cause',
    factory: (options) => {
      let authorization = '';
      const instance = axios.create();
      instance.interceptors.request.use((config) => {
        authorization = String(config.headers.authorization ?? config.headers.Authorization ?? '');
        return config;
      });
      const adapter = createMemoryAdapter({ ...options, httpClient: instance });
      return onFailure(adapter, 'sendMessage', async (error) => {
        throw new ProviderUnavailableError(`send failed: ${(error as Error).message}`, {
          provider: adapter.provider,
          cause: { request: { headers: { authorization } } },
        });
      });
    },
    caughtBy: 'secrets-absent-over-session',
    failure: /runtime secret\[\d+\] appears in .* of the error of send\(\)/,
  },
  {
    name: 'a write-only adapter whose edit never calls the API',
    factory: (options) => {
      const adapter = writeOnlyMemoryAdapter(options);
      let last: Message | undefined;
      return {
        ...adapter,
        async sendMessage(conversationId, message, callOptions) {
          last = await adapter.sendMessage(conversationId, message, callOptions);
          return last;
        },
        async editMessage(_conversationId, messageId, message) {
          return { ...last!, id: messageId, text: message.text, editedAt: new Date() };
        },
      };
    },
    healthy: writeOnlyMemoryAdapter,
    caughtBy: 'edit-message',
    failure: /peer\.readMessages \(backend\): reading the message back shows the old text/,
  },
  {
    name: 'a write-only adapter whose reaction does nothing',
    factory: (options) => ({ ...writeOnlyMemoryAdapter(options), addReaction: async () => undefined }),
    healthy: writeOnlyMemoryAdapter,
    caughtBy: 'add-remove-reaction',
    failure: /peer\.readMessages \(backend\): the message read back does not carry our 👍/,
  },
];

/** A healthy adapter over a backend that opens direct conversations only (one per peer). */
export const directOnlyMemoryAdapter: MemoryAdapterFactory = (options) => ({
  ...createMemoryAdapter(options),
  capabilities: defineCapabilities({ ...memoryCapabilities, openConversation: 'direct' }),
});
