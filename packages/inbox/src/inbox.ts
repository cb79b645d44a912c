import {
  type CallOptions,
  type CapabilityName,
  type ChatEvent,
  type Conversation,
  InvalidRequestError,
  type IterateOptions,
  type Message,
  type Messenger,
  type OpenConversationParams,
  type OutgoingMessage,
  type PageParams,
  type SendOptions,
  SwitchboardError,
  type SwitchboardErrorCode,
  UnsupportedOperationError,
} from '@switchboard/core';
import { EventEmitter } from 'eventemitter3';
import {
  type ConversationRef,
  formatConversationRef,
  formatMessageRef,
  type MessageRef,
  toConversationRef,
} from './inbox-address.js';
import type {
  AccountHealth,
  AccountState,
  Inbox,
  InboxConversation,
  InboxConversationList,
  InboxConversationsOptions,
  InboxEvents,
  InboxMessage,
  InboxOptions,
  MissingAccount,
  UnreadCounts,
} from './inbox-types.js';
import { mergeByActivity } from './merge-by-activity.js';

/** Error codes that say "the provider is not answering as it should", as opposed to a bad call. */
const OUTAGE_CODES: ReadonlySet<SwitchboardErrorCode> = new Set<SwitchboardErrorCode>([
  'network',
  'timeout',
  'provider_unavailable',
  'rate_limited',
  'authentication',
  'permission_denied',
  'invalid_response',
]);

/** `true` for an error that makes an account `'degraded'` (see {@link AccountState}). */
export function isOutageError(error: unknown): boolean {
  return SwitchboardError.isInstance(error) && OUTAGE_CODES.has(error.code);
}

const DEFAULT_HEALTH_CHECK_MS = 30_000;

/** The latest activity of a conversation in ms since the epoch: `updatedAt`, else the last message's `sentAt`. */
export function conversationActivity(conversation: Conversation): number | undefined {
  const at = conversation.updatedAt ?? conversation.lastMessage?.sentAt;
  return at === undefined ? undefined : at.getTime();
}

/**
 * The default health check: one `listConversations` page of the smallest size the provider accepts
 * (e.g. `chat.bsky.convo.listConvos?limit=1`), or `connect()` for providers that cannot list.
 * Rejects with the call's `SwitchboardError`. Where the list is served locally (Brevo answers it
 * from its webhook store), pass a `probe` that reaches the provider instead, e.g. `connect()`.
 */
export async function listingProbe(messenger: Messenger): Promise<unknown> {
  if (messenger.supports('listConversations')) {
    return messenger.listConversations({ limit: messenger.capabilities.pageSize.min });
  }
  return messenger.connect();
}

interface AccountSlot {
  key: string;
  messenger: Messenger;
  state: AccountState;
  since: Date;
  lastError?: unknown;
  started: boolean;
  /** Realtime is declared but its start failed: retried on recovery. */
  realtimePending: boolean;
  probing: boolean;
  selfIds: Set<string>;
  unread: Map<string, number>;
  /**
   * Per conversation, the newest message the provider's `unreadCount` already covered when it was
   * listed: its `message.created` arriving later (realtime can lag the list) must not count twice.
   */
  counted: Map<string, { id: string; sentAt: number }>;
  detach: () => void;
}

/**
 * Creates an {@link Inbox} over several accounts (account key → `Messenger`), on one or several
 * providers. Nothing is sent until a method is called; `start()` connects and starts realtime.
 *
 * ```ts
 * const inbox = createInbox({ accounts: { support: createMessenger(brevo), social: createMessenger(bluesky) } });
 * inbox.on('message', ({ account, message }) => console.log(account, message.text));
 * await inbox.start();
 * for await (const item of inbox.conversations({ unreadOnly: true })) console.log(item.id, item.unreadCount);
 * ```
 * @throws {InvalidRequestError} when `accounts` is empty, a key is empty, or a value is not a Messenger.
 */
