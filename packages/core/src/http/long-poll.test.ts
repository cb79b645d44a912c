import { afterEach, describe, expect, it } from 'vitest';
import type { Subscription } from '../chat-adapter.js';
import { RateLimitError } from '../errors.js';
import { type LongPollBackoff, longPollBackoffMs, startLongPoll } from './long-poll.js';

const open: Subscription[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** Resolves when `predicate` holds, checking after every poll/error (event-driven, bounded by the test timeout). */
function until(check: () => boolean, poke: { notify?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const test = () => {
      if (check()) resolve();
    };
    poke.notify = test;
    test();
  });
}

/** Records when each poll ran (returns how many ran) and wakes `until` after each. */
function pollRecorder() {
  const at: number[] = [];
  const poke: { notify?: () => void } = {};
  const record = () => {
    at.push(performance.now());
    poke.notify?.();
    return at.length;
  };
  return { at, poke, record };
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('startLongPoll', () => {
  it('polls again at once while more is waiting, and after intervalMs when caught up', async () => {
    const { at, poke, record } = pollRecorder();
    const sub = startLongPoll({
      intervalMs: 40,
      poll: async () => record() < 3, // two "more waiting" answers, then caught up
    });
    open.push(sub);
    await until(() => at.length >= 4, poke);
    await sub.close();
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
    expect(gaps[2]).toBeGreaterThanOrEqual(39); // caught up: waited the interval
    expect(at.length).toBeLessThanOrEqual(5);
  });

  it('backs off exponentially from 2 × intervalMs on errors, reports each, and resets after a success', async () => {
    const { at, poke, record } = pollRecorder();
    const errors: unknown[] = [];
    const sub = startLongPoll({
      intervalMs: 15,
      onError: (error) => errors.push(error),
      poll: async () => {
        const n = record();
        if (n <= 3) throw new TypeError(`failure ${n}`); // plain TypeErrors too
        return false;
      },
    });
    open.push(sub);
    await until(() => at.length >= 5, poke);
    await sub.close();
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
    expect(errors.map((e) => (e as Error).message)).toEqual(['failure 1', 'failure 2', 'failure 3']);
    expect(gaps[0]).toBeGreaterThanOrEqual(29); // 2 × 15
    expect(gaps[1]).toBeGreaterThanOrEqual(59); // 4 × 15
    expect(gaps[2]).toBeGreaterThanOrEqual(119); // 8 × 15
    expect(gaps[3]).toBeGreaterThanOrEqual(14); // success: back to the interval
  });

  it("waits at least the error's retryAfterMs when it is longer than the backoff", async () => {
    const { at, poke, record } = pollRecorder();
    const sub = startLongPoll({
      intervalMs: 5,
      poll: async () => {
        if (record() === 1) throw new RateLimitError('slow down', { retryAfterMs: 200 });
        return false;
      },
    });
    open.push(sub);
    await until(() => at.length >= 2, poke);
    await sub.close();
    expect((at[1] as number) - (at[0] as number)).toBeGreaterThanOrEqual(199);
  });

  it('close() during a long backoff resolves without waiting it out, and no poll follows', async () => {
    let polls = 0;
    const poke: { notify?: () => void } = {};
    let failed = false;
    const sub = startLongPoll({
      intervalMs: 60_000,
      onError: () => {
        failed = true;
        poke.notify?.();
      },
      poll: async () => {
        polls += 1;
        throw new Error('down');
      },
    });
    await until(() => failed, poke);
    await sub.close(); // the test would time out if close() waited for the 120 s backoff
    expect(polls).toBe(1);
  });

  it('an abort of options.signal aborts the poll in flight and ends the loop', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const poke: { notify?: () => void } = {};
    const sub = startLongPoll({
      intervalMs: 10,
      signal: controller.signal,
      poll: (signal) => {
        seen = signal;
        poke.notify?.();
        return new Promise(() => undefined); // a request that never answers
      },
    });
    await until(() => seen !== undefined, poke);
    controller.abort();
    expect(seen?.aborted).toBe(true);
    await sub.close();
  });

  it('keeps the process alive while started: its waits are referenced timers', async () => {
    const before = timers();
    let polled = 0;
    const poke: { notify?: () => void } = {};
    const errors: unknown[] = [];
    const sub = startLongPoll({
      intervalMs: 60_000,
      onError: (error) => errors.push(error),
      poll: async () => {
        polled += 1;
        poke.notify?.();
        if (polled === 1) return false; // then the interval wait
        throw new Error('never reached');
      },
    });
    open.push(sub);
    await until(() => polled === 1, poke);
    await turn();
    await turn();
    expect(timers()).toBeGreaterThan(before); // the interval wait
    await sub.close();
    expect(timers()).toBe(before);

    const failing = startLongPoll({
      intervalMs: 60_000,
      onError: (error) => {
        errors.push(error);
        poke.notify?.();
      },
      poll: async () => {
        throw new Error('down');
      },
    });
    open.push(failing);
    await until(() => errors.length === 1, poke);
    await turn();
    await turn();
    expect(timers()).toBeGreaterThan(before); // the backoff wait
  });

  it('tells onBackoff the error, the failure count and the wait, and awaits it before waiting', async () => {
    const backoffs: LongPollBackoff[] = [];
    const events: string[] = [];
    const poke: { notify?: () => void } = {};
    const slowDown = new RateLimitError('slow down', { retryAfterMs: 90 });
    const sub = startLongPoll({
      intervalMs: 10,
      onError: () => events.push('error'),
      onBackoff: async (backoff) => {
        backoffs.push(backoff);
        events.push('backoff start');
        await new Promise((resolve) => setTimeout(resolve, 20));
        events.push('backoff end');
      },
      poll: async () => {
        events.push('poll');
        poke.notify?.();
        if (events.filter((e) => e === 'poll').length <= 2) throw slowDown;
        return false;
      },
    });
    open.push(sub);
    await until(() => events.filter((e) => e === 'poll').length >= 3, poke);
    await sub.close();
    expect(events.slice(0, 9)).toEqual([
      'poll',
      'error',
      'backoff start',
      'backoff end',
      'poll',
      'error',
      'backoff start',
      'backoff end',
      'poll',
    ]);
    expect(backoffs).toEqual([
      { error: slowDown, failures: 1, delayMs: 90 }, // retryAfterMs beats 2 × 10
      { error: slowDown, failures: 2, delayMs: 90 },
    ]);
  });

  it('reports an onBackoff that throws and keeps polling', async () => {
    const errors: unknown[] = [];
    let polls = 0;
    const poke: { notify?: () => void } = {};
    const hookFailure = new Error('hook failed');
    const sub = startLongPoll({
      intervalMs: 5,
      onError: (error) => errors.push(error),
      onBackoff: () => {
        throw hookFailure;
      },
      poll: async () => {
        polls += 1;
        poke.notify?.();
        if (polls === 1) throw new Error('down');
        return false;
      },
    });
    open.push(sub);
    await until(() => polls >= 2, poke);
    await sub.close();
    expect(errors.map((e) => (e as Error).message)).toEqual(['down', 'hook failed']);
  });

  it('close() while onBackoff hangs resolves at once, and no poll follows', async () => {
    let polls = 0;
    let hooked = false;
    const poke: { notify?: () => void } = {};
    const sub = startLongPoll({
      intervalMs: 10,
      onBackoff: () => {
        hooked = true;
        poke.notify?.();
        return new Promise(() => undefined); // e.g. a store that never answers
      },
      poll: async () => {
        polls += 1;
        throw new Error('down');
      },
    });
    await until(() => hooked, poke);
    await sub.close(); // the test would time out if close() waited for the hook
    expect(polls).toBe(1);
  });

  it('refuses a non-positive interval', () => {
    expect(() => startLongPoll({ intervalMs: 0, poll: async () => false })).toThrow(RangeError);
  });
});

describe('longPollBackoffMs', () => {
  it('doubles the interval per failure, capped at maxBackoffMs, and honours a longer retryAfterMs', () => {
    expect([1, 2, 3].map((failures) => longPollBackoffMs(5_000, failures))).toEqual([10_000, 20_000, 40_000]);
    expect(longPollBackoffMs(5_000, 20)).toBe(300_000);
    expect(longPollBackoffMs(5_000, 20, { maxBackoffMs: 60_000 })).toBe(60_000);
    expect(longPollBackoffMs(5_000, 1, { retryAfterMs: 42_000 })).toBe(42_000);
    expect(longPollBackoffMs(5_000, 20, { retryAfterMs: 900_000 })).toBe(900_000);
  });
});
