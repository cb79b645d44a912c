import {
  createCursorCodec,
  type IndexEntry,
  invalidRequest,
  type Participant,
  type StateStore,
  type StateStoreCondition,
  type StateStoreWrite,
} from '@switchboard/core';
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

const enc = encodeURIComponent;

/**
 * Store layout (StateStore v2). Every key carries the hash tag `{<namespace>}` (one Brevo account per
 * namespace), so a record update and its index writes commit atomically on Redis Cluster too.
 * - `brevo:{ns}:conversation:<visitorId>` → {@link StoredConversation}
 * - index `brevo:{ns}:activity`: member visitorId, score `updatedAt` (orders `listConversations`)
 * - `brevo:{ns}:message:<messageId>` → `StoredMessage`
 * - index `brevo:{ns}:history:<visitorId>`: member messageId, score `createdAt` (a conversation's history)
 * - `brevo:{ns}:seen:<messageId>`: delivered-message mark (dedupe), expiring after `seenTtlMs`
 * - `brevo:{ns}:deleted:<messageId>` → {@link MessageTombstone}: a deleted message, expiring after `seenTtlMs`
 */
function layout(namespace: string) {
  const base = `brevo:{${enc(namespace)}}:`;
  return {
    conversation: (visitorId: string) => `${base}conversation:${enc(visitorId)}`,
    activity: `${base}activity`,
    message: (id: string) => `${base}message:${enc(id)}`,
    history: (visitorId: string) => `${base}history:${enc(visitorId)}`,
    seen: (id: string) => `${base}seen:${enc(id)}`,
    deleted: (id: string) => `${base}deleted:${enc(id)}`,
  };
}

/** Cursors are `{ l: <index>, s: <score>, m: <member> }` of the page's last entry; another list's are refused. */
const cursors = createCursorCodec(z.object({ l: z.string(), s: z.number(), m: z.string() }), {
  provider: 'brevo',
});

function encodeCursor(list: string, entry: IndexEntry): string {
  return cursors.encode({ l: list, s: entry.score, m: entry.member });
}

function decodeCursor(cursor: string | undefined, list: string): IndexEntry | undefined {
  const decoded = cursors.decode(cursor);
  if (decoded === undefined) return undefined;
  if (decoded.l === list) return { score: decoded.s, member: decoded.m };
  throw invalidRequest(
    'cursor',
    'not a cursor of this list: pass the nextCursor of a previous page of the same list.',
    {
      provider: 'brevo',
    },
  );
}

/**
 * One page of an index, newest first, from `cursor`: one ranged read plus one `getMany` (two round
 * trips, O(log n + limit)), whatever the size of the history. Index entries whose record is gone
 * are skipped (the page is then short, and `nextCursor` still continues after it).
 */
async function page<T>(
  store: StateStore,
  index: string,
  params: { cursor?: string; limit: number },
  key: (member: string) => string,
): Promise<RecordPage<T>> {
  const after = decodeCursor(params.cursor, index);
  // One entry more than the page tells whether another page follows.
  const found = await store.indexRange(index, {
    order: 'desc',
    limit: params.limit + 1,
    ...(after && { after }),
  });
  const entries = found.slice(0, params.limit);
  const values = await store.getMany<T>(entries.map((entry) => key(entry.member)));
  const items = values.filter((value) => value !== undefined) as T[];
  const last = entries.at(-1);
  return found.length > params.limit && last ? { items, nextCursor: encodeCursor(index, last) } : { items };
}

/** The tombstone a deletion leaves (kept for `seenTtlMs`), so a redelivered echo cannot bring it back. */
export interface MessageTombstone {
  visitorId: string;
  /** Epoch ms of the deletion. */
  deletedAt: number;
}

/** Options of {@link createBrevoRecords}. */
export interface BrevoRecordsOptions {
  /** How long a delivered message id (and a deleted one's tombstone) is remembered, in ms. */
  seenTtlMs: number;
  /**
   * Separates the records of several Brevo accounts sharing one store (and is their Redis Cluster
   * hash tag). Default `'default'`.
   */
  namespace?: string;
}

/** The adapter's view of the `StateStore`: conversations, messages (by visitor, chronological) and dedupe keys. */
export type BrevoRecords = ReturnType<typeof createBrevoRecords>;

