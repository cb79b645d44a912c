import {
  type CallOptions,
  type ChatAdapter,
  invalidRequest,
  type Message,
  NotFoundError,
  type OutgoingMessage,
  type Participant,
  type SubscribeOptions,
} from '@switchboard/core';
import { type ChatsApiApi, createChatsApiApi, type MessageCreate } from './chats-api-api.js';
import {
  chatsApiCapabilities,
  MAX_CHAT_NAME_LENGTH,
  MAX_IMAGE_URL_LENGTH,
  PAGE_SIZE,
} from './chats-api-capabilities.js';
import { connectChatsApiSocket } from './chats-api-connect.js';
import { decodeCursor, encodeCursor } from './chats-api-cursor.js';
import { type ChatsApiAdapterOptions, resolveChatsApiOptions } from './chats-api-options.js';
import { type ChatsApiRealtime, startChatsApiRealtime } from './chats-api-realtime.js';
import type { ChatDetail, ChatWithMessagesPage, UserPublic } from './chats-api-schemas.js';
import {
  mapChatsApiConversation,
  mapChatsApiConversationPreview,
  participantsOf,
} from './map-chats-api-conversation.js';
import { mapChatsApiMessage } from './map-chats-api-message.js';
import { mapChatsApiParticipant } from './map-chats-api-participant.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const invalid = (path: string, message: string) => invalidRequest(path, message, { provider: 'chats-api' });

/** `OutgoingMessage` → `MessageCreate`: the text, and at most one image as `image_content`. */
function toMessageCreate(message: OutgoingMessage): MessageCreate {
  if (message.replyToId !== undefined) throw invalid('replyToId', 'the chats API has no replies.');
  const attachments = message.attachments ?? [];
  if (attachments.length > 1 || attachments.some((a) => a.kind !== 'image'))
    throw invalid('attachments', 'the chats API takes at most one image per message.');
  const image = attachments[0]?.url ?? null;
  if (image !== null && image.length > MAX_IMAGE_URL_LENGTH)
    throw invalid('attachments.0.url', `an image URL is at most ${MAX_IMAGE_URL_LENGTH} characters.`);
  return { text_content: message.text || null, image_content: image };
}

/** The operations the chats API adapter implements (every one its capability manifest declares). */
type Implemented =
  | 'connect'
  | 'listConversations'
  | 'getConversation'
  | 'openConversation'
  | 'listMessages'
  | 'sendMessage'
  | 'markRead'
  | 'subscribe'
  | 'close';

/**
 * The chats API adapter: a `ChatAdapter` whose implemented operations are not optional, so callers
 * holding it need no `?.` (declared like `BlueskyAdapter`, `BrevoAdapter` and `AuroraAdapter`).
 */
export interface ChatsApiAdapter
  extends Omit<ChatAdapter, Implemented>,
    Required<Pick<ChatAdapter, Implemented>> {
  readonly provider: 'chats-api';
}

/**
 * Creates the adapter for the FastAPI chats server ("ITAM Chat Backend": REST + the `/ws` WebSocket).
 *
 * Credentials: `{ baseUrl, username, password }` (logs in with `POST /token`, and once more on a 401:
 * there is no refresh endpoint) or `{ baseUrl, accessToken }` (a 401 is final). Missing options fall
 * back to `CHATS_API_URL`, `CHATS_API_USERNAME`, `CHATS_API_PASSWORD`, `CHATS_API_TOKEN`.
 *
 * Sends go over the WebSocket while `subscribe` runs (so other members see them live), confirmed by
 * the server's broadcast echo; otherwise over `POST /chats/{id}/messages`, which the server does not
 * broadcast. See `docs/adapters/chats-api.md` for every behaviour and limit.
 * @throws {InvalidRequestError} when the base URL or the credentials are missing (option and env).
 */
