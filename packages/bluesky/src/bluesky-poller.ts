/**
 * Realtime by polling `chat.bsky.convo.getLog`, the event log of all the viewer's conversations
 * (spec §4.4): one request per tick, cursor kept in a {@link StateStore}, backoff on errors,
 * resume from the saved cursor. Across instances sharing the store, only the holder of the
 * account's lease polls (see {@link startBlueskyPoller}).
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ChatEvent,
  EventSink,
  Lease,
  StateStore,
  StateStoreWrite,
  Subscription,
} from '@switchboard/core';
import type { GetLogOutput, LogEntry } from './bluesky-schemas.js';

/** Longest wait between two polls after repeated errors, in milliseconds (unless `Retry-After` asks for more). */
export const MAX_POLL_BACKOFF_MS = 300_000;

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

/** Backoff after `failures` consecutive errors: the interval doubled each time, capped, at least `retryAfterMs`. */
export function pollBackoffMs(intervalMs: number, failures: number, retryAfterMs?: number): number {
  const exponential = Math.min(MAX_POLL_BACKOFF_MS, intervalMs * 2 ** failures);
  return Math.max(exponential, retryAfterMs ?? 0);
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
 *   (never re-seeds, which would skip what happened in between).
 *
 * The pending timer keeps the process alive like an open socket would; `close()` clears it, aborts
 * the request in flight, releases the lease (a stand-by takes over at its next try) and resolves
 * when the loop has stopped.
 */
export async function startBlueskyPoller(options: BlueskyPollerOptions): Promise<Subscription> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  const { signal } = controller;
  const { store, storeKey } = options;
  const report = (error: unknown) => {
    try {
      options.onError?.(error);
    } catch {
      // An error handler that throws must not stop the loop.
    }
  };
  const deliver = (entry: LogEntry) => {
    const event = options.map(entry);
    if (!event) return;
    try {
      options.sink(event);
    } catch (error) {
      report(error);
    }
  };
  const leaseName = options.lease?.name ?? `${storeKey}:poller`;
  const ttlMs = options.lease?.ttlMs ?? Math.max(10_000, 3 * options.intervalMs);
  const standbyMs = Math.min(options.intervalMs, ttlMs / 5);
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
  const gain = async (): Promise<boolean> => {
    lease = await store.acquireLease(leaseName, { ttlMs });
    if (!lease) return false;
    cursor = await store.get<string>(storeKey);
    seeding = cursor === undefined;
    if (seeding && !signal.aborted) {
      const seed = await options.fetchLog(undefined, signal);
      cursor = maxRev(seed.logs.map(revOf).reduce(maxRev, undefined), seed.cursor);
      await save([]);
    }
    return lease !== undefined;
  };

  try {
    await gain();
  } catch (error) {
    await unsubscribe?.();
    if (lease) await store.releaseLease(lease).catch(() => false);
    throw error;
  }

  /** One request; `true` when the cursor moved. */
  const tick = async (): Promise<boolean> => {
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

  const loop = (async () => {
    let failures = 0;
    // Just seeded: nothing new yet. Resumed: catch up at once.
    if (seeding) await sleep(options.intervalMs, undefined, { signal }).catch(() => undefined);
    while (!signal.aborted) {
      let delayMs = options.intervalMs;
      try {
        if (!lease) {
          delayMs = (await gain()) ? 0 : standbyMs;
        } else if (await tick()) delayMs = 0;
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        report(error);
        const retryAfterMs = (error as { retryAfterMs?: number } | undefined)?.retryAfterMs;
        delayMs = pollBackoffMs(options.intervalMs, failures, retryAfterMs);
        // Waiting longer than the lease lasts: let another instance poll meanwhile.
        if (lease && delayMs >= ttlMs) {
          await store.releaseLease(lease).catch(() => false);
          lease = undefined;
        }
      }
      if (delayMs > 0) await sleep(delayMs, undefined, { signal }).catch(() => undefined);
    }
  })();

  return {
    async close() {
      stop();
      options.signal?.removeEventListener('abort', stop);
      await loop;
      await unsubscribe?.();
      if (lease) await store.releaseLease(lease).catch(() => false);
      lease = undefined;
    },
  };
}
