import { redactUrl } from '@switchboard/core';
import type { HttpClient, HttpStreamResponse } from '@switchboard/core/http';
import type { AuroraApiVersion } from './aurora-options.js';
import {
  accessTokenSchema,
  characterSchema,
  chatHistorySchema,
  chatPreviewSchema,
  chatsSchema,
  initializeChatSchema,
  messagesPageSchema,
  successSchema,
  userInfoSchema,
} from './aurora-schemas.js';

/**
 * The Aurora endpoints the adapter calls, one method each, over the HTTP toolkit (whose base URL
 * already ends in `/api/<version>`). Bodies are validated with the schemas in `aurora-schemas.ts`.
 */
export function createAuroraApi(http: HttpClient, version: AuroraApiVersion) {
  return {
    version,

    /** The full URL of an endpoint (credentials redacted), for errors raised outside the toolkit (a cut reply stream). */
    url: (path: string) => redactUrl(`${http.baseUrl}${path}`),

    /** `POST /login` (no token) → the access token. */
    async login(username: string, password: string, signal?: AbortSignal) {
      const data = await http.request({
        method: 'POST',
        path: '/login',
        body: { username, password },
        schema: accessTokenSchema,
        auth: false,
        idempotent: true,
        signal,
      });
      return data.accessToken;
    },

    /** `GET /user/info` (v11 only). */
    userInfo: (signal?: AbortSignal) =>
      http.request({ method: 'GET', path: '/user/info', schema: userInfoSchema, signal }),

    /** `GET /character?characterId=`. */
    character: (characterId: number, signal?: AbortSignal) =>
      http.request({
        method: 'GET',
        path: '/character',
        query: { characterId },
        schema: characterSchema,
        signal,
      }),

    /** `GET /chats`: every chat of the user. */
    async chats(signal?: AbortSignal) {
      const data = await http.request({
        method: 'GET',
        path: '/chats',
        schema: chatsSchema,
        signal,
      });
      return data.chats;
    },

    /** `POST /chat {characterId}` → the new chat's id. */
    async initializeChat(characterId: number, signal?: AbortSignal) {
      const data = await http.request({
        method: 'POST',
        path: '/chat',
        body: { characterId },
        schema: initializeChatSchema,
        signal,
      });
      return data.chatId;
    },

    /** `DELETE /chat?chatId=`: the chat and all its messages. */
    async deleteChat(chatId: number, signal?: AbortSignal) {
      await http.request({
        method: 'DELETE',
        path: '/chat',
        query: { chatId },
        schema: successSchema,
        signal,
      });
    },

    /** `GET /chat/preview?chatId=`: the newest message's text and timestamp. */
    preview: (chatId: number, signal?: AbortSignal) =>
      http.request({
        method: 'GET',
        path: '/chat/preview',
        query: { chatId },
        schema: chatPreviewSchema,
        signal,
      }),

    /** `GET /messages?chatId=&numMessages=&from=` (v11): newest first, ids ≤ `from`. */
    messages: (chatId: number, numMessages: number, from: number | undefined, signal?: AbortSignal) =>
      http.request({
        method: 'GET',
        path: '/messages',
        query: { chatId, numMessages, from },
        schema: messagesPageSchema,
        signal,
      }),

    /** `GET /message/history?chatId=` (v5): the whole chat, oldest first. */
    async history(chatId: number, signal?: AbortSignal) {
      const data = await http.request({
        method: 'GET',
        path: '/message/history',
        query: { chatId },
        schema: chatHistorySchema,
        signal,
      });
      return data.chatHistory;
    },

    /** `DELETE /message?messageId=`. */
    async deleteMessage(messageId: number, signal?: AbortSignal) {
      await http.request({
        method: 'DELETE',
        path: '/message',
        query: { messageId },
        schema: successSchema,
        signal,
      });
    },

    /**
     * `POST /message {characterId, chatId, message}` with `Accept: text/event-stream`. Resolves once
     * Aurora accepted the message (2xx headers, which must arrive within `timeoutMs` milliseconds);
     * the body is the reply stream (its content-type is checked by the caller).
     */
    sendMessage: (
      body: { characterId: number; chatId: number; message: string },
      options: { timeoutMs: number; signal?: AbortSignal },
    ): Promise<HttpStreamResponse> =>
      http.stream({
        method: 'POST',
        path: '/message',
        body,
        timeoutMs: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
  };
}

/** The typed Aurora endpoints. */
export type AuroraApi = ReturnType<typeof createAuroraApi>;
