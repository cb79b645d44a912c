import { Readable, Transform } from 'node:stream';
import {
  type ChatAdapter,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  type Participant,
  PermissionDeniedError,
  ProviderUnavailableError,
  ReplyChunks,
  type StreamedReply,
  type SwitchboardError,
  type SwitchboardErrorClass,
} from '@switchboard/core';
import axios from 'axios';
import { createMemoryAdapter, type MemoryAdapterOptions } from '../memory/memory-adapter.js';
import type { BrokenVariant } from './broken-memory-adapters.js';
import {
  onFailure,
  resendingAfter,
  rewritingConversationReads,
  rewritingMessageReads,
  wrapReference,
} from './reference-adapter-wrappers.js';

const withoutDisplayName = ({ displayName: _dropped, ...participant }: Participant): Participant =>
  participant;

/** Variants for the field cases (`field-*`): each drops or garbles one optional field. */
export const fieldBrokenVariants: readonly BrokenVariant[] = [
  {
    name: 'never sends replyToId (the reply is stored as a plain message)',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        sendMessage: (conversationId, { replyToId: _dropped, ...message }, callOptions) =>
          reference.sendMessage(conversationId, message, callOptions),
      })),
    caughtBy: 'field-reply-round-trip',
    failure: /not stored as a reply/,
  },
  {
    name: 'drops replyToId when reading a message back',
    factory: (options) => rewritingMessageReads(options, ({ replyToId: _dropped, ...message }) => message),
    caughtBy: 'field-reply-round-trip',
    failure: /getMessage: the reply read back has replyToId undefined/,
  },
  {
    name: 'drops editedAt when reading a message back',
    factory: (options) => rewritingMessageReads(options, ({ editedAt: _dropped, ...message }) => message),
    caughtBy: 'field-edited-at',
    failure: /getMessage: the edited message has no valid editedAt/,
  },
  {
    name: 'reports editedAt on messages never edited (epoch 0 for a missing value)',
    factory: (options) =>
      rewritingMessageReads(options, (message) => ({
        ...message,
        editedAt: message.editedAt ?? new Date(0),
      })),
    caughtBy: 'field-edited-at',
    failure: /a message never edited has editedAt/,
  },
  {
    name: 'drops attachment names when reading a message back',
    factory: (options) =>
      rewritingMessageReads(options, (message) => ({
        ...message,
        attachments: message.attachments.map(({ name: _dropped, ...attachment }) => attachment),
      })),
    caughtBy: 'field-attachment-names',
    failure: /reads back named undefined/,
  },
  {
    name: "drops participants' displayName",
    factory: (options) =>
      rewritingConversationReads(options, (conversation) => ({
        ...conversation,
        participants: conversation.participants.map(withoutDisplayName),
      })),
    caughtBy: 'field-display-names',
    failure: /no participant has the peer's displayName/,
  },
  {
    name: 'gives participants an empty kind',
    factory: (options) =>
      rewritingConversationReads(options, (conversation) => ({
        ...conversation,
        participants: conversation.participants.map((participant) => ({
          ...participant,
          kind: '' as Participant['kind'],
        })),
      })),
    caughtBy: 'field-display-names',
    failure: /has kind "", not a ParticipantKind/,
  },
  {
    name: "drops the sender's displayName of messages read back",
    factory: (options) =>
      rewritingMessageReads(options, (message) => ({
        ...message,
        sender: withoutDisplayName(message.sender),
      })),
    caughtBy: 'field-display-names',
    failure: /listMessages: the sender of the peer's message has another displayName/,
  },
  {
    name: 'lists conversations without lastMessage (getConversation keeps it)',
    factory: (options) =>
      rewritingConversationReads(options, ({ lastMessage: _dropped, ...conversation }) => conversation, {
        alsoGet: false,
      }),
    caughtBy: 'field-last-message',
    failure: /listConversations: after the peer's message, lastMessage is not it/,
  },
];

