import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ChatEvent,
  createMemoryStateStore,
  ProviderUnavailableError,
  RateLimitError,
} from '@switchboard/core';
import { describe, expect, it, vi } from 'vitest';
import {
  type BlueskyPollerOptions,
  MAX_POLL_BACKOFF_MS,
  pollBackoffMs,
  startBlueskyPoller,
} from './bluesky-poller.js';
import { type GetLogOutput, getLogOutputSchema } from './bluesky-schemas.js';

const KEY = 'bluesky:did:plc:me:getLog.cursor';

/**
 * A server-side event log: getLog(cursor) returns up to 2 entries after it; without a cursor, none
 * and the latest rev (`r0000` when empty), like the emulator.
 */
function fakeLog() {
  const entries: { $type: string; rev: string; convoId: string }[] = [];
  const requests: (string | undefined)[] = [];
  const failures: Error[] = [];
  return {
    requests,
    append(convoId = 'c1') {
      const rev = `r${String(entries.length + 1).padStart(4, '0')}`;
      entries.push({ $type: 'chat.bsky.convo.defs#logBeginConvo', rev, convoId });
    },
    failNext(error: Error) {
      failures.push(error);
    },
    fetchLog: vi.fn(async (cursor: string | undefined, signal: AbortSignal): Promise<GetLogOutput> => {
      requests.push(cursor);
      signal.throwIfAborted();
      const failure = failures.shift();
      if (failure) throw failure;
      if (cursor === undefined) return { logs: [], cursor: entries.at(-1)?.rev ?? 'r0000' };
      const page = entries.filter((entry) => entry.rev > cursor).slice(0, 2);
      return getLogOutputSchema.parse({ logs: page, cursor: page.at(-1)?.rev ?? cursor });
    }),
  };
}

function setup(overrides: Partial<BlueskyPollerOptions> = {}) {
  const log = fakeLog();
  const events: ChatEvent[] = [];
  const errors: unknown[] = [];
  const store = createMemoryStateStore();
  const options: BlueskyPollerOptions = {
    fetchLog: log.fetchLog,
    map: (entry) =>
      entry.$type === 'unknown'
        ? undefined
        : { type: 'conversation.created', provider: 'bluesky', conversationId: entry.convoId, raw: entry },
    sink: (event) => events.push(event),
    onError: (error) => errors.push(error),
    store,
    storeKey: KEY,
    intervalMs: 10,
    ...overrides,
  };
  return { log, events, errors, store, options };
}

const revs = (events: ChatEvent[]) => events.map((event) => (event.raw as { rev: string }).rev);
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 500 && !condition(); i += 1) await sleep(5);
  expect(condition()).toBe(true);
};

