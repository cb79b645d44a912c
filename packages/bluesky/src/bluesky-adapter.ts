import {
  type CallOptions,
  type ChatAdapter,
  type Conversation,
  createMemoryStateStore,
  createSubscriptionSet,
  InvalidRequestError,
  type Message,
  NotFoundError,
  type OutgoingMessage,
  type Page,
  type PageParams,
  type Participant,
} from '@switchboard/core';
import { blueskyCapabilities } from './bluesky-capabilities.js';
import { detectLinkFacets, detectMentionFacets } from './bluesky-facets.js';
import {
  assertGroupName,
  defaultGroupName,
  GROUP_NAME_LIMITS,
  GROUP_RENAME_LIMITS,
  MAX_BATCH_ITEMS,
  MAX_GROUP_MEMBERS_AT_CREATE,
} from './bluesky-group-limits.js';
import { type BlueskyGroupMethods, createBlueskyGroupMethods } from './bluesky-group-methods.js';
import { parseActor, resolveActor } from './bluesky-identity.js';
import { assertId, assertReactionValue, assertSendableText } from './bluesky-limits.js';
import { type BlueskyAdapterOptions, resolveBlueskyOptions } from './bluesky-options.js';
import { createBlueskyPagedQuery } from './bluesky-paged-query.js';
import { startBlueskyPoller } from './bluesky-poller.js';
import {
  acceptConvoOutputSchema,
  addMembersOutputSchema,
  convoOutputSchema,
  deletedMessageViewSchema,
  getConvoMembersOutputSchema,
  getLogOutputSchema,
  getMessagesOutputSchema,
  leaveConvoOutputSchema,
  listConvosOutputSchema,
  messageViewSchema,
  reactionOutputSchema,
  sendMessageBatchOutputSchema,
} from './bluesky-schemas.js';
import { createBlueskyTransport } from './bluesky-transport.js';
import { mapBlueskyConversation } from './map-bluesky-conversation.js';
import { mapBlueskyLog } from './map-bluesky-log.js';
import { mapBlueskyMessage, mapBlueskyMessages } from './map-bluesky-message.js';
import { indexProfiles, mapBlueskyParticipant } from './map-bluesky-participant.js';

/**
 * The Bluesky adapter: a {@link ChatAdapter} with every method its capabilities declare, plus the
 * Bluesky-only group operations of {@link BlueskyGroupMethods} (lock/unlock, join links, join
 * requests, mutual groups).
 */
export interface BlueskyAdapter extends ChatAdapter, BlueskyGroupMethods {
  readonly provider: 'bluesky';
  connect(callOptions?: CallOptions): Promise<Participant>;
  listConversations(params: PageParams, callOptions?: CallOptions): Promise<Page<Conversation>>;
  getConversation(conversationId: string, callOptions?: CallOptions): Promise<Conversation>;
  openConversation(
    params: { participantIds: string[]; title?: string },
    callOptions?: CallOptions,
  ): Promise<Conversation>;
  deleteConversation(conversationId: string, callOptions?: CallOptions): Promise<void>;
  muteConversation(conversationId: string, muted: boolean, callOptions?: CallOptions): Promise<Conversation>;
  listMessages(conversationId: string, params: PageParams, callOptions?: CallOptions): Promise<Page<Message>>;
  deleteMessage(conversationId: string, messageId: string, callOptions?: CallOptions): Promise<void>;
  markRead(conversationId: string, messageId?: string, callOptions?: CallOptions): Promise<void>;
  addReaction(
    conversationId: string,
    messageId: string,
    value: string,
    callOptions?: CallOptions,
  ): Promise<void>;
  removeReaction(
    conversationId: string,
    messageId: string,
    value: string,
    callOptions?: CallOptions,
  ): Promise<void>;
  subscribe: NonNullable<ChatAdapter['subscribe']>;
  close(): Promise<void>;
  addParticipants: NonNullable<ChatAdapter['addParticipants']>;
  removeParticipants: NonNullable<ChatAdapter['removeParticipants']>;
  updateConversation: NonNullable<ChatAdapter['updateConversation']>;
  listParticipants: NonNullable<ChatAdapter['listParticipants']>;
  sendMessageBatch: NonNullable<ChatAdapter['sendMessageBatch']>;
  /**
   * Accepts a conversation request (moves it from requests to accepted) with
   * `chat.bsky.convo.acceptConvo`. Bluesky-only. Resolves `false` when it was already accepted.
   * @throws {NotFoundError} for an unknown conversation.
   */
  acceptConversation(conversationId: string, callOptions?: CallOptions): Promise<boolean>;
}