/** Read-modify-write attempts before a record update gives up (each loses only to another writer's success). */
const MAX_ATTEMPTS = 50;

function contended(what: string): Error {
  return new Error(`brevo records: ${what} kept changing under ${MAX_ATTEMPTS} concurrent updates`);
}

/**
 * Creates the record layer over a `StateStore` (v2; all keys start with `brevo:{namespace}:`).
 *
 * Every update is an optimistic read-modify-write: read, compute, `commit` the record together with
 * its index entries on the condition that the record is unchanged, retry when another writer (in
 * this or another instance) got there first. So a conversation is created once, no index entry is
 * lost, and `lastMessage` is the newest message, however many instances share the store.
 */
export function createBrevoRecords(store: StateStore, options: BrevoRecordsOptions) {
  const keys = layout(options.namespace ?? 'default');

  const getConversation = (visitorId: string) => store.get<StoredConversation>(keys.conversation(visitorId));

  /** The writes that store `next` and keep the activity index in step. */
  const conversationWrites = (next: StoredConversation): StateStoreWrite[] => [
    { type: 'set', key: keys.conversation(next.visitorId), value: next },
    { type: 'indexAdd', index: keys.activity, member: next.visitorId, score: next.updatedAt },
  ];
  const unchanged = (visitorId: string, previous: StoredConversation | undefined): StateStoreCondition => ({
    type: 'equals',
    key: keys.conversation(visitorId),
    value: previous,
  });

  /** Applies `update` (`undefined` result: write nothing) under the conversation's compare-and-commit. */
  const rewrite = async <R>(
    visitorId: string,
    update: (previous: StoredConversation | undefined) => Promise<{
      writes: StateStoreWrite[];
      conditions?: StateStoreCondition[];
      result: R;
    }>,
  ): Promise<R> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const previous = await getConversation(visitorId);
      const { writes, conditions = [], result } = await update(previous);
      if (writes.length === 0) return result;
      if (await store.commit(writes, [unchanged(visitorId, previous), ...conditions])) return result;
    }
    throw contended(`conversation ${visitorId}`);
  };

  const getMessage = (messageId: string) => store.get<StoredMessage>(keys.message(messageId));

  /** The writes of recording `message`, and the conversation after it (`undefined` when none is recorded). */
  const messageWrites = (message: StoredMessage, previous: StoredConversation | undefined) => {
    const writes: StateStoreWrite[] = [
      { type: 'set', key: keys.message(message.id), value: message },
      {
        type: 'indexAdd',
        index: keys.history(message.visitorId),
        member: message.id,
        score: message.createdAt,
      },
    ];
    if (!previous) return { writes, conversation: undefined };
    const last = previous.lastMessage;
    const newest = !last || last.id === message.id || last.createdAt <= message.createdAt;
    const next: StoredConversation = {
      ...previous,
      updatedAt: Math.max(previous.updatedAt, message.createdAt),
      ...(newest && { lastMessage: message }),
    };
    writes.push(...conversationWrites(next));
    return { writes, conversation: next };
  };

  return {
    getConversation,

    /**
     * Creates the conversation if absent (`create`), then applies `update`. Resolves with the result
     * and whether this call created it (`true` for exactly one caller, across instances).
     */
    upsertConversation(
      visitorId: string,
      create: () => StoredConversation,
      update: (conversation: StoredConversation) => StoredConversation,
    ): Promise<{ conversation: StoredConversation; created: boolean }> {
      return rewrite(visitorId, async (previous) => {
        const conversation = update(previous ?? create());
        const same = previous !== undefined && JSON.stringify(previous) === JSON.stringify(conversation);
        return {
          writes: same ? [] : conversationWrites(conversation),
          result: { conversation, created: previous === undefined },
        };
      });
    },

    /** Applies `update` to a recorded conversation; resolves with the result (`undefined` when absent). */
    updateConversation(
      visitorId: string,
      update: (conversation: StoredConversation) => StoredConversation,
    ): Promise<StoredConversation | undefined> {
      return rewrite(visitorId, async (previous) => {
        if (!previous) return { writes: [], result: undefined };
        const conversation = update(previous);
        return {
          writes: conversation === previous ? [] : conversationWrites(conversation),
          result: conversation,
        };
      });
    },

    listConversations(params: { cursor?: string; limit: number }): Promise<RecordPage<StoredConversation>> {
      return page<StoredConversation>(store, keys.activity, params, keys.conversation);
    },

    /** `true` the first time a message id is marked (atomic: use it to dedupe deliveries). */
    markSeen: (messageId: string) => store.add(keys.seen(messageId), 1, { ttlMs: options.seenTtlMs }),
    /** Forgets a mark, so a redelivery is processed again (after a failure). */
    unmarkSeen: (messageId: string) => store.delete(keys.seen(messageId)),

    getMessage,

    /** `true` when the message was deleted (its tombstone is still kept): it must not come back. */
    async isDeleted(messageId: string): Promise<boolean> {
      return (await store.get<MessageTombstone>(keys.deleted(messageId))) !== undefined;
    },

    /**
     * Records (or replaces) a message and makes it its conversation's last message when newest.
     * A deleted message (tombstone) is not recorded again: resolves `undefined` and stores nothing.
     */
    async putMessage(message: StoredMessage): Promise<StoredConversation | undefined> {
      const tombstoned = keys.deleted(message.id);
      const result = await rewrite(message.visitorId, async (previous) => {
        if ((await store.get(tombstoned)) !== undefined) return { writes: [], result: undefined };
        const { writes, conversation } = messageWrites(message, previous);
        // The tombstone check commits with the writes, so a deletion racing this write wins.
        return { writes, conditions: [{ type: 'absent', key: tombstoned }], result: conversation };
      });
      return result;
    },

    /**
     * Records a delivered message and marks it seen in one atomic step: resolves `false` (nothing
     * written) when it was already delivered. A failure leaves neither, so a redelivery is processed.
     */
    async putMessageOnce(message: StoredMessage): Promise<boolean> {
      const seen = keys.seen(message.id);
      const tombstoned = keys.deleted(message.id);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const previous = await getConversation(message.visitorId);
        const { writes } = messageWrites(message, previous);
        writes.push({ type: 'set', key: seen, value: 1, ttlMs: options.seenTtlMs });
        const conditions: StateStoreCondition[] = [
          unchanged(message.visitorId, previous),
          { type: 'absent', key: seen },
          { type: 'absent', key: tombstoned },
        ];
        if (await store.commit(writes, conditions)) return true;
        if ((await store.get(seen)) !== undefined) return false;
        if ((await store.get(tombstoned)) !== undefined) return false;
      }
      throw contended(`conversation ${message.visitorId}`);
    },

    /**
     * Removes a message and leaves a tombstone (kept `seenTtlMs`), so that a redelivered webhook
     * cannot bring it back; resolves with the removed record (`undefined` when it was not recorded).
     */
    async removeMessage(messageId: string, visitorId: string): Promise<StoredMessage | undefined> {
      const tombstone: MessageTombstone = { visitorId, deletedAt: Date.now() };
      await store.set(keys.deleted(messageId), tombstone, { ttlMs: options.seenTtlMs });
      const message = await getMessage(messageId);
      if (!message) return undefined;
      const history = keys.history(message.visitorId);
      await rewrite(message.visitorId, async (previous) => {
        const writes: StateStoreWrite[] = [
          { type: 'delete', key: keys.message(messageId) },
          { type: 'indexRemove', index: history, member: messageId },
        ];
        if (previous?.lastMessage?.id === messageId) {
          const { lastMessage: _removed, ...rest } = previous;
          const [newestEntry] = (await store.indexRange(history, { order: 'desc', limit: 2 })).filter(
            (entry) => entry.member !== messageId,
          );
          const newest = newestEntry && (await getMessage(newestEntry.member));
          writes.push(...conversationWrites(newest ? { ...rest, lastMessage: newest } : rest));
        }
        return { writes, result: undefined };
      });
      return message;
    },

    /** One page of a conversation's messages, newest first. */
    listMessages(
      visitorId: string,
      params: { cursor?: string; limit: number },
    ): Promise<RecordPage<StoredMessage>> {
      return page<StoredMessage>(store, keys.history(visitorId), params, keys.message);
    },
  };
}
