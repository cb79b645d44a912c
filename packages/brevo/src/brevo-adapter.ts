import {
  type ChatAdapter,
  type Conversation,
  createEventFanOut,
  createMemoryStateStore,
  InvalidRequestError,
  type Message,
  NotFoundError,
  type OutgoingMessage,
  type Page,
  type PageParams,
  type SendOptions,
  type SubscribeOptions,
  type Subscription,
  type WebhookResult,
} from '@switchboard/core';
import { createHttpClient } from '@switchboard/core/http';
import * as z from 'zod';
import { createBrevoApi } from './brevo-api.js';
import { brevoCapabilities } from './brevo-capabilities.js';
import { mapBrevoHttpError } from './brevo-error-body.js';
import { createBrevoIdentity } from './brevo-identity.js';
import { brevoIdProblem } from './brevo-ids.js';
import { type BrevoAdapterOptions, resolveBrevoOptions } from './brevo-options.js';
import { createBrevoPresence } from './brevo-presence.js';
import { readBrevoRateLimit } from './brevo-rate-limit.js';
import { createBrevoRecords, type StoredConversation } from './brevo-records.js';
import type { BrevoMessage } from './brevo-schemas.js';
import { createBrevoWebhookHandler } from './brevo-webhook-handler.js';
import { mapBrevoConversation } from './map-brevo-conversation.js';
import {
  mapBrevoMessage,
  type StoredMessage,
  toStoredMessage,
  visitorParticipant,
} from './map-brevo-message.js';

/**
 * Brevo's per-send options, passed as `providerOptions.brevo`:
 *
 * ```ts
 * await messenger.send(visitorId, 'Your order shipped', { providerOptions: { brevo: { automated: true } } });
 * ```
 */
export interface BrevoProviderOptions {
  /**
   * Send an automated message (order status, announcements…) through
   * `POST /conversations/pushedMessages` instead of a regular agent message. It is edited and
   * deleted through the pushed-messages endpoints by `editMessage` / `deleteMessage` as usual.
   */
  automated?: boolean;
  /** With `automated`: send on behalf of a random agent of this agent group (Brevo's `groupId`). */
  groupId?: string;
}

const brevoProviderOptionsSchema = z
  .object({ automated: z.boolean().optional(), groupId: z.string().min(1).optional() })
  .strict()
  .refine((o) => o.groupId === undefined || o.automated === true, {
    message: '`groupId` applies to automated messages only (set automated: true)',
    path: ['groupId'],
  });

/** Reads and checks `providerOptions.brevo`. */
function brevoSendOptions(options: SendOptions): BrevoProviderOptions {
  const parsed = brevoProviderOptionsSchema.safeParse(options.providerOptions?.brevo ?? {});
  if (parsed.success) return parsed.data;
  throw new InvalidRequestError('brevo: invalid providerOptions.brevo.', {
    provider: 'brevo',
    issues: parsed.error.issues.map((issue) => ({
      path: ['providerOptions', 'brevo', ...issue.path].join('.'),
      message: issue.message,
    })),
  });
}

/** The optional `ChatAdapter` methods the Brevo adapter implements (required on {@link BrevoAdapter}). */
type Implemented =
  | 'connect'
  | 'listConversations'
  | 'getConversation'
  | 'openConversation'
  | 'listMessages'
  | 'getMessage'
  | 'editMessage'
  | 'deleteMessage'
  | 'subscribe'
  | 'handleWebhook'
  | 'close';

/** The Brevo Conversations adapter: a `ChatAdapter` with every method it implements required. */
export interface BrevoAdapter
  extends Omit<ChatAdapter, Implemented>,
    Required<Pick<ChatAdapter, Implemented>> {
  readonly provider: 'brevo';
  /**
   * Sends `message.text` to the visitor `conversationId` as our agent (`POST /conversations/messages`,
   * marked with `receivedFrom`), or as an automated message with
   * `{ providerOptions: { brevo: { automated: true } } }` (`POST /conversations/pushedMessages`, see
   * {@link BrevoProviderOptions}). Records it and reports `message.created` to subscribers.
   * @throws {InvalidRequestError} for attachments (Brevo's API sends text only), bad
   * `providerOptions.brevo`, or a 400.
   */
  sendMessage(conversationId: string, message: OutgoingMessage, callOptions?: SendOptions): Promise<Message>;
}

/**
 * Creates the Brevo Conversations adapter.
 *
 * A conversation is one visitor: its id is Brevo's `visitorId`. Brevo has no list or history
 * endpoints, so the adapter records what webhooks deliver (and what it sends) in a `StateStore`;
 * mount `handleWebhook` (or `messenger.handleWebhook`) at the URL configured in Brevo, with the
 * secret as `?token=`. While subscribed, it keeps the agent online with `agentOnlinePing`.
 *
 * @throws {InvalidRequestError} when the API key (`BREVO_API_KEY`), webhook secret
 * (`BREVO_WEBHOOK_SECRET`) or agent is missing.
 */
