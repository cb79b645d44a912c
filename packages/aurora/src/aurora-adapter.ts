import { setMaxListeners } from 'node:events';
import {
  type CallOptions,
  type Capabilities,
  type ChatAdapter,
  type Conversation,
  type EventSink,
  InvalidRequestError,
  type Message,
  NetworkError,
  NotFoundError,
  normalizeOutgoing,
  type OutgoingMessage,
  type Page,
  type PageParams,
  type Participant,
  type SubscribeOptions,
  type Subscription,
} from '@switchboard/core';
import { createHttpClient } from '@switchboard/core/http';
import { createAuroraApi } from './aurora-api.js';
import { createAuroraAuth } from './aurora-auth.js';
import { auroraCapabilities } from './aurora-capabilities.js';
import { decodeCursor, encodeCursor } from './aurora-cursor.js';
import { createAuroraDirectory } from './aurora-directory.js';
import { mapAuroraHttpError } from './aurora-error-body.js';
import { createAuroraEventSinks } from './aurora-event-sinks.js';
import { createAuroraHistory } from './aurora-history.js';
import { parseAuroraId } from './aurora-ids.js';
import {
  type AuroraAdapterOptions,
  type AuroraApiVersion,
  auroraDefaultBaseUrls,
  resolveAuroraCredentials,
  resolveAuroraTimeouts,
} from './aurora-options.js';
import { type AuroraReplyStream, type AuroraTurnMarks, startAuroraReply } from './aurora-reply.js';
import { mapAuroraConversation } from './map-aurora-conversation.js';
import { fromAuroraTimestamp, mapAuroraMessage } from './map-aurora-message.js';

