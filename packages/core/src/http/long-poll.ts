import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import type { Subscription } from '../chat-adapter.js';

/** Longest backoff between two failed polls by default, in milliseconds (5 minutes). */
export const DEFAULT_MAX_POLL_BACKOFF_MS = 300_000;

/** Options of {@link startLongPoll}. */
export interface LongPollOptions {
  /**
   * One poll: a request to the provider (`getLog`, `getUpdates`, …), delivering what it finds.
   * Resolve `true` when more is waiting (the next poll follows at once), `false` or nothing when
   * caught up (the next poll follows after `intervalMs`). Pass `signal` to the request: it aborts
   * when the poll loop is closed. A rejection is reported to `onError` and retried with backoff.
   */
  poll(signal: AbortSignal): Promise<unknown>;
  /** Milliseconds between polls while nothing happens (> 0). The first backoff is twice this. */
  intervalMs: number;
  /** Milliseconds before the first poll (default 0). */
  startDelayMs?: number | undefined;
  /**
   * Cap on the backoff, in milliseconds (default {@link DEFAULT_MAX_POLL_BACKOFF_MS}). After `n`
   * consecutive failures the wait is `min(maxBackoffMs, intervalMs × 2ⁿ)` (p-retry's exponential
   * delay, factor 2), or the error's `retryAfterMs` when that is longer (the provider asked for it).
   */
  maxBackoffMs?: number | undefined;
  /** Adds p-retry's jitter (each backoff × a random factor in [1, 2)). Default `false`. */
  randomize?: boolean | undefined;
  /** Told about every poll failure the loop recovers from. A throwing handler is ignored. */
  onError?: ((error: unknown) => void) | undefined;
  /**
   * Called after each failed poll (after `onError`), before the backoff wait starts, and awaited:
   * the wait starts when it settles (or at once on `close()`). For work that depends on how long the
   * loop is about to be away, e.g. handing a lease to another instance when the wait outlasts it.
   * A rejection or throw is reported to `onError` and does not stop the loop.
   */
  onBackoff?: ((backoff: LongPollBackoff) => unknown) | undefined;
  /** Stops the loop when aborted (like `close()`). */
  signal?: AbortSignal | undefined;
}

/** What {@link LongPollOptions.onBackoff} is told before a backoff wait. */
export interface LongPollBackoff {
  /** The error the failed poll rejected with. */
  error: unknown;
  /** Consecutive failed polls so far, this one included (1 after the first failure). */
  failures: number;
  /**
   * The wait about to start, in milliseconds: {@link longPollBackoffMs} (with `randomize`, before the
   * jitter, which can make the real wait up to twice as long).
   */
  delayMs: number;
}

/**
 * The backoff {@link startLongPoll} waits after `failures` consecutive failed polls, in milliseconds:
 * `min(maxBackoffMs, intervalMs × 2^failures)`, or `retryAfterMs` when that is longer (the provider
 * asked for it). `maxBackoffMs` defaults to {@link DEFAULT_MAX_POLL_BACKOFF_MS}.
 */
export function longPollBackoffMs(
  intervalMs: number,
  failures: number,
  options: { retryAfterMs?: number | undefined; maxBackoffMs?: number | undefined } = {},
): number {
  const exponential = Math.min(
    options.maxBackoffMs ?? DEFAULT_MAX_POLL_BACKOFF_MS,
    intervalMs * 2 ** failures,
  );
  return Math.max(exponential, options.retryAfterMs ?? 0);
}

/** Carries one poll failure through p-retry (which would not retry a plain `TypeError`). */
class PollFailure extends Error {
  constructor(readonly original: unknown) {
    super('poll failed');
  }
}

const retryAfterOf = (error: unknown): number | undefined => {
  const value = (error as { retryAfterMs?: unknown } | null | undefined)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
};

/**
 * Runs a long-poll realtime source until closed: the loop every polling adapter needs (`getLog`,
 * Telegram `getUpdates`, an inbox endpoint…). Polls, waits `intervalMs` when caught up, backs off
 * exponentially on errors (p-retry, factor 2, from `2 × intervalMs` up to `maxBackoffMs`; at least the
 * error's `retryAfterMs`: {@link longPollBackoffMs}), tells `onBackoff` before each such wait, resets
 * the backoff after a successful poll, and never gives up.
 *
 * While started, the pending timers and requests keep the Node.js process alive, like an open socket
 * would (a subscription must not end the app silently). `close()` (or `signal`) aborts the poll in
 * flight and any wait, and resolves when the loop has stopped (without waiting for a poll that ignores
 * its signal); no poll starts after it.
 *
 * Starts at once and returns synchronously; cursors and seeding stay with the caller (`poll` reads
 * and saves them).
 */
export function startLongPoll(options: LongPollOptions): Subscription {
  const { intervalMs } = options;
  if (!Number.isFinite(intervalMs) || intervalMs <= 0)
    throw new RangeError(`startLongPoll: intervalMs must be a positive number, got ${intervalMs}`);
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_POLL_BACKOFF_MS;
  const minTimeout = Math.min(maxBackoffMs, intervalMs * 2);
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  const { signal } = controller;
  const report = (error: unknown) => {
    try {
      options.onError?.(error);
    } catch {
      // An error handler that throws must not stop the loop.
    }
  };
  const wait = (ms: number) => (ms > 0 ? sleep(ms, undefined, { signal }).catch(() => undefined) : undefined);

  // close() must not hang on a poll that ignores its signal.
  const aborted = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => undefined);
  const pollOnce = () =>
    pRetry(
      async () => {
        try {
          return await Promise.race([options.poll(signal), aborted]);
        } catch (error) {
          throw new PollFailure(error);
        }
      },
      {
        retries: Number.POSITIVE_INFINITY,
        factor: 2,
        minTimeout,
        maxTimeout: maxBackoffMs,
        randomize: options.randomize ?? false,
        signal,
        onFailedAttempt: ({ error }) => {
          if (!signal.aborted) report((error as PollFailure).original);
        },
        shouldRetry: async ({ error, retriesConsumed }) => {
          const { original } = error as PollFailure;
          const retryAfterMs = retryAfterOf(original);
          if (options.onBackoff && !signal.aborted) {
            const failures = retriesConsumed + 1;
            const delayMs = longPollBackoffMs(intervalMs, failures, { retryAfterMs, maxBackoffMs });
            try {
              await Promise.race([options.onBackoff({ error: original, failures, delayMs }), aborted]);
            } catch (hookError) {
              if (!signal.aborted) report(hookError);
            }
          }
          // p-retry waits its own backoff next; top that up to what the provider asked for.
          if (retryAfterMs !== undefined) {
            const floor = Math.min(maxBackoffMs, minTimeout * 2 ** retriesConsumed);
            await wait(retryAfterMs - floor);
          }
          return !signal.aborted;
        },
      },
    );

  const loop = (async () => {
    await wait(options.startDelayMs ?? 0);
    while (!signal.aborted) {
      let more: unknown;
      try {
        more = await pollOnce();
      } catch {
        break; // only an abort ends p-retry with retries: Infinity
      }
      if (!more) await wait(intervalMs);
    }
  })();

  return {
    async close() {
      stop();
      options.signal?.removeEventListener('abort', stop);
      await loop;
    },
  };
}
