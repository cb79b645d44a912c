import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { rejection, useHttpClients } from '../../test/http-test-clients.js';
import { json } from '../../test/local-server.js';
import * as errors from '../errors.js';
import { createHttpClient } from './http-client.js';
import { createSessionAuth } from './session-auth.js';

const ok = z.object({ ok: z.literal(true) });
const { setup, track } = useHttpClients();
const failure = rejection;

describe('outcome of a failed non-idempotent request', () => {
  it('a 2xx send with a truncated or wrong-typed body is errors.InvalidResponseError with outcome unknown, not retryable', async () => {
    const { server, http } = await setup((_req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id":"m1","te');
      } else json(res, 200, { ok: 'yes' });
    });
    for (const path of ['/truncated', '/wrong-type']) {
      const error = await failure(http.request({ method: 'POST', path, body: {}, schema: ok }));
      expect(errors.InvalidResponseError.isInstance(error)).toBe(true);
      expect(error.outcome).toBe('unknown');
      expect(error.retryable).toBe(false);
      expect(error.toJSON().outcome).toBe('unknown');
      expect(inspect(error)).toContain('"outcome":"unknown"');
    }
    expect(server.requests).toBe(2);
  });

  it('a read with a bad body carries no outcome', async () => {
    const { http } = await setup((_req, res) => json(res, 200, { ok: 'yes' }));
    const error = await failure(http.request({ method: 'GET', path: '/r', schema: ok }));
    expect(errors.InvalidResponseError.isInstance(error)).toBe(true);
    expect(error.outcome).toBeUndefined();
  });

  it.each([500, 502, 504])('HTTP %i on a send: outcome unknown, not retryable, sent once', async (status) => {
    const { server, http } = await setup((_req, res) => json(res, status, { message: 'boom' }));
    const error = await failure(http.request({ method: 'POST', path: '/send', body: {}, schema: ok }));
    expect(errors.ProviderUnavailableError.isInstance(error)).toBe(true);
    expect(error.outcome).toBe('unknown');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/may have been processed/);
    expect(server.requests).toBe(1);
  });

  it('the same statuses on a read stay retryable and carry no outcome', async () => {
    const { http } = await setup((_req, res) => json(res, 502, {}), { retry: false });
    const error = await failure(http.request({ method: 'GET', path: '/r' }));
    expect(error.retryable).toBe(true);
    expect(error.outcome).toBeUndefined();
  });

  it('429, 503, 4xx and a refused connection on a send: outcome not_applied', async () => {
    const { http } = await setup(
      (req, res) => {
        if (req.url === '/429') json(res, 429, {}, { 'retry-after': '0' });
        else if (req.url === '/503') json(res, 503, {});
        else json(res, 400, { message: 'bad' });
      },
      { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 } },
    );
    const limited = await failure(http.request({ method: 'POST', path: '/429', body: {} }));
    expect(errors.RateLimitError.isInstance(limited)).toBe(true);
    expect([limited.outcome, limited.retryable]).toEqual(['not_applied', true]);
    const unavailable = await failure(http.request({ method: 'POST', path: '/503', body: {} }));
    expect([unavailable.outcome, unavailable.retryable]).toEqual(['not_applied', true]);
    const invalid = await failure(http.request({ method: 'POST', path: '/400', body: {} }));
    expect(errors.InvalidRequestError.isInstance(invalid)).toBe(true);
    expect([invalid.outcome, invalid.retryable]).toEqual(['not_applied', false]);

    const refused = createHttpClient({ provider: 'test', baseUrl: 'http://127.0.0.1:9', retry: false });
    track(refused);
    const error = await failure(refused.request({ method: 'POST', path: '/send', body: {} }));
    expect(errors.NetworkError.isInstance(error)).toBe(true);
    expect([error.outcome, error.retryable]).toEqual(['not_applied', true]);
  });

  it('a reset after the request was written: outcome unknown', async () => {
    const { http } = await setup((req) => req.socket.destroy());
    const error = await failure(http.request({ method: 'POST', path: '/send', body: {} }));
    expect([error.code, error.outcome, error.retryable]).toEqual(['network', 'unknown', false]);
  });

  it('an error before the request is written (login failed) is not_applied', async () => {
    const { http } = await setup((_req, res) => json(res, 200, { ok: true }));
    const authed = createHttpClient({
      provider: 'test',
      baseUrl: http.baseUrl,
      retry: false,
      auth: createSessionAuth({
        login: async () => {
          throw new errors.AuthenticationError('bad password');
        },
        headers: () => ({}),
      }),
    });
    track(authed);
    const error = await failure(authed.request({ method: 'POST', path: '/send', body: {} }));
    expect(error.outcome).toBe('not_applied');
  });

  it('a login that failed with a 5xx (through its own client) leaves the send not_applied', async () => {
    const { server, http: login } = await setup(
      (req, res) =>
        req.url === '/login'
          ? json(res, 500, { message: 'login backend down' })
          : json(res, 200, { ok: true }),
      { retry: false },
    );
    const authed = track(
      createHttpClient({
        provider: 'test',
        baseUrl: login.baseUrl,
        retry: false,
        auth: createSessionAuth({
          login: async (signal) => ({
            // a login is safe to repeat: its error carries no outcome of its own
            token: await login.request({
              method: 'POST',
              path: '/login',
              body: {},
              idempotent: true,
              signal,
            }),
          }),
          headers: () => ({}),
        }),
      }),
    );
    const error = await failure(authed.request({ method: 'POST', path: '/send', body: {} }));
    expect([error.code, error.outcome]).toEqual(['provider_unavailable', 'not_applied']);
    expect(error.message).not.toContain('may have been processed');
    expect(server.requests).toBe(1); // only the login: the send was never written
  });
});

