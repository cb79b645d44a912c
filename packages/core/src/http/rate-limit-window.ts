/**
 * The rate-limit window a client learns from its responses' headers, kept in the client or shared
 * through a `StateStore` by every instance sending through one account.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SharedRateLimitState } from './http-client-types.js';
import type { HeaderMap, RateLimitState } from './rate-limit-headers.js';

/** Options of {@link createRateLimitWindow}. */
export interface RateLimitWindowOptions {
  /** Reads the provider's headers (`HttpClientOptions.readRateLimit`, default `parseRateLimit`). */
  read: (headers: HeaderMap, now: number) => RateLimitState;
  /** Where several instances share the window; absent: this window only. */
  shared?: SharedRateLimitState | undefined;
  /** Longest single wait in milliseconds (`retry.maxRetryAfterMs`). */
  maxWaitMs: number;
}

/** When to stop sending, learned from the responses. */
export interface RateLimitWindow {
  /** Learns from one response's headers (lower-case names). Never throws. */
  note(headers: HeaderMap): Promise<void>;
  /** Waits until the window the client (or a sharing instance) learned is over, at most `maxWaitMs`. */
  wait(signal: AbortSignal | undefined): Promise<void>;
}

/**
 * Creates the window. Resets come in whole seconds (some providers round down, so waiting for it
 * trips a 429; others round up, so it wastes up to a second per window). When the provider also
 * sends its window length (`RateLimit-Policy: <limit>;w=<seconds>`), the response that opened the
 * window (`remaining = limit - 1`) gives its end to the millisecond: never early, since that
 * response arrived after the provider started the window. It is used while it agrees with the
 * whole-second reset. Store reads and writes are best effort: a failing store never fails a request
 * (the window then lives in this client only).
 */
export function createRateLimitWindow(options: RateLimitWindowOptions): RateLimitWindow {
  const { shared, maxWaitMs } = options;
  let blockedUntil = 0;
  /** When the provider's current window ends, timed from the response that opened it. */
  let windowEndsAt: number | undefined;

  const storeSet = async (suffix: string, value: number, now: number) => {
    if (!shared || value <= now) return;
    try {
      await shared.store.set(`${shared.key}:${suffix}`, value, { ttlMs: Math.ceil(value - now) + 1000 });
    } catch {
      // Fall back to the in-process window.
    }
  };
  const storeGet = async (suffix: string): Promise<number | undefined> => {
    if (!shared) return undefined;
    try {
      const value = await shared.store.get<number>(`${shared.key}:${suffix}`);
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    async note(headers) {
      const now = Date.now();
      const state = options.read(headers, now);
      if (state.windowMs !== undefined && state.limit !== undefined && state.remaining === state.limit - 1) {
        windowEndsAt = now + state.windowMs;
        await storeSet('window', windowEndsAt, now);
      }
      if (state.remaining !== 0) return;
      let until = state.resetAt;
      // Another instance may have seen the response that opened the window.
      const knownEnd =
        windowEndsAt !== undefined && windowEndsAt > now
          ? windowEndsAt
          : ((await storeGet('window')) ?? windowEndsAt);
      if (knownEnd !== undefined && (until === undefined || Math.abs(knownEnd - until) <= 1000)) {
        until = knownEnd;
      }
      if (until !== undefined && until > now) {
        blockedUntil = until;
        await storeSet('blocked', until, now);
      }
    },
    async wait(signal) {
      const sharedUntil = await storeGet('blocked');
      const wait = Math.max(blockedUntil, sharedUntil ?? 0) - Date.now();
      if (wait > 0) await sleep(Math.min(wait, maxWaitMs), undefined, { signal });
    },
  };
}