export function createBrevoAdapter(options: BrevoAdapterOptions): BrevoAdapter {
  const config = resolveBrevoOptions(options);
  const http = createHttpClient({
    provider: 'brevo',
    baseUrl: config.baseUrl,
    headers: { 'api-key': config.apiKey },
    secrets: () => [config.apiKey, config.webhookSecret],
    mapError: mapBrevoHttpError,
    readRateLimit: readBrevoRateLimit,
    ...(options.httpClient && { axiosInstance: options.httpClient }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.retry !== undefined && { retry: options.retry }),
  });
  const api = createBrevoApi(http);
  const records = createBrevoRecords(options.store ?? createMemoryStateStore(), {
    seenTtlMs: config.dedupeTtlMs,
  });
  const hub = createEventFanOut();
  const identity = createBrevoIdentity(config.agent, config.receivedFrom);

  const presence =
    config.presenceIntervalMs === false
      ? undefined
      : createBrevoPresence({
          intervalMs: config.presenceIntervalMs,
          ping: (signal) => api.ping(identity.agentFields, signal),
          onError: hub.reportError,
        });

  const webhookHandler = createBrevoWebhookHandler({
    records,
    secret: config.webhookSecret,
    self: identity.self,
    selfParticipant: identity.participant,
    onError: hub.reportError,
    maxBodyBytes: config.webhookMaxBodyBytes,
  });

  /** The one id rule (see `brevoIdProblem`), for ids given to the API as for ids webhooks deliver. */
  const checkId = (id: unknown, path: string) => {
    const problem = brevoIdProblem(id, path);
    if (problem) throw problem;
  };

  const notFound = (what: string) => new NotFoundError(`brevo: ${what}`, { provider: 'brevo' });

  /** The recorded conversation of a visitor, created (without any request) when unknown. */
  const ensureConversation = async (visitorId: string, at: number): Promise<StoredConversation> => {
    const create = (): StoredConversation => ({
      visitorId,
      visitor: visitorParticipant(visitorId),
      agents: [],
      createdAt: at,
      updatedAt: at,
    });
    return (await records.upsertConversation(visitorId, create, (conversation) => conversation)).conversation;
  };

  /** Records a message we sent or edited: ours (`isSelf`), with the time of our edit if any. */
  const record = async (
    raw: BrevoMessage,
    conversationId: string,
    pushed: boolean,
    editedAt?: number,
  ): Promise<StoredMessage> => {
    const conversation = await ensureConversation(conversationId, raw.createdAt);
    const stored = toStoredMessage(raw, {
      visitorId: conversationId,
      visitor: conversation.visitor,
      self: identity.self(),
      pushed,
    });
    stored.sender = { ...stored.sender, isSelf: true };
    if (editedAt !== undefined) stored.editedAt = editedAt;
    await records.putMessage(stored);
    return stored;
  };

  /** GET a message from whichever endpoint has it (agent/visitor messages, then pushed messages). */
  const fetchMessage = async (messageId: string, signal?: AbortSignal) => {
    try {
      const raw = await api.get(messageId, false, signal);
      return { raw, pushed: raw.isPushed === true };
    } catch (error) {
      if (!NotFoundError.isInstance(error)) throw error;
      return { raw: await api.get(messageId, true, signal), pushed: true };
    }
  };

  /** Where a message lives (and its recorded copy), checking that it belongs to `conversationId`. */
  const locate = async (conversationId: string, messageId: string, signal?: AbortSignal) => {
    const stored = await records.getMessage(messageId);
    const fetched = stored ? undefined : await fetchMessage(messageId, signal);
    const visitorId = stored?.visitorId ?? fetched?.raw.visitorId;
    if (visitorId && visitorId !== conversationId) {
      throw notFound(`message ${messageId} is not in conversation ${conversationId}`);
    }
    return { stored, pushed: stored?.pushed ?? fetched!.pushed, raw: fetched?.raw };
  };

  const adapter: BrevoAdapter = {
    specificationVersion: 'v1',
    provider: 'brevo',
    capabilities: brevoCapabilities,

    async connect(callOptions) {
      await api.ping(identity.agentFields, callOptions?.signal);
      return identity.participant();
    },

    async listConversations(params: PageParams) {
      const page = await records.listConversations({
        ...(params.cursor !== undefined && { cursor: params.cursor }),
        limit: params.limit ?? brevoCapabilities.pageSize.default,
      });
      const items = page.items.map((stored) => mapBrevoConversation(stored, identity.participant()));
      return page.nextCursor === undefined ? { items } : { items, nextCursor: page.nextCursor };
    },

    async getConversation(conversationId) {
      checkId(conversationId, 'conversationId');
      const stored = await records.getConversation(conversationId);
      if (!stored) throw notFound(`no conversation with visitor ${conversationId} has been recorded`);
      return mapBrevoConversation(stored, identity.participant());
    },

    async openConversation(params): Promise<Conversation> {
      const [visitorId, ...others] = params.participantIds;
      if (!visitorId || others.length > 0) {
        throw new InvalidRequestError('brevo: a conversation has exactly one visitor; give one visitorId.', {
          provider: 'brevo',
          issues: [{ path: 'participantIds', message: 'must have exactly one entry' }],
        });
      }
      checkId(visitorId, 'participantIds.0');
      return mapBrevoConversation(await ensureConversation(visitorId, Date.now()), identity.participant());
    },

    async listMessages(conversationId, params): Promise<Page<Message>> {
      checkId(conversationId, 'conversationId');
      if (!(await records.getConversation(conversationId))) {
        throw notFound(`no conversation with visitor ${conversationId} has been recorded`);
      }
      const page = await records.listMessages(conversationId, {
        ...(params.cursor !== undefined && { cursor: params.cursor }),
        limit: params.limit ?? brevoCapabilities.pageSize.default,
      });
      const items = page.items.map(mapBrevoMessage);
      return page.nextCursor === undefined ? { items } : { items, nextCursor: page.nextCursor };
    },

    async getMessage(conversationId, messageId, callOptions) {
      checkId(conversationId, 'conversationId');
      checkId(messageId, 'messageId');
      const located = await locate(conversationId, messageId, callOptions?.signal);
      const { stored, pushed } = located;
      const raw = located.raw ?? (await api.get(messageId, pushed, callOptions?.signal));
      const conversation = await records.getConversation(conversationId);
      const fresh = toStoredMessage(raw, {
        visitorId: conversationId,
        visitor: conversation?.visitor ?? visitorParticipant(conversationId),
        self: identity.self(),
        pushed,
      });
      return mapBrevoMessage(stored ? { ...fresh, sender: stored.sender, editedAt: stored.editedAt } : fresh);
    },

    async sendMessage(conversationId, message, sendOptions = {}) {
      checkId(conversationId, 'conversationId');
      if (message.attachments?.length) {
        throw new InvalidRequestError("brevo: agents can send text only (Brevo's API has no attachments).", {
          provider: 'brevo',
          issues: [{ path: 'attachments', message: 'not supported' }],
        });
      }
      const { automated, groupId } = brevoSendOptions(sendOptions);
      const { signal } = sendOptions;
      const on =
        groupId !== undefined
          ? { groupId }
          : identity.agentId() !== undefined
            ? { agentId: identity.agentId() }
            : {};
      const raw = automated
        ? await api.sendAutomated({ visitorId: conversationId, text: message.text, ...on }, signal)
        : await api.sendAsAgent(
            { visitorId: conversationId, text: message.text, ...identity.agentFields },
            signal,
          );
      if (!automated) identity.learn(raw);
      const stored = await record(raw, conversationId, automated === true);
      const sent = mapBrevoMessage(stored);
      if (await records.markSeen(stored.id)) {
        hub.emit({ type: 'message.created', provider: 'brevo', conversationId, message: sent, raw });
      }
      return sent;
    },

    async editMessage(conversationId, messageId, message, callOptions) {
      checkId(conversationId, 'conversationId');
      checkId(messageId, 'messageId');
      const { pushed } = await locate(conversationId, messageId, callOptions?.signal);
      const raw = await api.update(messageId, pushed, message.text, callOptions?.signal);
      const edited = await record(raw, conversationId, pushed, Date.now());
      const updated = mapBrevoMessage(edited);
      hub.emit({ type: 'message.updated', provider: 'brevo', conversationId, message: updated, raw });
      return updated;
    },

    async deleteMessage(conversationId, messageId, callOptions) {
      checkId(conversationId, 'conversationId');
      checkId(messageId, 'messageId');
      const { pushed } = await locate(conversationId, messageId, callOptions?.signal);
      await api.remove(messageId, pushed, callOptions?.signal);
      await records.removeMessage(messageId, conversationId);
      hub.emit({ type: 'message.deleted', provider: 'brevo', conversationId, messageId });
    },

    async subscribe(sink, subscribeOptions: SubscribeOptions = {}): Promise<Subscription> {
      const subscriber = { sink, ...(subscribeOptions.onError && { onError: subscribeOptions.onError }) };
      hub.add(subscriber);
      presence?.start();
      const close = async () => {
        if (hub.remove(subscriber)) presence?.stop();
      };
      if (subscribeOptions.signal?.aborted) await close();
      else subscribeOptions.signal?.addEventListener('abort', () => void close(), { once: true });
      return { close };
    },

    async handleWebhook(request): Promise<WebhookResult> {
      const result = await webhookHandler(request);
      for (const event of result.events) hub.emit(event);
      return result;
    },

    async close() {
      presence?.stop();
      hub.clear();
      await http.close();
    },
  };
  return adapter;
}
