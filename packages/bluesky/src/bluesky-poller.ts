/**
 * Realtime by polling `chat.bsky.convo.getLog`, the event log of all the viewer's conversations
 * (spec §4.4): one request per tick, cursor kept in a {@link StateStore}, backoff on errors,
 * resume from the saved cursor.
 * @module
 */
import {
  type ChatEvent,
  deliverEvent,
  type EventSink,
  type StateStore,
  type Subscription,
} from '@switchboard/core';
import { startLongPoll } from '@switchboard/core/http';
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
}

const revOf = (entry: LogEntry): string | undefined =>
  entry.$type === 'unknown' ? entry.value.rev : entry.rev;

/** `max` by plain string comparison (revs are fixed-width and sort lexically). */
const maxRev = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : a >= b ? a : b;

/**
 * Backoff after `failures` consecutive errors: the interval doubled each time, capped, at least
 * `retryAfterMs`. This is the schedule core's `startLongPoll` runs the poller with.
 */
export function pollBackoffMs(intervalMs: number, failures: number, retryAfterMs?: number): number {
  const exponential = Math.min(MAX_POLL_BACKOFF_MS, intervalMs * 2 ** failures);
  return Math.max(exponential, retryAfterMs ?? 0);
}

/**
 * Starts polling. Resolves once the cursor is known: loaded from the store (the first poll follows at
 * once), or seeded with one `getLog` without cursor whose entries are not reported (they happened
 * before we subscribed; the first poll follows after `intervalMs`). A failing seed rejects. Then:
 * - each tick sends one `getLog` with the cursor and reports entries whose `rev` is greater than the
 *   cursor, in order (so a repeated entry is reported once), then moves the cursor to
 *   max(cursor, revs, response cursor) and saves it;
 * - when the cursor moved, the next poll follows at once, else after `intervalMs`;
 * - on an error it calls `onError`, waits {@link pollBackoffMs} and retries from the saved cursor
 *   (never re-seeds, which would skip what happened in between).
 *
 * The loop is core's `startLongPoll`: the pending timer keeps the process alive like an open socket
 * would; `close()` clears it, aborts the request in flight and resolves when the loop has stopped.
 */
export async function startBlueskyPoller(options: BlueskyPollerOptions): Promise<Subscription> {
  const signal = options.signal ?? new AbortController().signal;
  const report = (error: unknown) => {
    try {
      options.onError?.(error);
    } catch {
      // An error handler that throws must not stop the loop.
    }
  };

  let cursor = await options.store.get<string>(options.storeKey);
  const seeding = cursor === undefined;
  if (seeding && !signal.aborted) {
    const seed = await options.fetchLog(undefined, signal);
    cursor = maxRev(seed.logs.map(revOf).reduce(maxRev, undefined), seed.cursor);
    if (cursor !== undefined) await options.store.set(options.storeKey, cursor);
  }

  /** One request; `true` when the cursor moved. */
  const tick = async (pollSignal: AbortSignal): Promise<boolean> => {
    const page = await options.fetchLog(cursor, pollSignal);
    const before = cursor;
    for (const entry of page.logs) {
      const rev = revOf(entry);
      if (rev === undefined || (cursor !== undefined && rev <= cursor)) continue;
      cursor = rev;
      const event = options.map(entry);
      if (event) deliverEvent({ sink: options.sink, onError: report }, event);
    }
    cursor = maxRev(cursor, page.cursor);
    if (cursor !== before && cursor !== undefined) await options.store.set(options.storeKey, cursor);
    return cursor !== before;
  };

  // Just seeded: nothing new yet, first poll after the interval. Resumed: catch up at once.
  return startLongPoll({
    poll: tick,
    intervalMs: options.intervalMs,
    startDelayMs: seeding ? options.intervalMs : 0,
    maxBackoffMs: MAX_POLL_BACKOFF_MS,
    onError: report,
    signal: options.signal,
  });
}