export function createChatsApiAdapter(options: ChatsApiAdapterOptions = {}): ChatsApiAdapter {
  const resolved = resolveChatsApiOptions(options);
  const api: ChatsApiApi = createChatsApiApi(resolved, options);
  const subscriptions = new Set<ChatsApiRealtime>();
  /** Every user met in a response, to name the senders of live messages (frames carry only ids). */
  const participants = new Map<string, Participant>();
  const remember = (chat: ChatDetail, me: string) => {
    for (const [id, participant] of participantsOf(chat, me)) participants.set(id, participant);
  };
  let self: Promise<UserPublic> | undefined;

  /** `GET /me`, once. */
  const me = (signal?: AbortSignal) => {
    self ??= api.me({ signal }).catch((error) => {
      self = undefined;
      throw error;
    });
    return self;
  };
  const selfId = async (signal?: AbortSignal) => (await me(signal)).id;

  /** An open realtime socket subscribed to `chatId`, if one is running. */
  const liveSocket = async (chatId: string) => {
    for (const realtime of subscriptions) {
      if (!realtime.socket) continue;
      await realtime.track(chatId);
      if (realtime.socket) return realtime.socket;
    }
    return undefined;
  };

  /** A user id, or a username (`@` optional) resolved through `GET /search`. */
  const resolveUser = async (participant: string, callOptions?: CallOptions) => {
    if (UUID.test(participant)) return participant;
    const username = participant.replace(/^@/, '');
    const page = await api.searchUsers(username, PAGE_SIZE.max, callOptions);
    const found =
      page.items.find((user) => user.username === username) ??
      page.items.find((user) => user.username.toLowerCase() === username.toLowerCase());
    if (!found) throw new NotFoundError(`chats-api: no user named "${username}".`, { provider: 'chats-api' });
    return found.id;
  };

  const messagesOf = (page: ChatWithMessagesPage, me: string): Message[] => {
    remember(page.chat, me);
    return page.messages.map((message) => mapChatsApiMessage(message, me, participants));
  };

  return {
    specificationVersion: 'v1',
    provider: 'chats-api',
    capabilities: chatsApiCapabilities,

    /** `GET /me` (logging in first with a password). */
    async connect(callOptions) {
      const user = await me(callOptions?.signal);
      return mapChatsApiParticipant(user, user.id);
    },

    /** `GET /chats?limit&offset`, latest activity first; previews carry no participants. */
    async listConversations({ cursor, limit = PAGE_SIZE.default }, callOptions) {
      const offset = decodeCursor(cursor)?.offset ?? 0;
      const [page, me] = await Promise.all([
        api.listChats(limit, offset, callOptions),
        selfId(callOptions?.signal),
      ]);
      const next = offset + page.items.length;
      return {
        items: page.items.map((chat) => mapChatsApiConversationPreview(chat, me)),
        ...(page.items.length > 0 && next < page.total
          ? { nextCursor: encodeCursor({ offset: next, total: page.total }) }
          : {}),
      };
    },

    /** `GET /chats/{id}?limit=1`: the chat, its members and its last message. */
    async getConversation(conversationId, callOptions) {
      const [page, me] = await Promise.all([
        api.getChat(conversationId, 1, 0, callOptions),
        selfId(callOptions?.signal),
      ]);
      return mapChatsApiConversation(page.chat, me, messagesOf(page, me)[0]);
    },

    /**
     * `POST /chats` with the participants' ids (usernames are resolved through `GET /search`). One
     * other participant and no title: the direct chat (the same one every time); a title or more
     * participants: a new group.
     */
    async openConversation({ participantIds, title }, callOptions) {
      if (title !== undefined && [...title].length > MAX_CHAT_NAME_LENGTH)
        throw invalid('title', `a chat name is at most ${MAX_CHAT_NAME_LENGTH} characters.`);
      const userIds = await Promise.all(participantIds.map((p) => resolveUser(p, callOptions)));
      const [chat, me] = await Promise.all([
        api.createChat({ user_ids: userIds, name: title ?? null }, callOptions),
        selfId(callOptions?.signal),
      ]);
      // The server does not subscribe running sockets to chats created after they connected.
      for (const realtime of subscriptions) await realtime.track(chat.id).catch(() => undefined);
      remember(chat, me);
      return mapChatsApiConversation(chat, me);
    },

    /**
     * `GET /chats/{id}?limit&offset`, newest first. The cursor keeps the total seen, so messages that
     * arrive between two pages shift the offset instead of repeating a message.
     */
    async listMessages(conversationId, { cursor, limit = PAGE_SIZE.default }, callOptions) {
      const start = decodeCursor(cursor);
      let offset = start?.offset ?? 0;
      let total = start?.total;
      let page = await api.getChat(conversationId, limit, offset, callOptions);
      for (let tries = 0; total !== undefined && page.total > total && tries < 3; tries += 1) {
        offset += page.total - total;
        total = page.total;
        page = await api.getChat(conversationId, limit, offset, callOptions);
      }
      const me = await selfId(callOptions?.signal);
      const next = offset + page.messages.length;
      return {
        items: messagesOf(page, me),
        ...(page.messages.length > 0 && next < page.total
          ? { nextCursor: encodeCursor({ offset: next, total: page.total }) }
          : {}),
      };
    },

    /**
     * Over the realtime WebSocket when `subscribe` runs (a `message` event, confirmed by its broadcast
     * echo within `confirmTimeoutMs`; never retried, as it may have been sent), else
     * `POST /chats/{id}/messages` (not broadcast by the server).
     */
    async sendMessage(conversationId, message, callOptions) {
      const body = toMessageCreate(message);
      const me = await selfId(callOptions?.signal);
      const socket = await liveSocket(conversationId);
      const sent = socket
        ? await socket.sendMessage(conversationId, body)
        : await api.postMessage(conversationId, body, callOptions);
      return mapChatsApiMessage(sent, me, participants);
    },

    /**
     * Sends a `seen` event (over the realtime socket, or a short-lived one) and waits for its echo:
     * for every message of others in the newest 100 that we have not seen, up to `messageId` when
     * given (that message and the older ones; `messageId` alone when it is not among the newest 100).
     */
    async markRead(conversationId, messageId, callOptions) {
      const me = await selfId(callOptions?.signal);
      const newest = (await api.getChat(conversationId, PAGE_SIZE.max, 0, callOptions)).messages;
      // Newest first: "up to messageId" is that message and everything after it in the page. The ids
      // go out oldest first: the `seen` frame's ids become `read` events in that order, so the last
      // one names the message read up to (newest first would move the read marker back).
      const from = messageId === undefined ? 0 : newest.findIndex((m) => m.id === messageId);
      const ids =
        from < 0
          ? [messageId!]
          : newest
              .slice(from)
              .filter((m) => m.from_user_id !== me && !m.seen_by.some((s) => s.user_id === me))
              .map((m) => m.id)
              .reverse();
      if (ids.length === 0) return;
      const live = await liveSocket(conversationId);
      if (live) return live.seen(conversationId, ids);
      const noop = () => undefined;
      const socket = await connectChatsApiSocket(
        api,
        resolved,
        me,
        { onFrame: noop, onError: noop, onClose: noop },
        callOptions?.signal,
      );
      try {
        await socket.seen(conversationId, ids);
      } finally {
        await socket.close();
      }
    },

    /** Realtime over `/ws`: see `startChatsApiRealtime`. */
    async subscribe(sink, { signal, onError = () => undefined }: SubscribeOptions = {}) {
      const realtime = await startChatsApiRealtime({
        api,
        options: resolved,
        selfId: await selfId(signal),
        participants,
        sink,
        onError,
      });
      subscriptions.add(realtime);
      // The caller's signal may outlive this subscription: the listener goes when it closes.
      const onAbort = () => void close();
      const close = async () => {
        signal?.removeEventListener('abort', onAbort);
        subscriptions.delete(realtime);
        await realtime.close();
      };
      if (signal?.aborted) await close();
      else signal?.addEventListener('abort', onAbort, { once: true });
      return { close };
    },

    async close() {
      await Promise.all([...subscriptions].map((realtime) => realtime.close()));
      subscriptions.clear();
      await api.http.close();
    },
  };
}
