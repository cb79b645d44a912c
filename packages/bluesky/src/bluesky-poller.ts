/**
 * Realtime by polling `chat.bsky.convo.getLog`, the event log of all the viewer's conversations
 * (spec §4.4): one request per tick, cursor kept in a {@link StateStore}, backoff on errors,
 * resume from the saved cursor. The loop, its backoff and `close()` are core's `startLongPoll`;
 * this file adds the cursor, the lease and the delivery. Across instances sharing the store, only the holder of the
 * account's lease polls (see {@link startBlueskyPoller}).
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ChatEvent,
  deliverEvent,
  type EventSink,
  type Lease,
  type StateStore,
  type StateStoreWrite,
  type Subscription,
} from '@switchboard/core';
import { DEFAULT_MAX_POLL_BACKOFF_MS, longPollBackoffMs, startLongPoll } from '@switchboard/core/http';
import type { GetLogOutput, LogEntry } from './bluesky-schemas.js';

/** Longest wait between two polls after repeated errors, in milliseconds (unless `Retry-After` asks for more). */
export const MAX_POLL_BACKOFF_MS = DEFAULT_MAX_POLL_BACKOFF_MS;

/** Options of {@link startBlueskyPoller}. */
export interface BlueskyPollerOptions {
  /** One `getLog` request (`cursor` absent: from the start, used to seed). */
  fetchLog(cursor: string | undefined, signal: AbortSignal): Promise<GetLogOutput>;
  /** Maps a log entry to an event (`undefined`: not reported, the cursor still moves past it). */
  map(entry: LogEntry): ChatEvent | undefined;
  sink: EventSink;
  /** Told about every error the loop recovers from (request failures, a throwing sink, store failures). */
  onError?: ((error: unknown) => void) | undefined;
  store: StateStore;
  /** Key of the cursor in `store`. */
  storeKey: string;
  /** Milliseconds between polls while nothing happens. */
  intervalMs: number;
  /** Closes the subscription when aborted. */
  signal?: AbortSignal | undefined;
  /**
   * The account's poller lease: name (default `<storeKey>:poller`; keep the store key's hash tag)
   * and TTL in ms (default max(10 000, 3 × `intervalMs`)). A stand-by instance takes over within
   * about 1.2 × `ttlMs` after the holder died or stalled.
   */
  lease?: { name?: string | undefined; ttlMs?: number | undefined } | undefined;
  /**
   * `'once'` (default): each entry reaches the sink of one instance (the lease holder's).
   * `'broadcast'`: the holder publishes each entry on the store's pub/sub channel `<storeKey>:events`
   * and every instance's sink gets it (also the holder's, through the same channel).
   */
  delivery?: 'once' | 'broadcast' | undefined;
  /** How long delivered revs are remembered so that a new holder does not deliver them again (default 1 day). */
  seenTtlMs?: number | undefined;
}

const revOf = (entry: LogEntry): string | undefined =>
  entry.$type === 'unknown' ? entry.value.rev : entry.rev;

/** `max` by plain string comparison (revs are fixed-width and sort lexically). */
const maxRev = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : a >= b ? a : b;

/** Backoff after `failures` consecutive errors: the interval doubled each time, capped, at least `retryAfterMs` (core's `longPollBackoffMs`). */
export function pollBackoffMs(intervalMs: number, failures: number, retryAfterMs?: number): number {
  return longPollBackoffMs(intervalMs, failures, { retryAfterMs, maxBackoffMs: MAX_POLL_BACKOFF_MS });
}

/**
 * Starts polling. Only the instance holding the account's lease in `store` polls; the others stand
 * by and retry the lease every min(`intervalMs`, `ttlMs` / 5), so one takes over after the holder
 * died or stalled. Resolves once this instance either holds the lease and knows the cursor, or
 * stands by. With the lease, the cursor is loaded from the store (the first poll follows at once),
 * or seeded with one `getLog` without cursor whose entries are not reported (they happened before
 * we subscribed; the first poll follows after `intervalMs`). A failing seed rejects. Then:
 * - each tick renews the lease, sends one `getLog` with the cursor and hands entries whose `rev` is
 *   greater than the cursor, and not delivered by an earlier holder, to the sink in order (or
 *   publishes them, `delivery: 'broadcast'`), then moves the cursor to max(cursor, revs, response
 *   cursor) and saves it together with the delivered revs, in one write fenced by the lease (a
 *   deposed holder's write is refused: it stands by again). So the cursor only advances after the
 *   listeners got the events (at-least-once), and the seen revs make a takeover deliver nothing twice
 *   (except entries of a tick during which the lease was lost);
 * - when the cursor moved, the next poll follows at once, else after `intervalMs`;
 * - on an error it calls `onError`, waits {@link pollBackoffMs} and retries from the saved cursor
 *   (never re-seeds, which would skip what happened in between); a wait at least as long as the
 *   lease TTL releases the lease first (through `startLongPoll`'s `onBackoff`), so a stand-by polls
 *   meanwhile.
 *
 * The pending timer keeps the process alive like an open socket would; `close()` clears it, aborts
 * the request in flight, releases the lease (a stand-by takes over at its next try) and resolves
 * when the loop has stopped.
 */