/** The Aurora adapter: a `ChatAdapter` plus streamed replies as async iterators. */
export interface AuroraAdapter extends ChatAdapter {
  readonly provider: 'aurora';
  readonly apiVersion: AuroraApiVersion;
  readonly capabilities: Capabilities;
  /** Logs in (or checks the token) and returns the user: `GET /user/info` (v11), `GET /chats` (v5). */
  connect(callOptions?: CallOptions): Promise<Participant>;
  /** The user's chats, newest first (`GET /chats`, paged here; one `GET /character` per new character). */
  listConversations(params: PageParams, callOptions?: CallOptions): Promise<Page<Conversation>>;
  /**
   * One chat, with `updatedAt` from its newest message (`GET /chats`, `GET /chat/preview`).
   * @throws {NotFoundError} when the user has no such chat.
   */
  getConversation(conversationId: string, callOptions?: CallOptions): Promise<Conversation>;
  /**
   * Gets the user's newest chat with the character (`participantIds: [characterId]`), or initializes
   * one (`POST /chat`), whose first message is the character's initial response.
   * @throws {NotFoundError} when the character does not exist; `PermissionDeniedError` when it is private.
   */
  openConversation(
    params: { participantIds: string[]; title?: string },
    callOptions?: CallOptions,
  ): Promise<Conversation>;
  /** Deletes the chat and all its messages (`DELETE /chat`). */
  deleteConversation(conversationId: string, callOptions?: CallOptions): Promise<void>;
  /** History, newest first (`GET /messages` in v11; `GET /message/history`, paged here, in v5). */
  listMessages(conversationId: string, params: PageParams, callOptions?: CallOptions): Promise<Page<Message>>;
  /**
   * Sends a message and waits for the character's whole reply, which reaches subscribers as
   * `message.delta` events and one `message.created`. Resolves with your message as stored.
   * @throws {RateLimitError} when the quota is used up; `NetworkError` / `TimeoutError` when the reply
   * stream is cut or stalls (your message was sent: see {@link AuroraAdapter.streamReply}).
   */
  sendMessage(conversationId: string, message: OutgoingMessage, callOptions?: CallOptions): Promise<Message>;
  /**
   * Like `sendMessage`, but resolves as soon as Aurora accepted the message, with the reply as an
   * async iterator of text chunks. Validates like the Messenger does (text length in code points).
   */
  streamReply(
    conversationId: string,
    message: string | OutgoingMessage,
    callOptions?: CallOptions,
  ): Promise<AuroraReplyStream>;
  /** Registers a sink for the reply events of every send (no connection is opened). */
  subscribe(sink: EventSink, options?: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
}

/** Waits for `promise`, or rejects with the abort reason when `signal` aborts first. */
function waitFor(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/**
 * Creates the adapter for the Aurora AI chatbot API. A conversation is a chat between the user and
 * one AI character; the character answers every message with a reply streamed as server-sent events.
 *
 * Credentials: `username` + `password`, or `accessToken`, each falling back to `AURORA_USERNAME`,
 * `AURORA_PASSWORD`, `AURORA_ACCESS_TOKEN`.
 * @throws {InvalidRequestError} when no credentials are found, or a timeout is not a whole number
 * of milliseconds from 1 to 2^31 − 1.
 */
export function createAuroraAdapter(options: AuroraAdapterOptions = {}): AuroraAdapter {
  const credentials = resolveAuroraCredentials(options);
  const apiVersion = options.apiVersion ?? 'v11';
  const baseUrl = (options.baseUrl ?? auroraDefaultBaseUrls[apiVersion]).replace(/\/+$/, '');
  const { timeoutMs, firstByteTimeoutMs, idleTimeoutMs } = resolveAuroraTimeouts(options);
  const http = createHttpClient({
    provider: 'aurora',
    baseUrl: `${baseUrl}/api/${apiVersion}`,
    timeoutMs,
    auth: createAuroraAuth(credentials, (username, password, signal) =>
      api.login(username, password, signal),
    ),
    secrets: () => [credentials.password, credentials.accessToken],
    mapError: mapAuroraHttpError,
    retry: options.retry ?? {},
    ...(options.httpClient ? { axiosInstance: options.httpClient } : {}),
  });
  const api = createAuroraApi(http, apiVersion);
  const directory = createAuroraDirectory(api, credentials.username);
  const history = createAuroraHistory(api);
  const sinks = createAuroraEventSinks();
  const capabilities = auroraCapabilities(apiVersion);
  /** Aborted by `close()`: replies still streaming then stop with a `NetworkError`. */
  const closing = new AbortController();
  // Every reply in flight listens to `closing`; many at once is expected, not a leak.
  setMaxListeners(0, closing.signal);
  /** Per chat, the turn in progress: a chat with a character is turn-based, so sends to one chat queue. */
  const turns = new Map<string, Promise<void>>();
  /** Per chat, the newest message id this adapter's own last turn left there (see `startAuroraReply`). */
  const marks: AuroraTurnMarks = new Map();

  /**
   * Runs a call about one chat. v11 (and v5 for some operations) answers an unknown or foreign chat
   * with the generic 400 "malformed" literal, indistinguishable from a bad parameter: on such a 400
   * the chat list is read again, and a chat no longer in it is a `NotFoundError` (our parameters are
   * validated before any request, so the chat id is the one left to blame).
   */
  const inChat = async <T>(chatId: number, signal: AbortSignal | undefined, call: () => Promise<T>) => {
    try {
      return await call();
    } catch (error) {
      if (!InvalidRequestError.isInstance(error) || error.status !== 400) throw error;
      const chats = await directory.chats(signal).catch(() => undefined);
      if (!chats || chats.some((chat) => chat.chatId === chatId)) throw error;
      directory.remember(chatId, undefined);
      marks.delete(chatId);
      throw new NotFoundError(`aurora: no chat ${chatId} among this user's chats (Aurora answered 400).`, {
        provider: 'aurora',
        status: 400,
        ...(error.method === undefined ? {} : { method: error.method }),
        ...(error.url === undefined ? {} : { url: error.url }),
        cause: error,
      });
    }
  };

  /** The chat behind a conversation id, with both parties. */
  const openChat = async (conversationId: string, signal?: AbortSignal) => {
    const chatId = parseAuroraId(conversationId, 'conversationId');
    const characterId = await directory.characterOf(chatId, signal);
    const [self, character] = await Promise.all([
      directory.self(signal),
      directory.character(characterId, signal),
    ]);
    return { chatId, characterId, parties: { conversationId, self, character } };
  };

  const conversationOf = async (
    chat: { chatId: number; characterId: number },
    signal?: AbortSignal,
    updatedAt?: Date,
  ) => {
    const [self, character] = await Promise.all([
      directory.self(signal),
      directory.character(chat.characterId, signal),
    ]);
    return mapAuroraConversation(chat, self, character, updatedAt);
  };

  /** v11 only: v5's history has no message ids to delete by. */
  const deleteMessage = async (conversationId: string, messageId: string, callOptions?: CallOptions) => {
    const chatId = parseAuroraId(conversationId, 'conversationId');
    const id = parseAuroraId(messageId, 'messageId');
    // DELETE /message takes only the message id: check first that it is in this chat.
    const { messages } = await inChat(chatId, callOptions?.signal, () =>
      api.messages(chatId, 1, id, callOptions?.signal),
    );
    if (messages[0]?.id !== id)
      throw new NotFoundError(`aurora: no message ${messageId} in chat ${conversationId}.`, {
        provider: 'aurora',
      });
    await api.deleteMessage(id, callOptions?.signal);
  };

  const adapter: AuroraAdapter = {
    specificationVersion: 'v1',
    provider: 'aurora',
    apiVersion,
    capabilities,
    ...(apiVersion === 'v11' ? { deleteMessage } : {}),

    connect: (callOptions) => directory.connect(callOptions?.signal),

    async listConversations(params, callOptions) {
      const before = decodeCursor(params.cursor);
      const limit = params.limit ?? capabilities.pageSize.default;
      const chats = (await directory.chats(callOptions?.signal))
        .filter((chat) => before === undefined || chat.chatId < before)
        .sort((a, b) => b.chatId - a.chatId);
      const page = chats.slice(0, limit);
      const items = await Promise.all(page.map((chat) => conversationOf(chat, callOptions?.signal)));
      const last = page.at(-1);
      return chats.length > limit && last ? { items, nextCursor: encodeCursor(last.chatId) } : { items };
    },

    async getConversation(conversationId, callOptions) {
      const chatId = parseAuroraId(conversationId, 'conversationId');
      const characterId = await directory.characterOf(chatId, callOptions?.signal);
      const preview = await inChat(chatId, callOptions?.signal, () =>
        api.preview(chatId, callOptions?.signal),
      );
      return conversationOf(
        { chatId, characterId },
        callOptions?.signal,
        fromAuroraTimestamp(preview.timestamp),
      );
    },

    async openConversation({ participantIds }, callOptions) {
      if (participantIds.length !== 1)
        throw new InvalidRequestError(
          'An Aurora chat is with exactly one character: give one character id.',
          {
            provider: 'aurora',
            issues: [{ path: 'participantIds', message: 'must have exactly one entry' }],
          },
        );
      const characterId = parseAuroraId(participantIds[0]!, 'participantIds.0');
      await directory.character(characterId, callOptions?.signal).catch((error: unknown) => {
        throw InvalidRequestError.isInstance(error)
          ? new NotFoundError(`aurora: no character ${characterId}.`, { provider: 'aurora', cause: error })
          : error;
      });
      const existing = (await directory.chats(callOptions?.signal))
        .filter((chat) => chat.characterId === characterId)
        .sort((a, b) => b.chatId - a.chatId)[0];
      const chatId = existing?.chatId ?? (await api.initializeChat(characterId, callOptions?.signal));
      directory.remember(chatId, characterId);
      return conversationOf({ chatId, characterId }, callOptions?.signal);
    },

    async deleteConversation(conversationId, callOptions) {
      const chatId = parseAuroraId(conversationId, 'conversationId');
      await inChat(chatId, callOptions?.signal, () => api.deleteChat(chatId, callOptions?.signal));
      directory.remember(chatId, undefined);
      marks.delete(chatId);
    },

    async listMessages(conversationId, params, callOptions) {
      const chat = await openChat(conversationId, callOptions?.signal);
      const limit = params.limit ?? capabilities.pageSize.default;
      const page = await inChat(chat.chatId, callOptions?.signal, () =>
        history.page(chat.chatId, limit, params.cursor, callOptions?.signal),
      );
      const items = page.items.map((stored) => mapAuroraMessage(stored, chat.parties));
      return page.nextCursor === undefined ? { items } : { items, nextCursor: page.nextCursor };
    },

    async sendMessage(conversationId, message, callOptions) {
      const stream = await adapter.streamReply(conversationId, message, callOptions);
      await stream.reply;
      return stream.userMessage;
    },

    async streamReply(conversationId, message, callOptions) {
      // Attachments are refused here already: the manifest declares none.
      const { text, replyToId } = normalizeOutgoing(message, capabilities, 'aurora');
      if (replyToId !== undefined)
        throw new InvalidRequestError('aurora: messages cannot reply to another message.', {
          provider: 'aurora',
          issues: [{ path: 'replyToId', message: 'not supported by Aurora' }],
        });
      // Queue behind the chat's turn in progress, so that each reply is read back while it is the
      // newest turn in the chat (and the character answers messages in the order they were sent).
      const previous = turns.get(conversationId);
      let release!: () => void;
      const turn = new Promise<void>((resolve) => {
        release = () => {
          if (turns.get(conversationId) === turn) turns.delete(conversationId);
          resolve();
        };
      });
      turns.set(conversationId, turn);
      try {
        if (previous) await waitFor(previous, callOptions?.signal);
        const chat = await openChat(conversationId, callOptions?.signal);
        const signal = callOptions?.signal
          ? AbortSignal.any([callOptions.signal, closing.signal])
          : closing.signal;
        const stream = await inChat(chat.chatId, signal, () =>
          startAuroraReply(
            { api, history, emit: sinks.emit, firstByteTimeoutMs, idleTimeoutMs, marks },
            chat,
            text,
            signal,
          ),
        );
        stream.reply.then(release, release);
        return stream;
      } catch (error) {
        release();
        throw error;
      }
    },

    async subscribe(sink, subscribeOptions) {
      return sinks.add(sink, subscribeOptions);
    },

    async close() {
      closing.abort(
        new NetworkError(
          'aurora: the adapter was closed while a reply was streaming: the reply is incomplete.',
          {
            provider: 'aurora',
            retryable: false,
          },
        ),
      );
      sinks.clear();
      await http.close();
    },
  };
  return adapter;
}