/** The reference adapter with `methods` served by a second instance that never retries. */
function withoutRetries(
  options: MemoryAdapterOptions,
  methods: ReadonlyArray<keyof ChatAdapter>,
): ChatAdapter {
  const adapter = createMemoryAdapter(options);
  const noRetry = createMemoryAdapter({ ...options, retry: false });
  const overrides = Object.fromEntries(
    methods.map((method) => [method, (noRetry[method] as (...args: unknown[]) => unknown).bind(noRetry)]),
  );
  return {
    ...adapter,
    ...overrides,
    async close() {
      await noRetry.close?.();
      await adapter.close?.();
    },
  };
}

/** Variants for the write cases: retry flags that contradict what the write is, a wrong error after leaving. */
export const writeBrokenVariants: readonly BrokenVariant[] = [
  {
    name: 'does not retry the login (flagged not idempotent)',
    factory: (options) => withoutRetries(options, ['connect']),
    caughtBy: 'idempotent-writes-retried',
    failure: /connect \(login\) after one HTTP 500: failed/,
  },
  {
    name: 'does not retry muteConversation (flagged not idempotent)',
    factory: (options) => withoutRetries(options, ['muteConversation']),
    caughtBy: 'idempotent-writes-retried',
    failure: /muteConversation after one HTTP 500: failed/,
  },
  {
    name: 'does not retry markRead (flagged not idempotent)',
    factory: (options) => withoutRetries(options, ['markRead']),
    caughtBy: 'idempotent-writes-retried',
    failure: /markRead after one HTTP 500: failed/,
  },
  ...(['listConversations', 'getConversation', 'getMessage'] as const).map(
    (read): BrokenVariant => ({
      name: `does not retry ${read} (a read flagged not idempotent)`,
      factory: (options) => withoutRetries(options, [read]),
      caughtBy: 'reads-retried',
      failure: new RegExp(`${read} after one HTTP 500: failed`),
    }),
  ),
  {
    name: 'posts a send again after a 500 (flagged idempotent)',
    factory: (options) => resendingAfter(options, ProviderUnavailableError),
    caughtBy: 'send-500-not-repeated',
    failure: /sent 2 requests/,
  },
  {
    name: 'maps 409 not_a_member (a write after leaving) to InvalidRequestError',
    factory: (options) =>
      onFailure(createMemoryAdapter(options), 'sendMessage', async (error) => {
        if (!PermissionDeniedError.isInstance(error)) throw error;
        throw new InvalidRequestError(error.message, { provider: error.provider, status: 409 });
      }),
    caughtBy: 'write-after-leave-refused',
    failure: /expected PermissionDeniedError/,
  },
];

/** The reference adapter with each streamed reply rewritten by `rewrite`. */
function rewritingStreams(
  options: MemoryAdapterOptions,
  rewrite: (stream: StreamedReply) => StreamedReply,
  { dropSignal = false } = {},
): ChatAdapter {
  return wrapReference(options, (reference) => ({
    async streamReply(conversationId, message, callOptions) {
      const stream = await reference.streamReply!(conversationId, message, dropSignal ? {} : callOptions);
      return rewrite(stream);
    },
  }));
}

/**
 * The reference adapter whose streamed replies reject, where they would reject with an error of class
 * `from`, with `to(error)` instead.
 */
function replacingReplyErrors(
  options: MemoryAdapterOptions,
  from: SwitchboardErrorClass,
  to: (error: SwitchboardError) => Error,
): ChatAdapter {
  return rewritingStreams(options, (stream) => {
    const reply = stream.reply.catch((error: unknown) => {
      throw from.isInstance(error) ? to(error as SwitchboardError) : error;
    });
    reply.catch(() => {});
    return { ...stream, reply };
  });
}

/**
 * The reference adapter with the text of every streamed response body (the reply streams) passed
 * through `rewrite`, one read of the stream at a time.
 */