/**
 * Creates the Bluesky direct-messages adapter. Nothing is sent until the first call (or `connect()`),
 * which logs in with `com.atproto.server.createSession` on `service`; later calls go to the PDS from
 * the session's DID document, chat calls with `atproto-proxy: <chatServiceDid>#bsky_chat`. Sessions
 * refresh by themselves (`refreshSession`, single-flight) and log in again when the refresh token died.
 *
 * Methods and the XRPC method each calls:
 * - `connect` → `com.atproto.server.createSession` (resolves with our own participant);
 * - `listConversations` → `chat.bsky.convo.listConvos`; `getConversation` → `getConvo`;
 * - `openConversation` → `com.atproto.identity.resolveHandle` for handles, then `getConvoForMembers`
 *   (one other participant, no title: the direct conversation) or `chat.bsky.group.createGroup`
 *   (two or more others, or a title: a new group; without a title it is named after the participants);
 * - `addParticipants` / `removeParticipants` → `chat.bsky.group.addMembers` / `removeMembers`;
 *   `updateConversation` → `chat.bsky.group.editGroup`; `listParticipants` → `getConvoMembers`;
 * - `sendMessageBatch` → `sendMessageBatch` (≤ 100 items, all-or-nothing, never retried when the
 *   outcome is unknown);
 * - the Bluesky-only group methods: see {@link BlueskyGroupMethods};
 * - `deleteConversation` → `leaveConvo` (for us only); `muteConversation` → `muteConvo` / `unmuteConvo`;
 * - `listMessages` → `getMessages` (newest first); `sendMessage` → `sendMessage` (never retried when
 *   the outcome is unknown); `deleteMessage` → `deleteMessageForSelf`; `markRead` → `updateRead`;
 * - `addReaction` / `removeReaction` → `addReaction` / `removeReaction`;
 * - `subscribe` → `getLog` polling (see `startBlueskyPoller`); `acceptConversation` → `acceptConvo`.
 *
 * Input is checked before any request (`InvalidRequestError`): ids, page size 1..100, text not blank,
 * ≤ 1000 graphemes and ≤ 10 000 UTF-8 bytes, no attachments or `replyToId` (Bluesky DMs cannot carry
 * them), reactions exactly one grapheme ≤ 64 bytes, participants DIDs or handles.
 *
 * @throws {InvalidRequestError} at creation when the identifier or password is missing (option, then
 * env `BLUESKY_IDENTIFIER` / `BLUESKY_APP_PASSWORD`) or an option is malformed.
 */
