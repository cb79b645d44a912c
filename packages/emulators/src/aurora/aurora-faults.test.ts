import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuroraEmulator, startAuroraEmulator } from './aurora-emulator.js';
import { auroraErrorText } from './aurora-error-bodies.js';
import { auroraTestClient } from './aurora-test-client.js';

let emulator: AuroraEmulator;
let client: ReturnType<typeof auroraTestClient>;
let token: string;
beforeEach(async () => {
  emulator = await startAuroraEmulator();
  client = auroraTestClient(emulator.url, 'v11');
  token = await client.login('aurora-user', 'aurora-password');
});
afterEach(() => emulator.close());

describe('Aurora emulator: shared fault kit', () => {
  it('rate-limits like @fastify/rate-limit: x-ratelimit-* headers, retry-after seconds, generic 429 body', async () => {
    emulator.faults.setRateLimit({ limit: 2, windowMs: 30_000 });
    const ok = await client.call('GET', '/chats', { token });
    expect(ok.headers.get('x-ratelimit-limit')).toBe('2');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('1');
    await client.call('GET', '/chats', { token });
    const limited = await client.call('GET', '/chats', { token });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/^Rate limit exceeded, retry in \d+ seconds$/),
    });
    expect(emulator.faults.rateLimitedCount).toBe(1);
  });

  it('injects statuses with Aurora’s literal bodies', async () => {
    const expected: Record<number, unknown> = {
      401: { success: false, error: auroraErrorText.authenticationFailed },
      402: { success: false, error: auroraErrorText.accountInBadStanding },
      429: { success: false, error: auroraErrorText.quotaExceeded },
      503: { statusCode: 503, error: 'Service Unavailable', message: 'Service Unavailable' },
    };
    for (const [status, body] of Object.entries(expected)) {
      emulator.faults.inject({
        fault: { kind: 'status', status: Number(status) },
        match: { path: /\/chats$/ },
      });
      const response = await client.call('GET', '/chats', { token });
      expect([response.status, response.body]).toEqual([Number(status), body]);
    }
  });

  it('reset-after-processing on POST /message stores both turns but the client sees a dropped connection', async () => {
    const chatId = emulator.createChat('aurora-user', 1);
    emulator.faults.inject({
      fault: { kind: 'reset-after-processing' },
      match: { method: 'POST', path: '/api/v11/message' },
    });
    const stream = await client.send(token, { characterId: 1, chatId, message: 'hello?' }).catch((error) => ({
      error,
    }));
    expect(stream.error).toBeDefined();
    expect(emulator.messages(chatId).map((m) => m.role)).toEqual(['assistant', 'user', 'assistant']);
  });
});