function rewritingResponseStreams(
  options: MemoryAdapterOptions,
  rewrite: (text: string) => string,
): ChatAdapter {
  const instance = axios.create();
  instance.interceptors.response.use((response) => {
    if (response.data instanceof Readable)
      response.data = response.data.pipe(
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            done(null, Buffer.from(rewrite(chunk.toString('utf8')), 'utf8'));
          },
        }),
      );
    return response;
  });
  return createMemoryAdapter({ ...options, httpClient: instance });
}

/** Variants for the stream cases (`stream-reply-*`). */
export const streamBrokenVariants: readonly BrokenVariant[] = [
  {
    name: 'ends chunks as if complete when the stream is cut',
    factory: (options) =>
      rewritingStreams(options, (stream) => {
        const chunks = new ReplyChunks();
        void (async () => {
          try {
            for await (const chunk of stream.chunks) chunks.push(chunk);
          } catch {
            // the bug: a cut reply looks complete
          }
          chunks.end();
        })();
        return { ...stream, chunks };
      }),
    caughtBy: 'stream-reply-cut-mid-event',
    failure: /iterating chunks ended normally/,
  },
  {
    name: 'reports a cut reply stream as InvalidResponseError',
    factory: (options) =>
      replacingReplyErrors(
        options,
        NetworkError,
        (error) => new InvalidResponseError(error.message, { provider: error.provider }),
      ),
    caughtBy: 'stream-reply-cut-mid-event',
    failure: /rejected with InvalidResponseError.*expected NetworkError/,
  },
  {
    name: 'reports a malformed reply event as NetworkError',
    factory: (options) =>
      replacingReplyErrors(
        options,
        InvalidResponseError,
        (error) => new NetworkError(error.message, { provider: error.provider }),
      ),
    caughtBy: 'stream-reply-malformed-event',
    failure: /rejected with NetworkError.*expected InvalidResponseError/,
  },
  {
    name: 'rejects a cut reply with an empty message',
    factory: (options) =>
      replacingReplyErrors(
        options,
        NetworkError,
        (error) => new NetworkError('', { provider: error.provider }),
      ),
    caughtBy: 'stream-reply-cut-mid-event',
    failure: /the error has an empty message/,
  },
  {
    name: 'decodes each read of the stream on its own (characters split across reads garbled)',
    factory: (options) => rewritingResponseStreams(options, (text) => text),
    caughtBy: 'stream-reply-split-characters',
    failure: /changed|U\+FFFD|differs/,
  },
  {
    name: 'takes every event of the stream for a chunk, whatever its type',
    factory: (options) =>
      rewritingResponseStreams(options, (text) =>
        text.replace(/^event: (?!message|reply).*$/gm, 'event: delta'),
      ),
    caughtBy: 'stream-reply-ignores-unknown-events',
    failure: /unknown event (broke the reply|was taken for a chunk)/,
  },
  {
    name: 'does not pass the abort signal on to the reply stream',
    factory: (options) => rewritingStreams(options, (stream) => stream, { dropSignal: true }),
    caughtBy: 'stream-reply-abort-mid-stream',
    failure: /did not settle after abort\(\)/,
  },
];

/** Variants for `secrets-absent-from-path`. */
export const pathSecretBrokenVariants: readonly BrokenVariant[] = [
  {
    name: 'names the raw request URL (token in its path) in its errors',
    factory: (options) => {
      const naming = async <T>(path: string, call: () => Promise<T>): Promise<T> => {
        try {
          return await call();
        } catch (error) {
          if (error instanceof Error) error.message = `${error.message} (${options.baseUrl}${path})`;
          throw error;
        }
      };
      return wrapReference(options, (reference) => ({
        sendMessage: (conversationId, message, callOptions) =>
          naming(`/v1/conversations/${conversationId}/messages`, () =>
            reference.sendMessage(conversationId, message, callOptions),
          ),
      }));
    },
    caughtBy: 'secrets-absent-from-path',
    failure: /path secret\[0\] appears in .* of the error of send\(\)/,
  },
];