describe('startBlueskyPoller', () => {
  it('seeds the cursor without reporting the past, then reports new entries in order, exactly once', async () => {
    const { log, events, store, options } = setup();
    log.append();
    log.append();
    const subscription = await startBlueskyPoller(options);
    expect(log.requests).toEqual([undefined]);
    expect(await store.get(KEY)).toBe('r0002');
    await sleep(30);
    expect(events).toEqual([]);

    for (let i = 0; i < 5; i += 1) log.append();
    await until(() => events.length === 5);
    await sleep(50);
    await subscription.close();

    expect(revs(events)).toEqual(['r0003', 'r0004', 'r0005', 'r0006', 'r0007']);
    expect(await store.get(KEY)).toBe('r0007');
    // The seed is the only request without a cursor.
    expect(log.requests.filter((cursor) => cursor === undefined)).toHaveLength(1);
  });

  it('polls again at once while the cursor moves (pages of 2), then waits the interval', async () => {
    const { log, events, options } = setup({ intervalMs: 60_000 });
    for (let i = 0; i < 6; i += 1) log.append();
    // Resuming from r0001: r0002..r0006 arrive in 3 pages, then 1 empty poll, long before the 60 s interval.
    const subscription = await startBlueskyPoller({ ...options, store: seeded('r0001') });
    await until(() => events.length === 5);
    await subscription.close();
    expect(log.requests).toEqual(['r0001', 'r0003', 'r0005', 'r0006']);
  });

  it('resumes from a saved cursor without seeding', async () => {
    const { log, events, options } = setup();
    for (let i = 0; i < 3; i += 1) log.append();
    const subscription = await startBlueskyPoller({ ...options, store: seeded('r0001') });
    await until(() => events.length === 2);
    await subscription.close();
    expect(log.requests[0]).toBe('r0001');
    expect(revs(events)).toEqual(['r0002', 'r0003']);
  });

  it('skips entries at or before the cursor (a server repeating itself)', async () => {
    const { events, options } = setup();
    const page = getLogOutputSchema.parse({
      cursor: 'r3',
      logs: ['r1', 'r2', 'r2', 'r3'].map((rev) => ({
        $type: 'chat.bsky.convo.defs#logBeginConvo',
        rev,
        convoId: 'c',
      })),
    });
    const fetchLog = vi.fn(async () => page);
    const subscription = await startBlueskyPoller({ ...options, fetchLog, store: seeded('r1') });
    await until(() => fetchLog.mock.calls.length >= 3);
    await subscription.close();
    expect(revs(events)).toEqual(['r2', 'r3']);
  });

  it('reports errors, backs off, and resumes from the saved cursor without re-seeding or losing events', async () => {
    const { log, events, errors, options } = setup();
    const subscription = await startBlueskyPoller(options);
    const failure = new ProviderUnavailableError('bluesky: getLog failed with HTTP 502', {
      provider: 'bluesky',
    });
    log.failNext(failure);
    log.failNext(failure);
    log.append();
    log.append();
    await until(() => events.length === 2);
    await subscription.close();

    expect(errors).toEqual([failure, failure]);
    expect(revs(events)).toEqual(['r0001', 'r0002']);
    expect(log.requests.filter((cursor) => cursor === undefined)).toHaveLength(1);
  });

  it('reports a throwing sink and keeps going', async () => {
    const { log, errors, options } = setup();
    const seen: string[] = [];
    const sink = (event: ChatEvent) => {
      seen.push(event.conversationId);
      if (event.conversationId === 'boom') throw new Error('sink failed');
    };
    const subscription = await startBlueskyPoller({ ...options, sink });
    log.append('boom');
    log.append('fine');
    await until(() => seen.length === 2);
    await subscription.close();
    expect(seen).toEqual(['boom', 'fine']);
    expect(errors).toEqual([new Error('sink failed')]);
  });

  it('rejects when the seed request fails', async () => {
    const { log, options } = setup();
    const failure = new ProviderUnavailableError('down', { provider: 'bluesky' });
    log.failNext(failure);
    await expect(startBlueskyPoller(options)).rejects.toBe(failure);
  });

  it('close() aborts the request in flight, clears its timer and stops', async () => {
    const { options } = setup({ intervalMs: 60_000 });
    let inFlight: AbortSignal | undefined;
    const fetchLog = vi.fn(
      async (_cursor: string | undefined, signal: AbortSignal): Promise<GetLogOutput> => {
        inFlight = signal;
        await sleep(60_000, undefined, { signal });
        return { logs: [] };
      },
    );
    const timersBefore = process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const subscription = await startBlueskyPoller({ ...options, fetchLog, store: seeded('r0') });
    await until(() => inFlight !== undefined);
    await subscription.close();
    expect(inFlight!.aborted).toBe(true);
    expect(fetchLog).toHaveBeenCalledTimes(1);
    expect(process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length).toBe(timersBefore);
    await subscription.close(); // idempotent
  });

  it('stops when the caller aborts its signal', async () => {
    const { log, events, options } = setup();
    const controller = new AbortController();
    const subscription = await startBlueskyPoller({ ...options, signal: controller.signal });
    controller.abort();
    await sleep(30);
    log.append();
    const requests = log.requests.length;
    await sleep(50);
    expect(log.requests.length).toBe(requests);
    expect(events).toEqual([]);
    await subscription.close();
  });
});

describe('pollBackoffMs', () => {
  it('doubles the interval per failure, capped, and honours Retry-After', () => {
    expect([1, 2, 3].map((failures) => pollBackoffMs(5_000, failures))).toEqual([10_000, 20_000, 40_000]);
    expect(pollBackoffMs(5_000, 20)).toBe(MAX_POLL_BACKOFF_MS);
    expect(pollBackoffMs(5_000, 1, 42_000)).toBe(42_000);
    expect(pollBackoffMs(5_000, 20, 900_000)).toBe(900_000);
  });
});

