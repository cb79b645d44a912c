import { afterEach, describe, expect, it } from 'vitest';
import { blueskyAccounts } from '../../test/test-accounts.js';
import { callXrpc, login } from './bluesky-test-client.js';
import {
  BLUESKY_PDS_RATE_LIMIT,
  type BlueskyEmulator,
  type BlueskyEmulatorOptions,
  blueskyProfile,
  startBlueskyEmulator,
  xrpcErrorBody,
} from './index.js';

let emulator: BlueskyEmulator;
let token: string;

async function start(options: BlueskyEmulatorOptions = {}) {
  emulator = await startBlueskyEmulator({
    accounts: blueskyAccounts('alice', 'bob'),
    ...options,
  });
  token = (await login(emulator, 'alice.test', 'pw-alice')).accessJwt;
  emulator.faults.resetStats();
}
afterEach(() => emulator.close());

const listConvos = () => callXrpc(emulator, 'chat.bsky.convo.listConvos', { token });

describe('rate limit', () => {
  it('sends RateLimit-* headers on every response, then 429 RateLimitExceeded with Retry-After', async () => {
    await start({ rateLimit: { limit: 3, windowMs: 60_000 } });
    emulator.faults.setRateLimit({ limit: 3, windowMs: 60_000 }); // fresh window (login used one)
    const before = Math.floor(Date.now() / 1000);
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i += 1) {
      const answer = await listConvos();
      expect(answer.status).toBe(200);
      expect(answer.headers.get('ratelimit-limit')).toBe('3');
      expect(answer.headers.get('ratelimit-policy')).toBe('3;w=60');
      const reset = Number(answer.headers.get('ratelimit-reset'));
      expect(reset).toBeGreaterThanOrEqual(before + 59);
      expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
      remaining.push(answer.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const limited = await listConvos();
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' });
    expect(limited.headers.get('content-length')).toBe('61'); // as in the real answer (spec §7.8)
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(emulator.faults.rateLimitedCount).toBe(1);
  });

  it('sends no RateLimit headers unless a limit is configured', async () => {
    await start();
    const answer = await listConvos();
    expect(answer.headers.get('ratelimit-limit')).toBeNull();
    emulator.faults.setRateLimit(BLUESKY_PDS_RATE_LIMIT);
    const limited = await listConvos();
    expect(limited.headers.get('ratelimit-limit')).toBe('3000');
    expect(limited.headers.get('ratelimit-policy')).toBe('3000;w=300');
  });

  it('an injected rate-limit fault says when to retry, in whole seconds', async () => {
    await start();
    emulator.faults.inject({ fault: { kind: 'rate-limit', retryAfterMs: 41_200 } });
    const limited = await listConvos();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('42');
    expect((await listConvos()).status).toBe(200);
  });
});

describe('injected faults', () => {
  it.each([
    [500, 'InternalServerError', 'Internal Server Error'],
    [502, 'UpstreamFailure', 'Upstream service unreachable'],
    [503, 'NotEnoughResources', 'Not Enough Resources'],
    [504, 'UpstreamTimeout', 'Upstream Timeout'],
    [401, 'AuthenticationRequired', 'Authentication Required'],
  ])('status %i answers the XRPC body {error: %s}', async (status, error, message) => {
    await start();
    emulator.faults.inject({ fault: { kind: 'status', status } });
    const answer = await listConvos();
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error, message });
    expect((await listConvos()).status).toBe(200);
  });

  it('xrpcErrorBody falls back like httpResponseCodeToEnum for other statuses', () => {
    expect(xrpcErrorBody(418)).toEqual({ error: 'InvalidRequest', message: 'Invalid Request' });
    expect(xrpcErrorBody(599)).toEqual({ error: 'InternalServerError', message: 'Internal Server Error' });
    expect(blueskyProfile.errorBody(404)).toEqual({
      error: 'XRPCNotSupported',
      message: 'XRPC Not Supported',
    });
  });

  it('matches by path and fires `times` times', async () => {
    await start();
    const handle = emulator.faults.inject({
      fault: { kind: 'status', status: 503 },
      match: { method: 'GET', path: '/xrpc/chat.bsky.convo.getLog' },
      times: 2,
    });
    expect((await listConvos()).status).toBe(200);
    const getLog = () => callXrpc(emulator, 'chat.bsky.convo.getLog', { token });
    expect((await getLog()).status).toBe(503);
    expect((await getLog()).status).toBe(503);
    expect((await getLog()).status).toBe(200);
    expect(handle.hits).toBe(2);
  });

  it('latency delays the answer without changing it', async () => {
    await start();
    emulator.faults.inject({ fault: { kind: 'latency', ms: 200 } });
    const started = performance.now();
    const answer = await listConvos();
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(answer.status).toBe(200);
  });

  it('reset drops the connection before the request is processed', async () => {
    await start();
    const convoId = emulator.as('bob.test').openConvo('alice.test');
    emulator.faults.inject({
      fault: { kind: 'reset' },
      match: { path: '/xrpc/chat.bsky.convo.sendMessage' },
    });
    await expect(
      callXrpc(emulator, 'chat.bsky.convo.sendMessage', {
        token,
        body: { convoId, message: { text: 'lost' } },
      }),
    ).rejects.toThrow();
    expect(emulator.stats().messages).toBe(0);
  });

  it('reset-after-processing drops the connection after the message was stored', async () => {
    await start();
    const convoId = emulator.as('bob.test').openConvo('alice.test');
    emulator.faults.inject({ fault: { kind: 'reset-after-processing' } });
    await expect(
      callXrpc(emulator, 'chat.bsky.convo.sendMessage', {
        token,
        body: { convoId, message: { text: 'sent?' } },
      }),
    ).rejects.toThrow();
    const history = await callXrpc(emulator, 'chat.bsky.convo.getMessages', { token, params: { convoId } });
    expect((history.body as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual(['sent?']);
  });

  it('malformed answers 200 with a body that is not JSON', async () => {
    await start();
    emulator.faults.inject({ fault: { kind: 'malformed' } });
    const answer = await listConvos();
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"malformed":');
  });

  it('the in-process peer is never faulted', async () => {
    await start();
    emulator.faults.inject({ fault: { kind: 'status', status: 500 }, times: Number.POSITIVE_INFINITY });
    const bob = emulator.as('bob.test');
    const convoId = bob.openConvo('alice.test');
    expect(bob.sendMessage(convoId, 'still works')).toMatch(/^[234567a-z]{13}$/);
    expect(emulator.faults.requestCount).toBe(0);
  });
});