export function createInbox(options: InboxOptions): Inbox {
  const entries = Object.entries(options?.accounts ?? {});
  if (entries.length === 0) {
    throw new InvalidRequestError('createInbox needs at least one account.', {
      issues: [{ path: 'accounts', message: 'must map at least one account key to a Messenger' }],
    });
  }
  for (const [key, messenger] of entries) {
    if (key === '') {
      throw new InvalidRequestError('Account keys must be non-empty.', {
        issues: [{ path: 'accounts', message: 'empty key' }],
      });
    }
    if (typeof messenger?.supports !== 'function' || typeof messenger.on !== 'function') {
      throw new InvalidRequestError(`Account '${key}' is not a Messenger (use createMessenger(adapter)).`, {
        issues: [{ path: `accounts.${key}`, message: 'expected a Messenger' }],
      });
    }
  }
  const healthCheckMs = options.healthCheckIntervalMs ?? DEFAULT_HEALTH_CHECK_MS;
  const probe = options.probe ?? listingProbe;
  const emitter = new EventEmitter<InboxEvents>();
  const slots = new Map<string, AccountSlot>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const slotOf = (account: string): AccountSlot => {
    const slot = typeof account === 'string' ? slots.get(account) : undefined;
    if (!slot) {
      throw new InvalidRequestError(`Unknown inbox account '${String(account)}'.`, {
        issues: [{ path: 'account', message: `expected one of: ${[...slots.keys()].join(', ')}` }],
      });
    }
    return slot;
  };

  const healthOf = (slot: AccountSlot): AccountHealth => ({
    account: slot.key,
    provider: slot.messenger.provider,
    state: slot.state,
    ...(slot.lastError === undefined ? {} : { lastError: slot.lastError }),
    since: slot.since,
  });

  const setState = (slot: AccountSlot, state: AccountState) => {
    if (slot.state === state) return;
    slot.state = state;
    slot.since = new Date();
    emitter.emit('health', healthOf(slot));
  };

  const restartRealtime = async (slot: AccountSlot) => {
    try {
      await slot.messenger.start();
      slot.realtimePending = false;
      if (slot.started) setState(slot, 'connected');
      else await slot.messenger.stop(); // stop() came while it was starting
    } catch (error) {
      noteFailure(slot, error);
    }
  };

  /** Something reached the provider and came back fine. */
  const noteSuccess = (slot: AccountSlot) => {
    if (!slot.started || slot.state !== 'degraded') return;
    if (slot.realtimePending) void restartRealtime(slot);
    else setState(slot, 'connected');
  };

  const noteFailure = (slot: AccountSlot, error: unknown) => {
    if (!isOutageError(error)) return;
    slot.lastError = error;
    if (slot.started) setState(slot, 'degraded');
  };

  const track = async <T>(slot: AccountSlot, call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call();
      noteSuccess(slot);
      return result;
    } catch (error) {
      noteFailure(slot, error);
      throw error;
    }
  };

  const counts = (): UnreadCounts => {
    const byAccount: Record<string, number> = {};
    let total = 0;
    for (const slot of slots.values()) {
      let sum = 0;
      for (const n of slot.unread.values()) sum += n;
      byAccount[slot.key] = sum;
      total += sum;
    }
    return { total, byAccount };
  };

  const setUnread = (slot: AccountSlot, conversationId: string, count: number) => {
    const before = slot.unread.get(conversationId) ?? 0;
    if (count === 0) slot.unread.delete(conversationId);
    else slot.unread.set(conversationId, count);
    if (before !== count) {
      emitter.emit('unread', { ref: { account: slot.key, conversationId }, count, counts: counts() });
    }
  };

  const wrapMessage = (slot: AccountSlot, message: Message): InboxMessage => {
    const ref: MessageRef = {
      account: slot.key,
      conversationId: message.conversationId,
      messageId: message.id,
    };
    return { account: slot.key, ref, id: formatMessageRef(ref), message };
  };

  const wrapConversation = (slot: AccountSlot, conversation: Conversation): InboxConversation => {
    if (conversation.unreadCount !== undefined) {
      setUnread(slot, conversation.id, conversation.unreadCount);
      const last = conversation.lastMessage;
      if (last) slot.counted.set(conversation.id, { id: last.id, sentAt: last.sentAt.getTime() });
    }
    const ref: ConversationRef = { account: slot.key, conversationId: conversation.id };
    const activity = conversationActivity(conversation);
    return {
      account: slot.key,
      provider: slot.messenger.provider,
      ref,
      id: formatConversationRef(ref),
      conversation,
      ...(activity === undefined ? {} : { activityAt: new Date(activity) }),
      unreadCount: slot.unread.get(conversation.id) ?? 0,
    };
  };

  /** The listed `unreadCount` already included this message (it is the listed last one, or older). */
  const alreadyCounted = (slot: AccountSlot, conversationId: string, message: Message) => {
    const counted = slot.counted.get(conversationId);
    return counted !== undefined && (message.id === counted.id || message.sentAt.getTime() < counted.sentAt);
  };

  const onEvent = (slot: AccountSlot, event: ChatEvent) => {
    noteSuccess(slot);
    if (event.type === 'message.created') {
      if (event.message.sender.isSelf) slot.selfIds.add(event.message.sender.id);
      else if (!alreadyCounted(slot, event.conversationId, event.message)) {
        setUnread(slot, event.conversationId, (slot.unread.get(event.conversationId) ?? 0) + 1);
      }
    } else if (event.type === 'read' && event.readerId !== undefined && slot.selfIds.has(event.readerId)) {
      setUnread(slot, event.conversationId, 0);
    }
    emitter.emit('event', { account: slot.key, event });
  };

  for (const [key, messenger] of entries) {
    const slot: AccountSlot = {
      key,
      messenger,
      state: 'stopped',
      since: new Date(),
      started: false,
      realtimePending: false,
      probing: false,
      selfIds: new Set(),
      unread: new Map(),
      counted: new Map(),
      detach: () => {},
    };
    const event = (e: ChatEvent) => onEvent(slot, e);
    const message = (m: Message) => emitter.emit('message', wrapMessage(slot, m));
    const error = (e: unknown) => {
      noteFailure(slot, e);
      emitter.emit('error', { account: key, error: e });
    };
    messenger.on('event', event);
    messenger.on('message', message);
    messenger.on('error', error);
    slot.detach = () => {
      messenger.off('event', event);
      messenger.off('message', message);
      messenger.off('error', error);
    };
    slots.set(key, slot);
  }

  const checkHealth = async (slot: AccountSlot) => {
    if (slot.probing || !slot.started) return;
    slot.probing = true;
    try {
      await track(slot, () => probe(slot.messenger, slot.key));
    } catch (error) {
      if (slot.started) emitter.emit('error', { account: slot.key, error });
    } finally {
      slot.probing = false;
    }
  };

  const startAccount = async (slot: AccountSlot) => {
    slot.started = true;
    try {
      const self = await slot.messenger.connect();
      if (self) slot.selfIds.add(self.id);
      if (slot.messenger.supports('realtime')) {
        slot.realtimePending = true;
        await slot.messenger.start();
        slot.realtimePending = false;
      }
      if (slot.started) setState(slot, 'connected');
    } catch (error) {
      if (!isOutageError(error)) {
        // Not an outage (a bad configuration, say): still report it, but as degraded, since the account cannot work.
        slot.lastError = error;
        setState(slot, 'degraded');
      } else noteFailure(slot, error);
      emitter.emit('error', { account: slot.key, error });
    }
  };

  const refOf = (ref: ConversationRef | string) => {
    const typed = toConversationRef(ref);
    return { slot: slotOf(typed.account), conversationId: typed.conversationId };
  };

  const inbox = Object.assign(emitter, {
    accounts: Object.freeze(entries.map(([key]) => key)),

    messenger: (account: string) => slotOf(account).messenger,
    capabilities: (account: string) => slotOf(account).messenger.capabilities,
    supports: (account: string, capability: CapabilityName) => slotOf(account).messenger.supports(capability),

    conversations(listOptions: InboxConversationsOptions = {}): InboxConversationList {
      const { accounts, unreadOnly = false, limit, signal } = listOptions;
      const selected = (accounts ?? [...slots.keys()]).map(slotOf);
      const missing: MissingAccount[] = [];
      const pageSize = (slot: AccountSlot) => {
        if (limit === undefined) return undefined;
        const { min, max } = slot.messenger.capabilities.pageSize;
        return Math.min(max, Math.max(min, Math.trunc(limit)));
      };
      async function* accountList(slot: AccountSlot): AsyncGenerator<Conversation> {
        const size = pageSize(slot);
        const iterate: IterateOptions = {
          ...(size === undefined ? {} : { limit: size }),
          ...(signal ? { signal } : {}),
        };
        let first = true;
        try {
          for await (const conversation of slot.messenger.conversations(iterate)) {
            if (first) noteSuccess(slot);
            first = false;
            yield conversation;
          }
          if (first) noteSuccess(slot);
        } catch (error) {
          noteFailure(slot, error);
          throw error;
        }
      }
      return {
        get missing() {
          return missing;
        },
        async *[Symbol.asyncIterator]() {
          missing.length = 0;
          const listable = selected.filter((slot) => {
            if (slot.messenger.supports('listConversations')) return true;
            missing.push({
              account: slot.key,
              error: new UnsupportedOperationError(
                `The ${slot.messenger.provider} account '${slot.key}' cannot list conversations.`,
                { provider: slot.messenger.provider },
              ),
              afterItems: 0,
            });
            return false;
          });
          const merged = mergeByActivity(
            listable.map((slot) => ({ account: slot.key, items: accountList(slot) })),
            conversationActivity,
            (failure) => {
              if (signal?.aborted) return; // the caller's abort, not the account's failure
              missing.push(failure);
              emitter.emit('error', { account: failure.account, error: failure.error });
            },
          );
          for await (const { account, item } of merged) {
            signal?.throwIfAborted();
            const wrapped = wrapConversation(slotOf(account), item);
            if (unreadOnly && wrapped.unreadCount === 0) continue;
            yield wrapped;
          }
          signal?.throwIfAborted();
        },
      };
    },

    messages(ref: ConversationRef | string, iterate?: IterateOptions): AsyncIterable<InboxMessage> {
      const { slot, conversationId } = refOf(ref);
      return {
        async *[Symbol.asyncIterator]() {
          let first = true;
          try {
            for await (const message of slot.messenger.messages(conversationId, iterate)) {
              if (first) noteSuccess(slot);
              first = false;
              yield wrapMessage(slot, message);
            }
          } catch (error) {
            noteFailure(slot, error);
            throw error;
          }
        },
      };
    },

    async listMessages(ref: ConversationRef | string, params?: PageParams, call?: CallOptions) {
      const { slot, conversationId } = refOf(ref);
      const page = await track(slot, () => slot.messenger.listMessages(conversationId, params, call));
      return {
        items: page.items.map((message) => wrapMessage(slot, message)),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      };
    },

    async getConversation(ref: ConversationRef | string, call?: CallOptions) {
      const { slot, conversationId } = refOf(ref);
      const conversation = await track(slot, () => slot.messenger.getConversation(conversationId, call));
      return wrapConversation(slot, conversation);
    },

    async openConversation(account: string, params: OpenConversationParams, call?: CallOptions) {
      const slot = slotOf(account);
      const conversation = await track(slot, () => slot.messenger.openConversation(params, call));
      return wrapConversation(slot, conversation);
    },

    async send(ref: ConversationRef | string, message: string | OutgoingMessage, send?: SendOptions) {
      const { slot, conversationId } = refOf(ref);
      const sent = await track(slot, () => slot.messenger.send(conversationId, message, send));
      slot.selfIds.add(sent.sender.id);
      return wrapMessage(slot, sent);
    },

    async sendStreaming(
      ref: ConversationRef | string,
      message: string | OutgoingMessage,
      send?: SendOptions,
    ) {
      const { slot, conversationId } = refOf(ref);
      const stream = await track(slot, () => slot.messenger.sendStreaming(conversationId, message, send));
      // The answer streams on after this resolves: its outcome is news about the account too.
      stream.reply.then(
        () => noteSuccess(slot),
        (error: unknown) => noteFailure(slot, error),
      );
      return stream;
    },

    async edit(
      ref: ConversationRef | string,
      messageId: string,
      message: string | OutgoingMessage,
      call?: CallOptions,
    ) {
      const { slot, conversationId } = refOf(ref);
      const edited = await track(slot, () => slot.messenger.edit(conversationId, messageId, message, call));
      return wrapMessage(slot, edited);
    },

    async deleteMessage(ref: ConversationRef | string, messageId: string, call?: CallOptions) {
      const { slot, conversationId } = refOf(ref);
      await track(slot, () => slot.messenger.deleteMessage(conversationId, messageId, call));
    },

    async markRead(ref: ConversationRef | string, messageId?: string, call?: CallOptions) {
      const { slot, conversationId } = refOf(ref);
      await track(slot, () => slot.messenger.markRead(conversationId, messageId, call));
      setUnread(slot, conversationId, 0);
    },

    async react(ref: ConversationRef | string, messageId: string, value: string, call?: CallOptions) {
      const { slot, conversationId } = refOf(ref);
      await track(slot, () => slot.messenger.react(conversationId, messageId, value, call));
    },

    async unreact(ref: ConversationRef | string, messageId: string, value: string, call?: CallOptions) {
      const { slot, conversationId } = refOf(ref);
      await track(slot, () => slot.messenger.unreact(conversationId, messageId, value, call));
    },

    async handleWebhook(account: string, request: Request) {
      return slotOf(account).messenger.handleWebhook(request);
    },

    unread: counts,
    health: (account: string) => healthOf(slotOf(account)),
    healthAll: () => [...slots.values()].map(healthOf),

    async start() {
      if (closed) throw new InvalidRequestError('This inbox is closed.');
      const idle = [...slots.values()].filter((slot) => !slot.started);
      await Promise.all(idle.map(startAccount));
      if (healthCheckMs !== false && timer === undefined) {
        timer = setInterval(() => {
          for (const slot of slots.values()) void checkHealth(slot);
        }, healthCheckMs);
        timer.unref?.();
      }
    },

    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await Promise.allSettled(
        [...slots.values()].map(async (slot) => {
          slot.started = false;
          slot.realtimePending = false;
          setState(slot, 'stopped');
          await slot.messenger.stop();
        }),
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      await inbox.stop();
      for (const slot of slots.values()) slot.detach();
      await Promise.allSettled([...slots.values()].map((slot) => slot.messenger.close()));
    },
  });
  return inbox as Inbox;
}