export function createBlueskyAdapter(options: BlueskyAdapterOptions = {}): BlueskyAdapter {
  const config = resolveBlueskyOptions(options);
  const store = options.store ?? createMemoryStateStore();
  const transport = createBlueskyTransport(config, options);
  const { auth, http, api } = transport;
  const subscriptions = createSubscriptionSet();
  const selfDid = async (signal?: AbortSignal) => (await auth.ensure(signal)).did;
  const pagedQuery = createBlueskyPagedQuery(api, selfDid);
  const resolveAll = async (values: string[], path: string, signal?: AbortSignal) => {
    if (!Array.isArray(values) || values.length === 0)
      throw new InvalidRequestError(`bluesky: give at least one participant (a DID or a handle).`, {
        provider: 'bluesky',
        issues: [{ path, message: 'expected at least one participant' }],
      });
    const actors = values.map(parseActor);
    return [...new Set(await Promise.all(actors.map((actor) => resolveActor(http, actor, signal))))];
  };
  const groupCall = async (
    nsid: string,
    conversationId: string,
    participantIds: string[],
    signal: AbortSignal | undefined,
  ) => {
    assertId(conversationId, 'conversationId');
    if (Array.isArray(participantIds)) for (const id of participantIds) parseActor(id);
    const session = await auth.ensure(signal);
    const members = await resolveAll(participantIds, 'participantIds', signal);
    const { convo } = await api.procedure(
      nsid,
      { convoId: conversationId, members },
      addMembersOutputSchema,
      { idempotent: true, signal },
    );
    return mapBlueskyConversation(convo, session.did);
  };

  /** Checks an outgoing message and builds its `messageInput` (links → facets). */
  const messageInput = (message: OutgoingMessage, path = '') => {
    if (message.attachments?.length)
      throw new InvalidRequestError('bluesky: direct messages cannot carry image or file attachments.', {
        provider: 'bluesky',
        issues: [{ path: `${path}attachments`, message: 'not supported by Bluesky DMs' }],
      });
    if (message.replyToId !== undefined)
      throw new InvalidRequestError('bluesky: replies to a message (`replyToId`) are not supported.', {
        provider: 'bluesky',
        issues: [{ path: `${path}replyToId`, message: 'not supported by this adapter' }],
      });
    assertSendableText(message.text);
    return message.text;
  };

  /**
   * The `messageInput` of checked text: links and resolved `@handle` mentions become facets (in text
   * order). A handle that does not resolve stays plain text; other resolution errors are thrown
   * (nothing was sent).
   */
  const withFacets = async (
    text: string,
    signal: AbortSignal | undefined,
    resolved = new Map<string, Promise<string | undefined>>(),
  ) => {
    const mentions = await detectMentionFacets(text, (handle) => {
      let did = resolved.get(handle);
      if (!did) {
        did = resolveActor(http, { handle }, signal).catch((error: unknown) => {
          if (NotFoundError.isInstance(error)) return undefined;
          throw error;
        });
        resolved.set(handle, did);
      }
      return did;
    });
    const facets = [...mentions, ...detectLinkFacets(text)].sort(
      (a, b) => a.index.byteStart - b.index.byteStart,
    );
    return { text, ...(facets.length ? { facets } : {}) };
  };

  const react = async (
    nsid: 'chat.bsky.convo.addReaction' | 'chat.bsky.convo.removeReaction',
    conversationId: string,
    messageId: string,
    value: string,
    signal: AbortSignal | undefined,
  ) => {
    assertId(conversationId, 'conversationId');
    assertId(messageId, 'messageId');
    assertReactionValue(value);
    await api.procedure(nsid, { convoId: conversationId, messageId, value }, reactionOutputSchema, {
      idempotent: true,
      signal,
    });
  };

  return {
    specificationVersion: 'v1',
    provider: 'bluesky',
    capabilities: blueskyCapabilities,

    async connect(callOptions) {
      const session = await auth.ensure(callOptions?.signal);
      return { id: session.did, handle: session.handle, kind: 'user', isSelf: true };
    },

    listConversations: (params, callOptions) =>
      pagedQuery(
        'chat.bsky.convo.listConvos',
        {},
        params,
        listConvosOutputSchema,
        (page, me) => page.convos.map((convo) => mapBlueskyConversation(convo, me)),
        callOptions?.signal,
      ),

    async getConversation(conversationId, callOptions) {
      assertId(conversationId, 'conversationId');
      const signal = callOptions?.signal;
      const session = await auth.ensure(signal);
      const { convo } = await api.query(
        'chat.bsky.convo.getConvo',
        { convoId: conversationId },
        convoOutputSchema,
        signal,
      );
      return mapBlueskyConversation(convo, session.did);
    },

    async openConversation(params, callOptions) {
      const ids = params.participantIds;
      if (!Array.isArray(ids) || ids.length === 0)
        throw new InvalidRequestError('bluesky: give at least one other participant (a DID or a handle).', {
          provider: 'bluesky',
          issues: [{ path: 'participantIds', message: 'expected at least one participant' }],
        });
      if (params.title !== undefined) assertGroupName(params.title, GROUP_NAME_LIMITS);
      if (ids.length > MAX_GROUP_MEMBERS_AT_CREATE + 1)
        throw new InvalidRequestError(
          `bluesky: a new group takes at most ${MAX_GROUP_MEMBERS_AT_CREATE} other participants; add more with addParticipants.`,
          { provider: 'bluesky', issues: [{ path: 'participantIds', message: 'too many participants' }] },
        );
      const actors = ids.map(parseActor);
      const signal = callOptions?.signal;
      const session = await auth.ensure(signal);
      const dids = await Promise.all(actors.map((actor) => resolveActor(http, actor, signal)));
      const others = [...new Set(dids)].filter((did) => did !== session.did);
      if (params.title === undefined && others.length === 1) {
        const { convo } = await api.query(
          'chat.bsky.convo.getConvoForMembers',
          { members: others },
          convoOutputSchema,
          signal,
        );
        return mapBlueskyConversation(convo, session.did);
      }
      if (others.length > MAX_GROUP_MEMBERS_AT_CREATE)
        throw new InvalidRequestError(
          `bluesky: a new group takes at most ${MAX_GROUP_MEMBERS_AT_CREATE} other participants; add more with addParticipants.`,
          { provider: 'bluesky', issues: [{ path: 'participantIds', message: 'too many participants' }] },
        );
      if (params.title === undefined && others.length === 0)
        throw new InvalidRequestError('bluesky: a conversation needs a participant other than yourself.', {
          provider: 'bluesky',
          issues: [{ path: 'participantIds', message: 'expected another participant' }],
        });
      const { convo } = await api.procedure(
        'chat.bsky.group.createGroup',
        { members: others, name: params.title ?? defaultGroupName(ids) },
        convoOutputSchema,
        // Not idempotent: each call creates a new group.
        { idempotent: false, signal },
      );
      return mapBlueskyConversation(convo, session.did);
    },

    async deleteConversation(conversationId, callOptions) {
      assertId(conversationId, 'conversationId');
      await api.procedure('chat.bsky.convo.leaveConvo', { convoId: conversationId }, leaveConvoOutputSchema, {
        idempotent: true,
        signal: callOptions?.signal,
      });
    },

    async muteConversation(conversationId, muted, callOptions) {
      assertId(conversationId, 'conversationId');
      const signal = callOptions?.signal;
      const session = await auth.ensure(signal);
      const nsid = muted ? 'chat.bsky.convo.muteConvo' : 'chat.bsky.convo.unmuteConvo';
      const { convo } = await api.procedure(nsid, { convoId: conversationId }, convoOutputSchema, {
        idempotent: true,
        signal,
      });
      return mapBlueskyConversation(convo, session.did);
    },

    async listMessages(conversationId, params, callOptions) {
      assertId(conversationId, 'conversationId');
      return pagedQuery(
        'chat.bsky.convo.getMessages',
        { convoId: conversationId },
        params,
        getMessagesOutputSchema,
        (page, me) =>
          mapBlueskyMessages(page.messages, conversationId, {
            selfDid: me,
            profiles: indexProfiles(page.relatedProfiles),
          }),
        callOptions?.signal,
      );
    },

    async sendMessage(conversationId, message: OutgoingMessage, callOptions) {
      assertId(conversationId, 'conversationId');
      const text = messageInput(message);
      const signal = callOptions?.signal;
      const session = await auth.ensure(signal);
      const input = await withFacets(text, signal);
      const view = await api.procedure(
        'chat.bsky.convo.sendMessage',
        { convoId: conversationId, message: input },
        messageViewSchema,
        { idempotent: false, signal },
      );
      const self = { did: session.did, handle: session.handle };
      return mapBlueskyMessage(view, conversationId, {
        selfDid: session.did,
        profiles: indexProfiles([self]),
      });
    },

    async deleteMessage(conversationId, messageId, callOptions) {
      assertId(conversationId, 'conversationId');
      assertId(messageId, 'messageId');
      await api.procedure(
        'chat.bsky.convo.deleteMessageForSelf',
        { convoId: conversationId, messageId },
        deletedMessageViewSchema,
        { idempotent: true, signal: callOptions?.signal },
      );
    },

    async markRead(conversationId, messageId, callOptions) {
      assertId(conversationId, 'conversationId');
      if (messageId !== undefined) assertId(messageId, 'messageId');
      await api.procedure(
        'chat.bsky.convo.updateRead',
        { convoId: conversationId, ...(messageId === undefined ? {} : { messageId }) },
        convoOutputSchema,
        { idempotent: true, signal: callOptions?.signal },
      );
    },

    addReaction: (conversationId, messageId, value, callOptions) =>
      react('chat.bsky.convo.addReaction', conversationId, messageId, value, callOptions?.signal),

    removeReaction: (conversationId, messageId, value, callOptions) =>
      react('chat.bsky.convo.removeReaction', conversationId, messageId, value, callOptions?.signal),

    addParticipants: (conversationId, participantIds, callOptions) =>
      groupCall('chat.bsky.group.addMembers', conversationId, participantIds, callOptions?.signal),

    removeParticipants: (conversationId, participantIds, callOptions) =>
      groupCall('chat.bsky.group.removeMembers', conversationId, participantIds, callOptions?.signal),

    async updateConversation(conversationId, update, callOptions) {
      assertId(conversationId, 'conversationId');
      assertGroupName(update?.title, GROUP_RENAME_LIMITS);
      const signal = callOptions?.signal;
      const session = await auth.ensure(signal);
      const { convo } = await api.procedure(
        'chat.bsky.group.editGroup',
        { convoId: conversationId, name: update.title },
        convoOutputSchema,
        { idempotent: true, signal },
      );
      return mapBlueskyConversation(convo, session.did);
    },

    async listParticipants(conversationId, params, callOptions) {
      assertId(conversationId, 'conversationId');
      return pagedQuery(
        'chat.bsky.convo.getConvoMembers',
        { convoId: conversationId },
        params,
        getConvoMembersOutputSchema,
        (page, me) => {
          const context = { selfDid: me, profiles: indexProfiles(page.members) };
          return page.members.map((member) => mapBlueskyParticipant(member.did, context));
        },
        callOptions?.signal,
      );
    },

    async sendMessageBatch(items, callOptions) {
      if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH_ITEMS)
        throw new InvalidRequestError(`bluesky: a batch has 1 to ${MAX_BATCH_ITEMS} messages.`, {
          provider: 'bluesky',
          issues: [{ path: 'items', message: `expected 1..${MAX_BATCH_ITEMS} items` }],
        });
      const texts = items.map((item, i) => {
        assertId(item.conversationId, `items.${i}.conversationId`);
        return messageInput(item.message, `items.${i}.`);
      });
      const signal = callOptions?.signal;
      const session = await auth.ensure(signal);
      const resolved = new Map<string, Promise<string | undefined>>();
      const inputs = await Promise.all(
        items.map(async (item, i) => ({
          convoId: item.conversationId,
          message: await withFacets(texts[i]!, signal, resolved),
        })),
      );
      const { items: views } = await api.procedure(
        'chat.bsky.convo.sendMessageBatch',
        { items: inputs },
        sendMessageBatchOutputSchema,
        { idempotent: false, signal },
      );
      const context = {
        selfDid: session.did,
        profiles: indexProfiles([{ did: session.did, handle: session.handle }]),
      };
      return views.map((view, i) => mapBlueskyMessage(view, items[i]?.conversationId ?? '', context));
    },

    ...createBlueskyGroupMethods(api, selfDid),

    async acceptConversation(conversationId, callOptions) {
      assertId(conversationId, 'conversationId');
      const { rev } = await api.procedure(
        'chat.bsky.convo.acceptConvo',
        { convoId: conversationId },
        acceptConvoOutputSchema,
        { idempotent: true, signal: callOptions?.signal },
      );
      return rev !== undefined;
    },

    async subscribe(sink, subscribeOptions = {}) {
      const session = await auth.ensure(subscribeOptions.signal);
      const poller = await startBlueskyPoller({
        fetchLog: (cursor, signal) =>
          api.query('chat.bsky.convo.getLog', { cursor }, getLogOutputSchema, signal),
        map: (entry) => mapBlueskyLog(entry, session.did),
        sink,
        onError: subscribeOptions.onError,
        store,
        // The hash tag {did} keeps the cursor, lease and seen revs in one Redis Cluster slot.
        storeKey: `bluesky:{${session.did}}:getLog.cursor`,
        intervalMs: config.pollIntervalMs,
        delivery: options.realtimeDelivery,
        lease: { ttlMs: options.pollerLeaseTtlMs },
        signal: subscribeOptions.signal,
      });
      return subscriptions.add(poller);
    },

    async close() {
      await subscriptions.closeAll();
      await transport.close();
    },
  };
}
