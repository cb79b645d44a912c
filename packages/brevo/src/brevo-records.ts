import { createCursorCodec, invalidRequest, type Participant, type StateStore } from '@switchboard/core';
import * as z from 'zod';
import type { StoredMessage } from './map-brevo-message.js';

/**
 * A conversation as the adapter records it: Brevo has no list or history endpoints, so everything
 * the adapter knows about a visitor's thread comes from webhooks and our own sends. JSON-safe.
 */
export interface StoredConversation {
  /** The conversation id: Brevo's `visitorId`. */
  visitorId: string;
  /** The webhooks' `conversationId`, once a webhook named it. */
  brevoConversationId?: string;
  visitor: Participant;
  /** Agents seen in the thread (webhook `agents[]`, message senders). */
  agents: Participant[];
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the newest activity (orders `listConversations`). */
  updatedAt: number;
  lastMessage?: StoredMessage;
  /** A transcript arrived: the chat finished (a new message reopens it). */
  closed?: boolean;
  /** The last webhook's `visitor` and `conversationStartPage`. */
  raw?: unknown;
}

/** One page of records, with the opaque cursor of the next. */
export interface RecordPage<T> {
  items: T[];
  nextCursor?: string;
}

const PREFIX = 'brevo:';
const enc = encodeURIComponent;
/** Epoch ms padded so that keys sort chronologically. */
const pad = (ms: number) => String(Math.max(0, Math.trunc(ms))).padStart(15, '0');

const keys = {
  conversation: (visitorId: string) => `${PREFIX}conversation:${enc(visitorId)}`,
  activityPrefix: `${PREFIX}activity:`,
  activity: (c: StoredConversation) => `${PREFIX}activity:${pad(c.updatedAt)}:${enc(c.visitorId)}`,
  messagePrefix: (visitorId: string) => `${PREFIX}message:${enc(visitorId)}:`,
  message: (m: StoredMessage) => `${PREFIX}message:${enc(m.visitorId)}:${pad(m.createdAt)}:${enc(m.id)}`,
  messageId: (id: string) => `${PREFIX}message-id:${enc(id)}`,
  seen: (id: string) => `${PREFIX}seen:${enc(id)}`,
};

/** Cursors are `{ k: <last store key of the page> }`; a cursor of another list is refused. */
const cursors = createCursorCodec(z.object({ k: z.string() }), { provider: 'brevo' });
const encodeCursor = (key: string): string => cursors.encode({ k: key });

function decodeCursor(cursor: string | undefined, prefix: string): string | undefined {
  const decoded = cursors.decode(cursor);
  if (decoded === undefined || decoded.k.startsWith(prefix)) return decoded?.k;
  throw invalidRequest(
    'cursor',
    'not a cursor of this list: pass the nextCursor of a previous page of the same list.',
    {
      provider: 'brevo',
    },
  );
}

/**
 * Walks `prefix` keys newest first from `cursor`, loading each until `limit` items are found.
 * `load` returns `undefined` for keys to skip (stale index entries).
 */
async function page<T>(
  store: StateStore,
  prefix: string,
  params: { cursor?: string; limit: number },
  load: (key: string) => Promise<T | undefined>,
): Promise<RecordPage<T>> {
  const before = decodeCursor(params.cursor, prefix);
  const all = (await store.keys(prefix)).filter((key) => before === undefined || key < before).reverse();
  const items: T[] = [];
  let index = 0;
  while (index < all.length && items.length < params.limit) {
    const item = await load(all[index]!);
    index += 1;
    if (item !== undefined) items.push(item);
  }
  return index < all.length ? { items, nextCursor: encodeCursor(all[index - 1]!) } : { items };
}

/** Options of {@link createBrevoRecords}. */
export interface BrevoRecordsOptions {
  /** How long a delivered message id is remembered for dedupe, in ms. */
  seenTtlMs: number;
}

/** The adapter's view of the `StateStore`: conversations, messages (by visitor, chronological) and dedupe keys. */
export type BrevoRecords = ReturnType<typeof createBrevoRecords>;