export async function startBlueskyPoller(options: BlueskyPollerOptions): Promise<Subscription> {
  const { store, storeKey, intervalMs } = options;
  const deliver = (entry: LogEntry) => {
    const event = options.map(entry);
    if (event) deliverEvent(options, event); // a throwing sink goes to onError
  };
  const leaseName = options.lease?.name ?? `${storeKey}:poller`;
  const ttlMs = options.lease?.ttlMs ?? Math.max(10_000, 3 * intervalMs);
  const standbyMs = Math.min(intervalMs, ttlMs / 5);
  const seenTtlMs = options.seenTtlMs ?? 24 * 60 * 60 * 1000;
  const seenKey = (rev: string) => `${storeKey}:seen:${rev}`;
  const broadcast = options.delivery === 'broadcast';
  const channel = `${storeKey}:events`;
  const unsubscribe = broadcast
    ? await store.subscribe(channel, (entry) => deliver(entry as LogEntry))
    : undefined;

  let lease: Lease | undefined;
  let cursor: string | undefined;
  let seeding = false;
  const releaseLease = async () => {
    const held = lease;
    lease = undefined;
    if (held) await store.releaseLease(held).catch(() => false);
  };

  /** Saves the cursor (and delivered revs) only while this instance holds the lease. */
  const save = async (revs: string[]) => {
    const writes: StateStoreWrite[] = revs.map((rev) => ({
      type: 'set',
      key: seenKey(rev),
      value: 1,
      ttlMs: seenTtlMs,
    }));
    if (cursor !== undefined) writes.push({ type: 'set', key: storeKey, value: cursor });
    if (writes.length === 0) return;
    if (!(await store.commit(writes, [{ type: 'leaseHeld', lease: lease! }]))) lease = undefined;
  };

  /** Tries to take the lease; with it, loads (or seeds) the cursor. `true` when held. */
  const gain = async (signal?: AbortSignal): Promise<boolean> => {
    lease = await store.acquireLease(leaseName, { ttlMs });
    if (!lease) return false;
    cursor = await store.get<string>(storeKey);
    seeding = cursor === undefined;
    if (seeding && !signal?.aborted) {
      const seed = await options.fetchLog(undefined, signal ?? new AbortController().signal);
      cursor = maxRev(seed.logs.map(revOf).reduce(maxRev, undefined), seed.cursor);
      await save([]);
    }
    return lease !== undefined;
  };

  try {
    await gain(options.signal);
  } catch (error) {
    await unsubscribe?.();
    await releaseLease();
    throw error;
  }

  /** One request; `true` when the cursor moved. */
  const tick = async (signal: AbortSignal): Promise<boolean> => {
    lease = await store.renewLease(lease!, { ttlMs });
    if (!lease) return false;
    const page = await options.fetchLog(cursor, signal);
    const before = cursor;
    const fresh: LogEntry[] = [];
    for (const entry of page.logs) {
      const rev = revOf(entry);
      if (rev === undefined || (cursor !== undefined && rev <= cursor)) continue;
      cursor = rev;
      fresh.push(entry);
    }
    const seen = await store.getMany(fresh.map((entry) => seenKey(revOf(entry)!)));
    const delivered: string[] = [];
    for (const [i, entry] of fresh.entries()) {
      if (seen[i] !== undefined) continue;
      delivered.push(revOf(entry)!);
      if (broadcast) await store.publish(channel, entry);
      else deliver(entry);
    }
    cursor = maxRev(cursor, page.cursor);
    if (cursor !== before || delivered.length > 0) await save(delivered);
    return cursor !== before;
  };

  /** A stand-by's turn: take the lease (then poll at once), or wait `standbyMs` and try again. */
  const standBy = async (signal: AbortSignal): Promise<true> => {
    if (!(await gain(signal))) await sleep(standbyMs, undefined, { signal });
    return true;
  };

  const loop = startLongPoll({
    poll: (signal) => (lease ? tick(signal) : standBy(signal)),
    intervalMs,
    maxBackoffMs: MAX_POLL_BACKOFF_MS,
    // Just seeded: nothing new yet. Resumed (or standing by): at once.
    startDelayMs: seeding ? intervalMs : 0,
    onError: options.onError,
    // Waiting longer than the lease lasts: let another instance poll meanwhile.
    onBackoff: ({ delayMs }) => (lease && delayMs >= ttlMs ? releaseLease() : undefined),
    signal: options.signal,
  });

  return {
    async close() {
      await loop.close();
      await unsubscribe?.();
      await releaseLease();
    },
  };
}
