import type { CallOptions } from '@switchboard/core';
import { createHttpClient, type HttpClient } from '@switchboard/core/http';
import { type ChatsApiAuth, createChatsApiAuth } from './chats-api-auth.js';
import { mapChatsApiHttpError } from './chats-api-error-body.js';
import type { ChatsApiAdapterOptions, ResolvedChatsApiOptions } from './chats-api-options.js';
import {
  type ChatDetail,
  type ChatPreviewPage,
  type ChatWithMessagesPage,
  chatDetailSchema,
  chatPreviewPageSchema,
  chatWithMessagesPageSchema,
  type MessageOut,
  messageOutSchema,
  tokenSchema,
  type UserPublic,
  type UserSearchPage,
  userPublicSchema,
  userSearchPageSchema,
} from './chats-api-schemas.js';

/** `ChatCreate`, the body of `POST /chats`. */
export interface ChatCreate {
  user_ids: string[];
  name?: string | null;
}

/** `MessageCreate`, the body of `POST /chats/{chat_id}/messages` (and of a WebSocket `message`). */
export interface MessageCreate {
  text_content?: string | null;
  image_content?: string | null;
}

/** The REST endpoints the adapter calls, typed and validated. Every call goes through the HTTP toolkit. */
export interface ChatsApiApi {
  readonly http: HttpClient;
  readonly auth: ChatsApiAuth;
  /** `GET /me`. */
  me(options?: CallOptions): Promise<UserPublic>;
  /** `GET /search?q=&limit=`: users whose username or name starts with `q` (never ourselves). */
  searchUsers(q: string, limit: number, options?: CallOptions): Promise<UserSearchPage>;
  /** `GET /chats?limit=&offset=`: latest activity first. */
  listChats(limit: number, offset: number, options?: CallOptions): Promise<ChatPreviewPage>;
  /** `POST /chats` (201). */
  createChat(body: ChatCreate, options?: CallOptions): Promise<ChatDetail>;
  /** `GET /chats/{chat_id}?limit=&offset=`: the chat and one page of messages, newest first. */
  getChat(
    chatId: string,
    limit: number,
    offset: number,
    options?: CallOptions,
  ): Promise<ChatWithMessagesPage>;
  /** `POST /chats/{chat_id}/messages` (201). Not broadcast over the WebSocket by the server. */
  postMessage(chatId: string, body: MessageCreate, options?: CallOptions): Promise<MessageOut>;
}

/** Creates the REST client: the toolkit's HTTP client with chats-api auth, errors and secrets. */
export function createChatsApiApi(
  resolved: ResolvedChatsApiOptions,
  options: Pick<ChatsApiAdapterOptions, 'timeoutMs' | 'retry' | 'httpClient' | 'rateLimitState'>,
): ChatsApiApi {
  const { credentials } = resolved;
  // OAuth2 password flow: the form of `POST /token` (the same as `POST /login`'s JSON, form-encoded).
  const auth = createChatsApiAuth(credentials, async (username, password, signal) => {
    const token = await http.request({
      method: 'POST',
      path: '/token',
      body: new URLSearchParams({ grant_type: 'password', username, password }),
      schema: tokenSchema,
      auth: false,
      idempotent: true,
      signal,
    });
    http.addSecret(token.access_token);
    return token.access_token;
  });
  const http: HttpClient = createHttpClient({
    provider: 'chats-api',
    baseUrl: resolved.baseUrl,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    axiosInstance: options.httpClient,
    rateLimitState: options.rateLimitState,
    auth: auth.strategy,
    mapError: mapChatsApiHttpError,
    secrets: () => (credentials.kind === 'password' ? [credentials.password] : [credentials.accessToken]),
  });
  const chatPath = (chatId: string) => `/chats/${encodeURIComponent(chatId)}`;

  return {
    http,
    auth,
    me: (o) => http.request({ method: 'GET', path: '/me', schema: userPublicSchema, signal: o?.signal }),
    searchUsers: (q, limit, o) =>
      http.request({
        method: 'GET',
        path: '/search',
        query: { q, limit },
        schema: userSearchPageSchema,
        signal: o?.signal,
      }),
    listChats: (limit, offset, o) =>
      http.request({
        method: 'GET',
        path: '/chats',
        query: { limit, offset },
        schema: chatPreviewPageSchema,
        signal: o?.signal,
      }),
    createChat: (body, o) =>
      // Creating a direct chat twice returns the same chat, so a retry cannot duplicate it; a group could.
      http.request({ method: 'POST', path: '/chats', body, schema: chatDetailSchema, signal: o?.signal }),
    getChat: (chatId, limit, offset, o) =>
      http.request({
        method: 'GET',
        path: chatPath(chatId),
        query: { limit, offset },
        schema: chatWithMessagesPageSchema,
        signal: o?.signal,
      }),
    postMessage: (chatId, body, o) =>
      http.request({
        method: 'POST',
        path: `${chatPath(chatId)}/messages`,
        body,
        schema: messageOutSchema,
        signal: o?.signal,
      }),
  };
}
