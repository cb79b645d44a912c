import { encodePathSegment } from '@switchboard/core';
import type { HttpClient } from '@switchboard/core/http';
import { type BrevoMessage, brevoMessageSchema } from './brevo-schemas.js';

/** `POST /conversations/messages` body: `agentId`, or `agentEmail` + `agentName` + `receivedFrom`. */
export interface BrevoSendAsAgentBody {
  visitorId: string;
  text: string;
  agentId?: string;
  agentEmail?: string;
  agentName?: string;
  receivedFrom?: string;
}

/** `POST /conversations/pushedMessages` body: on behalf of `agentId`, a random agent of `groupId`, or any agent. */
export interface BrevoSendAutomatedBody {
  visitorId: string;
  text: string;
  agentId?: string;
  groupId?: string;
}

/** `POST /conversations/agentOnlinePing` body. */
export type BrevoAgentPingBody = Omit<BrevoSendAsAgentBody, 'visitorId' | 'text'>;

/** `/conversations/messages[/{id}]` or `/conversations/pushedMessages[/{id}]`; the id is one encoded segment. */
const path = (pushed: boolean, id?: string) =>
  `/conversations/${pushed ? 'pushedMessages' : 'messages'}${id === undefined ? '' : `/${encodePathSegment(id, 'messageId', 'brevo')}`}`;

/**
 * The nine Brevo Conversations endpoints, typed. Sends are not idempotent (never retried after an
 * ambiguous failure); reads, edits and deletes are. Every call goes through the adapter's
 * `HttpClient` (retries, `x-sib-ratelimit-*`, error mapping, redaction).
 */
export function createBrevoApi(http: HttpClient) {
  return {
    /** `POST /conversations/messages` (200 `ConversationsMessage`). */
    sendAsAgent: (body: BrevoSendAsAgentBody, signal?: AbortSignal): Promise<BrevoMessage> =>
      http.request({
        method: 'POST',
        path: path(false),
        body,
        schema: brevoMessageSchema,
        idempotent: false,
        signal,
      }),

    /** `POST /conversations/pushedMessages` (200 `ConversationsMessage` with `isPushed`). */
    sendAutomated: (body: BrevoSendAutomatedBody, signal?: AbortSignal): Promise<BrevoMessage> =>
      http.request({
        method: 'POST',
        path: path(true),
        body,
        schema: brevoMessageSchema,
        idempotent: false,
        signal,
      }),

    /** `GET /conversations/messages/{id}` or `/conversations/pushedMessages/{id}`. */
    get: (id: string, pushed: boolean, signal?: AbortSignal): Promise<BrevoMessage> =>
      http.request({ method: 'GET', path: path(pushed, id), schema: brevoMessageSchema, signal }),

    /** `PUT /conversations/messages/{id}` or `/conversations/pushedMessages/{id}` with `{ text }`. */
    update: (id: string, pushed: boolean, text: string, signal?: AbortSignal): Promise<BrevoMessage> =>
      http.request({
        method: 'PUT',
        path: path(pushed, id),
        body: { text },
        schema: brevoMessageSchema,
        signal,
      }),

    /** `DELETE /conversations/messages/{id}` or `/conversations/pushedMessages/{id}` (204). */
    remove: async (id: string, pushed: boolean, signal?: AbortSignal): Promise<void> => {
      await http.request({ method: 'DELETE', path: path(pushed, id), signal });
    },

    /** `POST /conversations/agentOnlinePing` (201, empty). Repeating it is harmless. */
    ping: async (body: BrevoAgentPingBody, signal?: AbortSignal): Promise<void> => {
      await http.request({
        method: 'POST',
        path: '/conversations/agentOnlinePing',
        body,
        idempotent: true,
        signal,
      });
    },
  };
}

/** The typed Brevo Conversations API. */
export type BrevoApi = ReturnType<typeof createBrevoApi>;
