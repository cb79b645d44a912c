import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { json, startLocalServer } from '../../test/local-server.js';
import { InvalidRequestError, NotFoundError, RateLimitError } from '../errors.js';
import { createHttpClient, type HttpClient } from './http-client.js';
import { httpErrorOptions } from './http-error-options.js';
import type { HttpErrorContext } from './map-http-error.js';
import { defineProviderErrorBody, mapErrorBody, readProviderErrorBody } from './provider-error-body.js';

/** Telegram Bot API's error body: the wait is in seconds, in the body. */
const telegramErrorBody = defineProviderErrorBody({
  schema: z.object({
    ok: z.literal(false),
    error_code: z.number(),
    description: z.string(),
    parameters: z.object({ retry_after: z.number().optional() }).optional(),
  }),
  message: 'description',
  code: 'error_code',
  retryAfter: { field: 'parameters.retry_after', unit: 'seconds' },
});

/** A provider that nests its error and gives the wait in milliseconds. */
const nestedErrorBody = defineProviderErrorBody({
  schema: z.object({
    error: z.object({ type: z.string(), msg: z.string(), wait_ms: z.number().optional() }),
  }),
  message: (body) => body.error.msg,
  code: 'error.type',
  retryAfter: { field: 'error.wait_ms', unit: 'milliseconds' },
});

const context = (body: unknown, extra: Partial<HttpErrorContext> = {}): HttpErrorContext => ({
  provider: 'acme',
  status: 429,
  body,
  headers: {},
  method: 'POST',
  url: 'https://api.acme.test/sendMessage',
  ...extra,
});

describe('readProviderErrorBody', () => {
  it('reads message, code and a wait in seconds by dot path', () => {
    const body = {
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      parameters: { retry_after: 3 },
    };
    expect(readProviderErrorBody(telegramErrorBody, body)).toEqual({
      message: 'Too Many Requests: retry after 3',
      code: '429',
      retryAfterMs: 3000,
    });
  });

  it('reads by function and a wait in milliseconds', () => {
    expect(
      readProviderErrorBody(nestedErrorBody, { error: { type: 'slow_down', msg: 'later', wait_ms: 250 } }),
    ).toEqual({
      message: 'later',
      code: 'slow_down',
      retryAfterMs: 250,
    });
  });

  it('gives undefined for a body that does not match the schema', () => {
    expect(readProviderErrorBody(telegramErrorBody, { detail: 'x' })).toBeUndefined();
    expect(readProviderErrorBody(telegramErrorBody, 'Bad Gateway')).toBeUndefined();
  });
});

describe('mapErrorBody', () => {
  it('puts the body’s message, code and wait into the error; a header wait wins', () => {
    const map = mapErrorBody(telegramErrorBody);
    const body = {
      ok: false,
      error_code: 429,
      description: 'Too Many Requests',
      parameters: { retry_after: 2 },
    };
    const fromBody = map(context(body));
    expect(fromBody).toBeInstanceOf(RateLimitError);
    expect(fromBody.retryAfterMs).toBe(2000);
    expect(fromBody.providerCode).toBe('429');
    expect(fromBody.message).toContain('Too Many Requests');
    expect(map(context(body, { retryAfterMs: 5000 })).retryAfterMs).toBe(5000);
  });

  it('lets the adapter’s own mapping decide first, with the enriched context', () => {
    const map = mapErrorBody(telegramErrorBody, (c) =>
      c.providerMessage?.includes('chat not found')
        ? new NotFoundError('acme: no such chat', httpErrorOptions(c))
        : undefined,
    );
    const notFound = map(
      context({ ok: false, error_code: 400, description: 'Bad Request: chat not found' }, { status: 400 }),
    );
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.providerCode).toBe('400');
    const other = map(
      context({ ok: false, error_code: 400, description: 'Bad Request: text is empty' }, { status: 400 }),
    );
    expect(other).toBeInstanceOf(InvalidRequestError);
  });
});

describe('mapErrorBody in createHttpClient', () => {
  const closers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c.close()));
  });

  it('a retry-after found only in the body makes the client wait that long, then retry', async () => {
    const at: number[] = [];
    const server = await startLocalServer((_req, res, n) => {
      at.push(performance.now());
      if (n === 1) json(res, 429, { error: { type: 'slow_down', msg: 'later', wait_ms: 300 } });
      else json(res, 200, { ok: true });
    });
    closers.push(server);
    const http: HttpClient = createHttpClient({
      provider: 'acme',
      baseUrl: server.url,
      retry: { minDelayMs: 5, maxDelayMs: 20 },
      mapError: mapErrorBody(nestedErrorBody),
    });
    closers.push(http);
    await expect(
      http.request({ method: 'POST', path: '/send', body: {}, schema: z.object({ ok: z.literal(true) }) }),
    ).resolves.toEqual({ ok: true });
    expect(server.requests).toBe(2);
    expect((at[1] as number) - (at[0] as number)).toBeGreaterThanOrEqual(295);
  });
});