function seeded(cursor: string) {
  const store = createMemoryStateStore();
  void store.set(KEY, cursor);
  return store;
}

describe('startBlueskyPoller across instances (one lease per account)', () => {
  it('polls from one poller at a time on a shared store; a stand-by takes over, nothing lost or doubled', async () => {
    const { log, options } = setup();
    const delivered: string[][] = [[], [], []];
    const pollers = [];
    for (const i of [0, 1, 2]) {
      pollers.push(
        await startBlueskyPoller({
          ...options,
          sink: (event) => delivered[i]!.push((event.raw as { rev: string }).rev),
          lease: { ttlMs: 200 },
        }),
      );
    }
    expect(log.requests).toEqual([undefined]);
    for (let n = 0; n < 6; n += 1) log.append();
    await until(() => delivered.flat().length === 6);
    const holder = delivered.findIndex((list) => list.length === 6);
    expect(holder).toBeGreaterThanOrEqual(0);
    const requestsBefore = log.requests.length;
    await sleep(100);
    // Idle: only the holder polls, about one request per 10 ms interval (three pollers: ~30).
    expect(log.requests.length - requestsBefore).toBeLessThanOrEqual(15);
    await pollers[holder]!.close();
    for (let n = 0; n < 4; n += 1) log.append();
    await until(() => delivered.flat().length === 10);
    await sleep(50);
    expect(delivered.flat().sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `r${String(i + 1).padStart(4, '0')}`),
    );
    expect(delivered[holder]).toHaveLength(6);
    await Promise.all(pollers.map((poller) => poller.close()));
  });

  it('refuses the cursor write of a deposed holder (fenced): the cursor never moves back', async () => {
    const { log, store, options } = setup();
    log.append();
    let release: (() => void) | undefined;
    const stalling = vi.fn(async (cursor: string | undefined, signal: AbortSignal) => {
      const page = await log.fetchLog(cursor, signal);
      if (cursor !== undefined && page.logs.length > 0 && !release) {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      return page;
    });
    const old = await startBlueskyPoller({ ...options, fetchLog: stalling, lease: { ttlMs: 60 } });
    log.append();
    await until(() => release !== undefined);
    // The old holder stalls past its TTL; another instance takes over and moves the cursor on.
    const events: ChatEvent[] = [];
    const fresh = await startBlueskyPoller({
      ...options,
      sink: (e) => events.push(e),
      lease: { ttlMs: 60_000 },
    });
    await until(() => events.length === 1);
    log.append();
    await until(() => events.length === 2);
    await vi.waitFor(async () => expect(await store.get(KEY)).toBe('r0003'));
    release!();
    await sleep(50);
    expect(await store.get(KEY)).toBe('r0003');
    await Promise.all([old.close(), fresh.close()]);
  });
});

describe('startBlueskyPoller backing off longer than its lease', () => {
  it('releases the lease before the wait, so a stand-by polls meanwhile; close() during the wait returns at once', async () => {
    const { log, options } = setup();
    const slowDown = new RateLimitError('bluesky: getLog rate limited', {
      provider: 'bluesky',
      retryAfterMs: 120_000,
    });
    const failing = vi.fn(async (cursor: string | undefined, signal: AbortSignal) => {
      if (cursor === undefined) return log.fetchLog(cursor, signal); // the seed succeeds
      throw slowDown;
    });
    const errors: unknown[] = [];
    // TTL 60 s: without the release, the stand-by could not poll before the end of the test.
    const holder = await startBlueskyPoller({
      ...options,
      fetchLog: failing,
      onError: (error) => errors.push(error),
      lease: { ttlMs: 60_000 },
    });
    const events: ChatEvent[] = [];
    const standBy = await startBlueskyPoller({
      ...options,
      sink: (e) => events.push(e),
      lease: { ttlMs: 60_000 },
    });
    log.append();
    await until(() => events.length === 1);
    expect(errors).toEqual([slowDown]);
    expect(failing).toHaveBeenCalledTimes(2); // the seed and the rate-limited poll, then it waits
    await holder.close(); // the test would time out if close() waited out the 120 s backoff
    await standBy.close();
  });
});
