import { describe, expect, it } from 'vitest';
import { createWindowRateLimiter } from './window-rate-limiter.js';

function limiterAt(start: number, limit = 3, windowMs = 1000) {
  const clock = { t: start };
  const limiter = createWindowRateLimiter({ limit, windowMs, now: () => clock.t });
  return { clock, limiter };
}

describe('createWindowRateLimiter', () => {
  it.each([
    [{ limit: 0, windowMs: 1000 }],
    [{ limit: 3, windowMs: 0 }],
    [{ limit: -1, windowMs: 1000 }],
    [{ limit: Number.NaN, windowMs: 1000 }],
  ])('rejects %j', (options) => {
    expect(() => createWindowRateLimiter(options)).toThrow(RangeError);
  });

  it('allows `limit` requests per window, counting remaining down to 0', () => {
    const { limiter } = limiterAt(10_000);
    const decisions = [limiter.take(), limiter.take(), limiter.take(), limiter.take()];
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions.every((d) => d.limit === 3 && d.windowMs === 1000)).toBe(true);
  });

  it('aligns the window to the first request and reports when it ends', () => {
    const { clock, limiter } = limiterAt(10_000);
    clock.t = 10_250; // first request
    expect(limiter.take()).toMatchObject({ resetAt: 11_250, retryAfterMs: 1000 });
    clock.t = 10_900;
    expect(limiter.take()).toMatchObject({ resetAt: 11_250, retryAfterMs: 350 });
  });

  it('rolls to a new window exactly at windowStart + windowMs, not a millisecond earlier', () => {
    const { clock, limiter } = limiterAt(0);
    for (let i = 0; i < 3; i += 1) limiter.take();
    clock.t = 999;
    expect(limiter.take()).toMatchObject({ allowed: false, retryAfterMs: 1 });
    clock.t = 1000;
    expect(limiter.take()).toMatchObject({ allowed: true, remaining: 2, resetAt: 2000 });
  });

  it('denied requests do not use up the next window', () => {
    const { clock, limiter } = limiterAt(0, 1);
    limiter.take();
    for (let i = 0; i < 5; i += 1) expect(limiter.take().allowed).toBe(false);
    clock.t = 1000;
    expect(limiter.take()).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('a quiet period longer than several windows starts a fresh window at the next request', () => {
    const { clock, limiter } = limiterAt(0);
    limiter.take();
    clock.t = 5_432;
    expect(limiter.take()).toMatchObject({ allowed: true, remaining: 2, resetAt: 6_432 });
  });

  it('peek reports without counting', () => {
    const { limiter } = limiterAt(0, 2);
    expect(limiter.peek()).toMatchObject({ allowed: true, remaining: 2 });
    expect(limiter.peek()).toMatchObject({ allowed: true, remaining: 2 });
    limiter.take();
    limiter.take();
    expect(limiter.peek()).toMatchObject({ allowed: false, remaining: 0 });
  });

  it('reset forgets the window', () => {
    const { limiter } = limiterAt(0, 1);
    limiter.take();
    expect(limiter.take().allowed).toBe(false);
    limiter.reset();
    expect(limiter.take().allowed).toBe(true);
  });

  it('uses Date.now by default', () => {
    const before = Date.now();
    const decision = createWindowRateLimiter({ limit: 1, windowMs: 60_000 }).take();
    expect(decision.resetAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(decision.resetAt).toBeLessThanOrEqual(Date.now() + 60_000);
  });
});
