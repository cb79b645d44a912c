import {
  AuthenticationError,
  type ChatAdapter,
  defineCapabilities,
  type Message,
  type Page,
} from '@switchboard/core';
import axios, { AxiosHeaders, type AxiosInstance, type AxiosResponse } from 'axios';
import type { AdapterContractOptions } from '../contract-types.js';
import { createMemoryAdapter, type MemoryAdapterOptions } from '../memory/memory-adapter.js';
import { memoryCapabilities } from '../memory/memory-capabilities.js';
import type { MemoryAdapterFactory } from './memory-contract-setup.js';

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
}

/** Wraps `listMessages` to rewrite each page; `cursor` is the one the page was asked with. */
function rewritingPages(
  options: MemoryAdapterOptions,
  rewrite: (page: Page<Message>, cursor: string | undefined) => Page<Message>,
): ChatAdapter {
  const adapter = createMemoryAdapter(options);
  return {
    ...adapter,
    async listMessages(conversationId, params, callOptions) {
      return rewrite(await adapter.listMessages!(conversationId, params, callOptions), params.cursor);
    },
  };
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
  const adapter = createMemoryAdapter({ ...options, httpClient: instance });
  return {
    ...adapter,
    async close() {
      state.closed = true;
      await adapter.close!();
    },
  };
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
    factory: (options) => {
      const adapter = createMemoryAdapter(options);
      return {
        ...adapter,
        async sendMessage(conversationId, message, callOptions) {
          try {
            return await adapter.sendMessage(conversationId, message, callOptions);
          } catch (error) {
            throw new Error(`Could not send the message: ${(error as Error).message}`);
          }
        },
      };
    },
    caughtBy: 'errors-are-switchboard-errors',
    failure: /adapter\.sendMessage\(\) under .* threw Error: Could not send .* not a SwitchboardError/,
  },
  {
    name: 'puts the token in an error message (a login error naming the credential)',
    factory: (options) => {
      const adapter = createMemoryAdapter(options);
      return {
        ...adapter,
        async connect(callOptions) {
          try {
            return await adapter.connect!(callOptions);
          } catch (error) {
            throw new AuthenticationError(`memory: could not log in with token ${options.token}`, {
              provider: adapter.provider,
              cause: error,
            });
          }
        },
      };
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
    factory: (options) => {
      const adapter = createMemoryAdapter(options);
      return {
        ...adapter,
        async connect(callOptions) {
          try {
            return await adapter.connect!(callOptions);
          } catch (error) {
            console.warn(`memory: login failed for token ${options.token}, retrying later`);
            throw error;
          }
        },
      };
    },
    caughtBy: 'secrets-absent-from-errors',
    failure: /secrets\[0\] appears in .* of log line/,
  },
  {
    name: 'leaves a heartbeat timer running after close()',
    factory: (options) => {
      const adapter = createMemoryAdapter(options);
      return {
        ...adapter,
        async connect(callOptions) {
          setInterval(() => undefined, 60_000);
          return adapter.connect!(callOptions);
        },
      };
    },
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
    factory: (options) => {
      const adapter = createMemoryAdapter(options);
      return {
        ...adapter,
        async sendMessage(conversationId, message, callOptions) {
          const sent = await adapter.sendMessage(conversationId, message, callOptions);
          return { ...sent, sender: { ...sent.sender, isSelf: false } };
        },
      };
    },
    caughtBy: 'send-returns-message',
    failure: /sender\.isSelf is not true/,
  },
  {
    name: 'loses the first chunk of a streamed reply',
    factory: (options) => {
      const adapter = createMemoryAdapter(options);
      return {
        ...adapter,
        async streamReply(conversationId, message, callOptions) {
          const stream = await adapter.streamReply!(conversationId, message, callOptions);
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
      };
    },
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
