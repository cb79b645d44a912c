import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatEvent, EventSink, Subscription } from '@switchboard/core';
import type { HttpClient } from '@switchboard/core/http';
import { type MemoryWireEvent, memoryEventPageSchema } from './memory-schemas.js';

/** Options of {@link startMemoryEventPoller}. */
export interface MemoryEventPollerOptions {
  http: HttpClient;
  sink: EventSink;
  /** Maps a feed entry to a `ChatEvent` (`undefined`: skip it). */
  toEvent(event: MemoryWireEvent): ChatEvent | undefined;
  /** How long the backend may hold one long-poll open, in ms. */
  waitMs: number;
  /** Called with each error the poller recovers from. */
  onError?: (error: unknown) => void;
  /** Stops the poller, like `close()`. */
  signal?: AbortSignal;
}

/** First and longest pause after failed polls, in ms (doubling in between). */
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;

/**
 * Long-polls `GET /v1/events` with its cursor: resolves once the current position is known (so no
 * event after `subscribe()` resolves is missed), then delivers events until closed. Errors go to
 * `onError` and the poller backs off (0.5 s doubling to 30 s, with jitter) and resumes from its cursor.
 * `close()` aborts the open long-poll and any back-off timer, so nothing is left running.
 */
export async function startMemoryEventPoller(options: MemoryEventPollerOptions): Promise<Subscription> {
  const { http, sink, toEvent, waitMs, onError } = options;
  const controller = new AbortController();
  const stop = () => controller.abort();
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, a signal dispatches 'abort' once, and close() removes the listener either way
  options.signal?.addEventListener('abort', stop, { once: true });
  const { signal } = controller;

  let cursor: string;
  try {
    cursor = (
      await http.request({ method: 'GET', path: '/v1/events', schema: memoryEventPageSchema, signal })
    ).cursor;
  } catch (error) {
    options.signal?.removeEventListener('abort', stop);
    throw error;
  }

  const loop = async () => {
    let failures = 0;
    while (!signal.aborted) {
      try {
        const page = await http.request({
          method: 'GET',
          path: '/v1/events',
          query: { cursor, waitMs },
          schema: memoryEventPageSchema,
          signal,
          timeoutMs: waitMs + 10_000,
        });
        failures = 0;
        cursor = page.cursor;
        for (const entry of page.events) {
          const event = toEvent(entry);
          if (event) sink(event);
        }
      } catch (error) {
        if (signal.aborted) return;
        onError?.(error);
        failures += 1;
        const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (failures - 1)) * (1 + Math.random());
        await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
    }
  };
  const running = loop();

  return {
    async close() {
      stop();
      options.signal?.removeEventListener('abort', stop);
      await running;
    },
  };
}
