import { describe, expect, it } from 'vitest';
import { createMemoryStateStore } from '../state-store.js';
import { parseRateLimit } from './rate-limit-headers.js';
import { createRateLimitWindow } from './rate-limit-window.js';

const acmeHeaders = (remaining: number, resetSeconds: number) => ({
  'x-acme-limit': '10',
  'x-acme-remaining': String(remaining),
  'x-acme-reset': String(resetSeconds),
});
const readAcme = (headers: Record<string, string | undefined>, now: number) =>
  parseRateLimit(headers, now, ['x-acme-']);

describe('createRateLimitWindow', () => {
  it("reads the provider's own headers through the hook, and waits once the budget is spent", async () => {
    const window = createRateLimitWindow({ read: readAcme, maxWaitMs: 5000 });
    await window.note(acmeHeaders(3, 30));
    let started = performance.now();
    await window.wait(undefined);
    expect(performance.now() - started).toBeLessThan(2000); // budget left: no 5 s wait
    await window.note(acmeHeaders(0, 0.2));
    started = performance.now();
    await window.wait(undefined);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('ignores headers the reader does not know, and caps a wait at maxWaitMs', async () => {
    const ignoring = createRateLimitWindow({ read: readAcme, maxWaitMs: 5000 });
    await ignoring.note({ 'ratelimit-remaining': '0', 'ratelimit-reset': '30' });
    let started = performance.now();
    await ignoring.wait(undefined);
    expect(performance.now() - started).toBeLessThan(2000); // not the 5 s cap
    const capped = createRateLimitWindow({ read: readAcme, maxWaitMs: 100 });
    await capped.note(acmeHeaders(0, 30));
    started = performance.now();
    await capped.wait(undefined);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(performance.now() - started).toBeLessThan(10_000); // not the 30 s reset
  });

  it('shares the window through a store: a second window waits for what the first learned', async () => {
    const shared = { store: createMemoryStateStore(), key: 'acme:{me}:ratelimit' };
    const first = createRateLimitWindow({ read: readAcme, shared, maxWaitMs: 5000 });
    const second = createRateLimitWindow({ read: readAcme, shared, maxWaitMs: 5000 });
    await first.note(acmeHeaders(0, 0.2));
    const started = performance.now();
    await second.wait(undefined);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });
});
