import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { useHttpClients } from '../../test/http-test-clients.js';
import { json, startLocalServer } from '../../test/local-server.js';
import {
  AuthenticationError,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  ProviderUnavailableError,
  RateLimitError,
  TimeoutError,
} from '../errors.js';
import { createMemoryStateStore } from '../state-store.js';
import { createHttpClient } from './http-client.js';
import { createSessionAuth } from './session-auth.js';

const ok = z.object({ ok: z.literal(true) });
const { setup, track } = useHttpClients();

describe('createHttpClient', () => {
  it('sends query arrays as repeated keys and validates the JSON body', async () => {
    let seen = '';
    const { http } = await setup((req, res) => {
      seen = req.url ?? '';
      json(res, 200, { ok: true, extra: 'ignored' });
    });
    await expect(
      http.request({
        method: 'GET',
        path: '/x',
        query: { members: ['a', 'b'], limit: 5, skip: undefined },
        schema: ok,
      }),
    ).resolves.toEqual({ ok: true });
    expect(seen).toBe('/x?members=a&members=b&limit=5');
  });

  it('maps a body that fails the schema, or is not JSON, to InvalidResponseError', async () => {
    const { http } = await setup((_req, res, n) => {
      if (n === 1) json(res, 200, { ok: 'yes' });
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"truncated":');
      }
    });
    await expect(http.request({ method: 'GET', path: '/a', schema: ok })).rejects.toSatisfy((e) =>
      InvalidResponseError.isInstance(e),
    );
    await expect(http.request({ method: 'GET', path: '/b', schema: ok })).rejects.toSatisfy((e) =>
      InvalidResponseError.isInstance(e),
    );
  });

  it('retries a 429 after Retry-After, then succeeds', async () => {
    const times: number[] = [];
    const { server, http } = await setup((_req, res, n) => {
      times.push(Date.now());
      if (n === 1) json(res, 429, { error: 'RateLimitExceeded' }, { 'retry-after': '0.3' });
      else json(res, 200, { ok: true });
    });
    await expect(http.request({ method: 'POST', path: '/send', body: {}, schema: ok })).resolves.toEqual({
      ok: true,
    });
    expect(server.requests).toBe(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(290);
  });

  it('gives RateLimitError with retryAfterMs when retries are exhausted, or when the wait is too long', async () => {
    const { server, http } = await setup((_req, res) =>
      json(res, 429, { error: 'RateLimitExceeded' }, { 'retry-after': '0' }),
    );
    const error = await http.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(0);
    expect(server.requests).toBe(4);

    const slow = await setup((_req, res) => json(res, 429, {}, { 'retry-after': '120' }));
    const long = await slow.http.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect((long as RateLimitError).retryAfterMs).toBe(120_000);
    expect(slow.server.requests).toBe(1);
  });

  it('retries a 5xx only for idempotent requests', async () => {
    const { server, http } = await setup((_req, res) => json(res, 500, { error: 'InternalServerError' }));
    await expect(http.request({ method: 'GET', path: '/x' })).rejects.toSatisfy((e) =>
      ProviderUnavailableError.isInstance(e),
    );
    expect(server.requests).toBe(4);
    await expect(http.request({ method: 'POST', path: '/send', body: {} })).rejects.toSatisfy((e) =>
      ProviderUnavailableError.isInstance(e),
    );
    expect(server.requests).toBe(5);
  });

  it('retries by default when no retry option is given', async () => {
    const server = await startLocalServer((_req, res, n) =>
      n === 1 ? json(res, 502, {}) : json(res, 200, { ok: true }),
    );
    track(server);
    const http = createHttpClient({ provider: 'test', baseUrl: server.url });
    track(http);
    await expect(http.request({ method: 'GET', path: '/', schema: ok })).resolves.toEqual({ ok: true });
    expect(server.requests).toBe(2);
  });

  it('does not retry an error the provider mapping marks as not retryable (an exhausted quota)', async () => {
    const { server, http } = await setup((_req, res) => json(res, 429, { error: 'Quota exceeded' }), {
      mapError: (context) =>
        context.status === 429
          ? new RateLimitError('quota exhausted', { provider: 'test', status: 429, retryable: false })
          : undefined,
    });
    const error = await http.request({ method: 'GET', path: '/' }).catch((e: unknown) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryable).toBe(false);
    expect(server.requests).toBe(1);
  });

  it('retries a POST on 503 (not processed)', async () => {
    const { server, http } = await setup((_req, res, n) =>
      n === 1 ? json(res, 503, {}) : json(res, 200, { ok: true }),
    );
    await expect(http.request({ method: 'POST', path: '/send', body: {}, schema: ok })).resolves.toEqual({
      ok: true,
    });
    expect(server.requests).toBe(2);
  });

  it('does not retry a POST whose connection was reset, and says it may have been processed', async () => {
    const { server, http } = await setup((req) => req.socket.destroy());
    const error = await http.request({ method: 'POST', path: '/send', body: {} }).catch((e: unknown) => e);
    expect(NetworkError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/may have been processed/);
    expect((error as NetworkError).retryable).toBe(false);
    expect(server.requests).toBe(1);
    await expect(http.request({ method: 'GET', path: '/x' })).rejects.toSatisfy((e) =>
      NetworkError.isInstance(e),
    );
    expect(server.requests).toBe(5);
  });

  it('maps a refused connection to NetworkError and a slow answer to TimeoutError', async () => {
    const refused = createHttpClient({ provider: 'test', baseUrl: 'http://127.0.0.1:9', retry: false });
    track(refused);
    await expect(refused.request({ method: 'GET', path: '/' })).rejects.toSatisfy((e) =>
      NetworkError.isInstance(e),
    );
    const { http } = await setup((_req, res) => setTimeout(() => json(res, 200, { ok: true }), 300), {
      retry: false,
      timeoutMs: 50,
    });
    await expect(http.request({ method: 'GET', path: '/' })).rejects.toSatisfy((e) =>
      TimeoutError.isInstance(e),
    );
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    const { http } = await setup((_req, res) => setTimeout(() => json(res, 200, { ok: true }), 300));
    const controller = new AbortController();
    const promise = http.request({ method: 'GET', path: '/', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('keeps FastAPI detail[] as issues', async () => {
    const { http } = await setup((_req, res) =>
      json(res, 422, { detail: [{ loc: ['body', 'text'], msg: 'too long', type: 'string_too_long' }] }),
    );
    const error = (await http
      .request({ method: 'POST', path: '/x', body: {} })
      .catch((e: unknown) => e)) as InvalidRequestError;
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.issues).toEqual([{ path: 'body.text', message: 'too long', type: 'string_too_long' }]);
  });

  it('waits for the window to reset when the provider reports 0 remaining', async () => {
    const times: number[] = [];
    const { http } = await setup((_req, res) => {
      times.push(Date.now());
      const reset = String(Math.ceil((Date.now() + 400) / 1000) - Math.floor(Date.now() / 1000));
      json(
        res,
        200,
        { ok: true },
        times.length === 1 ? { 'ratelimit-remaining': '0', 'ratelimit-reset': reset } : {},
      );
    });
    await http.request({ method: 'GET', path: '/', schema: ok });
    await http.request({ method: 'GET', path: '/', schema: ok });
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(300);
  });
});

describe('rate-limit windows', () => {
  /** A fixed-window limiter like the Bluesky PDS: reset in epoch seconds rounded down, window in the policy. */
  function limited(limit: number, windowMs: number) {
    let windowStart = 0;
    let used = 0;
    let rejected = 0;
    const handler: Parameters<typeof startLocalServer>[0] = (_req, res) => {
      const now = Date.now();
      if (now >= windowStart + windowMs) {
        windowStart = now;
        used = 0;
      }
      const headers = {
        'ratelimit-limit': String(limit),
        'ratelimit-reset': String(Math.floor((windowStart + windowMs) / 1000)),
        'ratelimit-policy': `${limit};w=${windowMs / 1000}`,
      };
      if (used >= limit) {
        rejected += 1;
        const retryAfter = String(Math.ceil((windowStart + windowMs - now) / 1000));
        return json(
          res,
          429,
          { error: 'RateLimitExceeded' },
          { ...headers, 'ratelimit-remaining': '0', 'retry-after': retryAfter },
        );
      }
      used += 1;
      json(res, 200, { ok: true }, { ...headers, 'ratelimit-remaining': String(limit - used) });
    };
    return { handler, rejected: () => rejected };
  }

  it('times the window from the response that opened it, so a rounded-down reset trips no 429', async () => {
    const limiter = limited(3, 1000);
    const { http } = await setup(limiter.handler);
    const started = Date.now();
    for (let i = 0; i < 9; i += 1) await http.request({ method: 'GET', path: '/', schema: ok });
    const elapsed = Date.now() - started;
    expect(limiter.rejected()).toBe(0);
    // Three windows of 1 s: the 7th request starts the third window, just over 2 s in.
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(2900);
  });

  it('shares the window through a StateStore: a second client waits for the window the first learned', async () => {
    const limiter = limited(3, 1000);
    const arrivals: number[] = [];
    const server = await startLocalServer((req, res, n, body) => {
      arrivals.push(Date.now());
      return limiter.handler(req, res, n, body);
    });
    track(server);
    const store = createMemoryStateStore();
    const make = () => {
      const http = createHttpClient({
        provider: 'test',
        baseUrl: server.url,
        retry: false,
        rateLimitState: { store, key: 'test:{account}:ratelimit' },
      });
      track(http);
      return http;
    };
    const first = make();
    const second = make();
    for (let i = 0; i < 3; i += 1) await first.request({ method: 'GET', path: '/', schema: ok });
    const windowEnd = await store.get<number>('test:{account}:ratelimit:blocked');
    expect(windowEnd).toBeGreaterThan(Date.now());
    // The second client has sent nothing yet: without the shared window it would be refused at once.
    await second.request({ method: 'GET', path: '/', schema: ok });
    expect(limiter.rejected()).toBe(0);
    expect(arrivals[3]!).toBeGreaterThanOrEqual(windowEnd! - 5);
    expect(arrivals[3]! - arrivals[0]!).toBeGreaterThanOrEqual(990);
  });

  it('falls back to its own window when the shared store fails, without failing requests', async () => {
    const limiter = limited(2, 600);
    const { http } = await setup(limiter.handler);
    const broken = createMemoryStateStore();
    broken.get = async () => {
      throw new Error('store down');
    };
    broken.set = async () => {
      throw new Error('store down');
    };
    const withStore = createHttpClient({
      provider: 'test',
      baseUrl: http.baseUrl,
      retry: false,
      rateLimitState: { store: broken, key: 'k' },
    });
    track(withStore);
    for (let i = 0; i < 4; i += 1) await withStore.request({ method: 'GET', path: '/', schema: ok });
    expect(limiter.rejected()).toBe(0);
  });
});

describe('auth and secrets', () => {
  it('refreshes once (single-flight) when 100 concurrent calls meet an expired token', async () => {
    let valid = 'token-1';
    let refreshes = 0;
    const { http } = await setup((req, res) => {
      if (req.headers.authorization === `Bearer ${valid}`) json(res, 200, { ok: true });
      else json(res, 400, { error: 'ExpiredToken', message: 'Token has expired' });
    });
    const auth = createSessionAuth({
      login: async () => ({ token: 'token-0' }),
      refresh: async () => {
        refreshes += 1;
        await new Promise((r) => setTimeout(r, 20));
        return { token: valid };
      },
      headers: (s) => ({ authorization: `Bearer ${s.token}` }),
      isAuthFailure: (e) => e.providerCode === 'ExpiredToken' || e.code === 'authentication',
    });
    const authed = createHttpClient({ provider: 'test', baseUrl: http.baseUrl, auth, retry: false });
    track(authed);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => authed.request({ method: 'GET', path: '/', schema: ok })),
    );
    expect(results).toHaveLength(100);
    expect(refreshes).toBe(1);
    valid = 'token-2';
  });

  it('gives AuthenticationError after one recovery, never loops, and leaks no secret', async () => {
    const password = 'hunter2-password';
    let logins = 0;
    const { server, http } = await setup((req, res) =>
      json(res, 401, {
        error: 'AuthenticationRequired',
        message: `bad ${req.headers.authorization} for ${password}`,
      }),
    );
    const auth = createSessionAuth({
      login: async () => {
        logins += 1;
        return { token: `secret-token-${logins}` };
      },
      headers: (s) => ({ authorization: `Bearer ${s.token}` }),
    });
    const authed = createHttpClient({
      provider: 'test',
      baseUrl: http.baseUrl,
      auth,
      secrets: () => [password],
    });
    track(authed);
    const error = await authed.request({ method: 'GET', path: '/' }).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(server.requests).toBe(2);
    expect(logins).toBe(2);
    for (const text of [
      String((error as Error).message),
      JSON.stringify(error),
      inspect(error),
      String((error as Error).stack),
    ]) {
      expect(text).not.toContain('secret-token');
      expect(text).not.toContain(password);
    }
  });

  it('scrubs a token the provider echoes in its error name', async () => {
    const { http } = await setup((_req, res) =>
      json(res, 400, { error: 'bad-token-abc123456789', message: 'nope' }),
    );
    const authed = createHttpClient({
      provider: 'test',
      baseUrl: http.baseUrl,
      retry: false,
      headers: { authorization: 'Bearer abc123456789' },
    });
    track(authed);
    const error = (await authed
      .request({ method: 'GET', path: '/' })
      .catch((e: unknown) => e)) as InvalidRequestError;
    expect(error.providerCode).toBe('bad-token-[REDACTED]');
    expect(JSON.stringify(error)).not.toContain('abc123456789');
  });

  it('redacts secret query parameters from error URLs', async () => {
    const { http } = await setup((_req, res) => json(res, 404, {}));
    const error = (await http
      .request({ method: 'GET', path: '/ws', query: { token: 'abc123456' } })
      .catch((e: unknown) => e)) as Error & { url: string };
    expect(error.url).not.toContain('abc123456');
    expect(JSON.stringify(error)).not.toContain('abc123456');
  });
});