/** Creates the record layer over a `StateStore` (all keys start with `brevo:`). */
export function createBrevoRecords(store: StateStore, options: BrevoRecordsOptions) {
  /** Per-visitor queue, so read-modify-writes of one conversation never interleave in this process. */
  const queues = new Map<string, Promise<unknown>>();
  const serialize = <T>(visitorId: string, work: () => Promise<T>): Promise<T> => {
    const run = (queues.get(visitorId) ?? Promise.resolve()).then(work, work);
    const settled = run.catch(() => undefined);
    queues.set(visitorId, settled);
    void settled.then(() => {
      if (queues.get(visitorId) === settled) queues.delete(visitorId);
    });
    return run;
  };

  const getConversation = (visitorId: string) => store.get<StoredConversation>(keys.conversation(visitorId));

  const saveConversation = async (previous: StoredConversation | undefined, next: StoredConversation) => {
    await store.set(keys.conversation(next.visitorId), next);
    const oldKey = previous && keys.activity(previous);
    if (oldKey !== keys.activity(next)) {
      await store.set(keys.activity(next), 1);
      if (oldKey) await store.delete(oldKey);
    }
  };

  const getMessage = async (messageId: string): Promise<StoredMessage | undefined> => {
    const key = await store.get<string>(keys.messageId(messageId));
    return key === undefined ? undefined : store.get<StoredMessage>(key);
  };

  const newestMessage = async (visitorId: string) => {
    const key = (await store.keys(keys.messagePrefix(visitorId))).at(-1);
    return key === undefined ? undefined : store.get<StoredMessage>(key);
  };

  return {
    getConversation,

    /**
     * Creates the conversation if absent (`create`), then applies `update`. Resolves with the result
     * and whether this call created it.
     */
    upsertConversation(
      visitorId: string,
      create: () => StoredConversation,
      update: (conversation: StoredConversation) => StoredConversation,
    ): Promise<{ conversation: StoredConversation; created: boolean }> {
      return serialize(visitorId, async () => {
        const previous = await getConversation(visitorId);
        const conversation = update(previous ?? create());
        await saveConversation(previous, conversation);
        return { conversation, created: previous === undefined };
      });
    },

    /** Applies `update` to a recorded conversation; resolves with the result (`undefined` when absent). */
    updateConversation(
      visitorId: string,
      update: (conversation: StoredConversation) => StoredConversation,
    ): Promise<StoredConversation | undefined> {
      return serialize(visitorId, async () => {
        const previous = await getConversation(visitorId);
        if (!previous) return undefined;
        const conversation = update(previous);
        if (conversation !== previous) await saveConversation(previous, conversation);
        return conversation;
      });
    },

    listConversations(params: { cursor?: string; limit: number }): Promise<RecordPage<StoredConversation>> {
      return page(store, keys.activityPrefix, params, async (key) => {
        const visitorId = decodeURIComponent(key.slice(key.lastIndexOf(':') + 1));
        const conversation = await getConversation(visitorId);
        return conversation && keys.activity(conversation) === key ? conversation : undefined;
      });
    },

    /** `true` the first time a message id is marked (atomic: use it to dedupe deliveries). */
    markSeen: (messageId: string) => store.add(keys.seen(messageId), 1, { ttlMs: options.seenTtlMs }),
    /** Forgets a mark, so a redelivery is processed again (after a failure). */
    unmarkSeen: (messageId: string) => store.delete(keys.seen(messageId)),

    getMessage,

    /** Records (or replaces) a message and makes it its conversation's last message when newest. */
    putMessage(message: StoredMessage): Promise<StoredConversation | undefined> {
      return serialize(message.visitorId, async () => {
        await store.set(keys.message(message), message);
        await store.set(keys.messageId(message.id), keys.message(message));
        const previous = await getConversation(message.visitorId);
        if (!previous) return undefined;
        const last = previous.lastMessage;
        const newest = !last || last.id === message.id || last.createdAt <= message.createdAt;
        const next: StoredConversation = {
          ...previous,
          updatedAt: Math.max(previous.updatedAt, message.createdAt),
          ...(newest && { lastMessage: message }),
        };
        await saveConversation(previous, next);
        return next;
      });
    },

    /** Removes a message; resolves with it (`undefined` when it was not recorded). */
    async removeMessage(messageId: string): Promise<StoredMessage | undefined> {
      const message = await getMessage(messageId);
      if (!message) return undefined;
      await serialize(message.visitorId, async () => {
        await store.delete(keys.message(message));
        await store.delete(keys.messageId(message.id));
        const previous = await getConversation(message.visitorId);
        if (previous?.lastMessage?.id !== message.id) return;
        const { lastMessage: _removed, ...rest } = previous;
        const newest = await newestMessage(message.visitorId);
        await saveConversation(previous, newest ? { ...rest, lastMessage: newest } : rest);
      });
      return message;
    },

    /** One page of a conversation's messages, newest first. */
    listMessages(
      visitorId: string,
      params: { cursor?: string; limit: number },
    ): Promise<RecordPage<StoredMessage>> {
      return page(store, keys.messagePrefix(visitorId), params, (key) => store.get<StoredMessage>(key));
    },
  };
}