describe('auth recovery is once per token, not once per call', () => {
  it('a send that waits out a 429 and then meets a second expired token refreshes again and succeeds', async () => {
    // login gives token-0 (already expired); the server accepts token-1, answers it 429 once and,
    // while the client waits, expires it in favour of token-2.
    let valid = 'token-1';
    let limited = false;
    const seen: string[] = [];
    const { http } = await setup((req, res) => {
      const token = String(req.headers.authorization).replace('Bearer ', '');
      seen.push(token);
      if (token !== valid) return json(res, 401, { error: 'ExpiredToken' });
      if (!limited) {
        limited = true;
        valid = 'token-2';
        return json(res, 429, {}, { 'retry-after': '0' });
      }
      return json(res, 200, { ok: true });
    });
    let refreshes = 0;
    const auth = createSessionAuth({
      login: async () => ({ token: 'token-0' }),
      refresh: async () => {
        refreshes += 1;
        return { token: `token-${refreshes}` };
      },
      headers: (s) => ({ authorization: `Bearer ${s.token}` }),
    });
    const authed = createHttpClient({
      provider: 'test',
      baseUrl: http.baseUrl,
      auth,
      retry: { minDelayMs: 5, maxDelayMs: 20 },
    });
    track(authed);
    await expect(authed.request({ method: 'POST', path: '/send', body: {}, schema: ok })).resolves.toEqual({
      ok: true,
    });
    expect(seen).toEqual(['token-0', 'token-1', 'token-1', 'token-2']);
    expect(refreshes).toBe(2);
  });

  it('fresh credentials refused at once end the call: no refresh loop', async () => {
    const { server, http } = await setup((_req, res) => json(res, 401, { error: 'ExpiredToken' }));
    let refreshes = 0;
    const authed = createHttpClient({
      provider: 'test',
      baseUrl: http.baseUrl,
      auth: createSessionAuth({
        login: async () => ({ token: 'token-0' }),
        refresh: async () => ({ token: `token-${++refreshes}` }),
        headers: (s) => ({ authorization: `Bearer ${s.token}` }),
      }),
    });
    track(authed);
    const error = await failure(authed.request({ method: 'POST', path: '/send', body: {} }));
    expect(errors.AuthenticationError.isInstance(error)).toBe(true);
    expect(error.outcome).toBe('not_applied');
    expect(refreshes).toBe(1);
    expect(server.requests).toBe(2);
  });
});

describe('secrets in URL paths', () => {
  const token = '123456789:AAH-secret_bot+token/x';
  const pathOf = (method: string) => `/bot${encodeURIComponent(token)}/${method}`;
  const rendered = (error: errors.SwitchboardError) => [
    error.message,
    String(error.stack),
    String(error.url),
    JSON.stringify(error),
    inspect(error),
    String(error.providerCode),
    JSON.stringify((error as errors.InvalidRequestError).issues ?? []),
  ];
  const leaks = (text: string) =>
    text.includes(token) || text.includes(encodeURIComponent(token)) || text.includes('AAH-secret');

  it('scrubs a registered token from every rendered field: error answers, malformed bodies, transport failures', async () => {
    const { http } = await setup((req, res) => {
      if (req.url?.endsWith('/sendMessage')) json(res, 400, { message: `no such chat at ${req.url}` });
      else if (req.url?.endsWith('/getMe')) json(res, 200, { ok: 'nope' });
      else if (req.url?.endsWith('/getUpdates')) json(res, 502, { error: req.url, detail: [] });
      else req.socket.destroy();
    });
    const telegram = createHttpClient({
      provider: 'telegram',
      baseUrl: http.baseUrl,
      retry: false,
      secrets: () => [token],
    });
    track(telegram);
    const errors = [
      await failure(telegram.request({ method: 'POST', path: pathOf('sendMessage'), body: {} })),
      await failure(telegram.request({ method: 'GET', path: pathOf('getMe'), schema: ok })),
      await failure(telegram.request({ method: 'GET', path: pathOf('getUpdates') })),
      await failure(telegram.request({ method: 'POST', path: pathOf('deleteWebhook'), body: {} })),
    ];
    expect(errors.map((e) => e.code)).toEqual([
      'invalid_request',
      'invalid_response',
      'provider_unavailable',
      'network',
    ]);
    for (const error of errors) {
      expect(error.url).toMatch(/\/bot\[REDACTED\]\//);
      for (const text of rendered(error)) expect(leaks(text), text).toBe(false);
    }
  });

  it('a refused connection to a path-borne token leaks nothing either', async () => {
    const telegram = createHttpClient({
      provider: 'telegram',
      baseUrl: 'http://127.0.0.1:9',
      retry: false,
      secrets: () => [token],
    });
    track(telegram);
    const error = await failure(telegram.request({ method: 'POST', path: pathOf('sendMessage'), body: {} }));
    for (const text of rendered(error)) expect(leaks(text), text).toBe(false);
  });
});
