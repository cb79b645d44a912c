import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../test/chats-api/chats-api-test-client.js';
import { type ChatsApiEmulator, startChatsApiEmulator } from './index.js';

let emu: ChatsApiEmulator;
beforeEach(async () => {
  emu = await startChatsApiEmulator({ users: [{ username: 'alice', password: 'alice-password' }] });
});
afterEach(() => emu.close());

describe('faults and rate limits (DEFINE: the real server has none)', () => {
  it('answers 429 {"detail": "Too Many Requests"} with Retry-After and X-RateLimit-* headers', async () => {
    emu.faults.setRateLimit({ limit: 2, windowMs: 10_000 });
    const token = emu.tokenFor('alice');
    const ok = await call(emu.url, 'GET', '/me', { token });
    expect(ok.headers.get('x-ratelimit-limit')).toBe('2');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('1');
    await call(emu.url, 'GET', '/me', { token });
    const limited = await call(emu.url, 'GET', '/me', { token });
    expect(limited).toMatchObject({ status: 429, body: { detail: 'Too Many Requests' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('rounds an injected rate limit up to whole seconds', async () => {
    emu.faults.inject({ fault: { kind: 'rate-limit', retryAfterMs: 1500 } });
    const limited = await call(emu.url, 'GET', '/health');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
  });

  it('answers injected statuses with FastAPI bodies', async () => {
    emu.faults.inject({ fault: { kind: 'status', status: 503 } });
    emu.faults.inject({ fault: { kind: 'status', status: 401 } });
    expect(await call(emu.url, 'GET', '/health')).toMatchObject({
      status: 503,
      body: { detail: 'Service Unavailable' },
    });
    expect(await call(emu.url, 'GET', '/health')).toMatchObject({
      status: 401,
      body: { detail: 'Invalid token' },
    });
  });
});
