import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBrevoPresence } from './brevo-presence.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('brevo presence', () => {
  it('pings at once, then every interval, until stopped', async () => {
    const ping = vi.fn(async () => undefined);
    const presence = createBrevoPresence({ intervalMs: 60_000, ping, onError: () => undefined });
    presence.start();
    presence.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(ping).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(ping).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(ping).toHaveBeenCalledTimes(2);
    presence.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(ping).toHaveBeenCalledTimes(2);
  });

  it('reports failed pings and keeps going', async () => {
    const errors: unknown[] = [];
    const ping = vi.fn(async () => {
      throw new Error('429');
    });
    const presence = createBrevoPresence({ intervalMs: 1_000, ping, onError: (e) => errors.push(e) });
    presence.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ping).toHaveBeenCalledTimes(3);
    expect(errors).toHaveLength(3);
    presence.stop();
  });

  it('aborts a ping in flight on stop without reporting it', async () => {
    const errors: unknown[] = [];
    let signal: AbortSignal | undefined;
    const presence = createBrevoPresence({
      intervalMs: 1_000,
      ping: (s) => {
        signal = s;
        return new Promise((_, reject) => s.addEventListener('abort', () => reject(s.reason)));
      },
      onError: (e) => errors.push(e),
    });
    presence.start();
    presence.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(signal?.aborted).toBe(true);
    expect(errors).toEqual([]);
  });
});
