import { describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../../test/fault-kit-test-server.js';
import { createFaultKit, type FaultKit, type FaultKitOptions, type ProviderProfile } from './fault-kit.js';

/** A provider profile whose every output is recognisable in assertions. */
const profile: ProviderProfile = {
  rateLimitHeaders: (d) => ({ 'x-limit': String(d.limit), 'x-remaining': String(d.remaining) }),
  rateLimitedHeaders: (d) => ({ 'retry-after': String(Math.ceil(d.retryAfterMs / 1000)) }),
  rateLimitedBody: (d) => ({ error: 'slow down', limit: d.limit }),
  errorBody: (status) => ({ error: `status ${status}` }),
};

const status500 = { kind: 'status', status: 500 } as const;

interface TestServer {
  kit: FaultKit;
  /** Requests that reached the handler behind the kit. */
  handled: number;
  get(path?: string, init?: RequestInit): Promise<Response>;
}

/** A tiny node http server whose listener calls `kit.intercept` first, then answers `{ ok: true }`. */
async function serve(options: Partial<FaultKitOptions> = {}): Promise<TestServer> {
  const kit = createFaultKit({ profile, ...options });
  let url = '';
  const state: TestServer = {
    kit,
    handled: 0,
    get: (path = '/thing', init) => fetch(`${url}${path}`, init),
  };
  ({ url } = await listenOnLoopback(async (req, res) => {
    if (await kit.intercept(req, res)) return;
    state.handled += 1;
    const body = JSON.stringify({ ok: true });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.end(body);
  }));
  return state;
}

/** Sends `n` GETs one after another; returns their statuses. */
async function statuses(s: TestServer, n: number, path?: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const res = await s.get(path);
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
}

describe('pass-through and bookkeeping', () => {
  it('lets requests through, counting them with method and path (no query)', async () => {
    const s = await serve();
    const res = await s.get('/a?x=1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    await (await s.get('/b', { method: 'POST' })).arrayBuffer();
    expect(s.handled).toBe(2);
    expect(s.kit.requestCount).toBe(2);
    expect(s.kit.requests).toEqual([
      { method: 'GET', path: '/a' },
      { method: 'POST', path: '/b' },
    ]);
    s.kit.resetStats();
    expect(s.kit.requestCount).toBe(0);
    expect(s.kit.requests).toEqual([]);
  });

  it('keeps only the last 1,000 requests', async () => {
    const s = await serve();
    for (let batch = 0; batch < 21; batch += 1)
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => (await s.get(`/r${batch * 50 + i}`)).arrayBuffer()),
      );
    expect(s.kit.requestCount).toBe(1050);
    expect(s.kit.requests).toHaveLength(1000);
    expect(s.kit.requests.some((r) => r.path === '/r0')).toBe(false);
  });
});

describe('fault kinds', () => {
  it('status: the profile error body, with a correct content-length', async () => {
    const s = await serve();
    s.kit.inject({ fault: { kind: 'status', status: 503 } });
    const res = await s.get();
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: 'status 503' });
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(s.handled).toBe(0);
  });

  it('status: a custom body and headers', async () => {
    const s = await serve();
    s.kit.inject({
      fault: { kind: 'status', status: 401, body: { custom: 'é' }, headers: { 'x-extra': 'yes' } },
    });
    const res = await s.get();
    expect(res.status).toBe(401);
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(await res.json()).toEqual({ custom: 'é' });
  });

  it('rate-limit: a 429 with the profile headers and body', async () => {
    const s = await serve();
    s.kit.inject({ fault: { kind: 'rate-limit', retryAfterMs: 2500 } });
    const res = await s.get();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('x-remaining')).toBe('0');
    expect(await res.json()).toEqual({ error: 'slow down', limit: 1 });
    expect(s.kit.rateLimitedCount).toBe(1);
  });

  it('rate-limit: reports the configured limit when a window limit is set', async () => {
    const s = await serve({ rateLimit: { limit: 7, windowMs: 60_000 } });
    s.kit.inject({ fault: { kind: 'rate-limit', retryAfterMs: 1000 } });
    const res = await s.get();
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: 'slow down', limit: 7 });
  });

  it('latency: waits, then lets the request through', async () => {
    const s = await serve();
    s.kit.inject({ fault: { kind: 'latency', ms: 150 } });
    const started = performance.now();
    const res = await s.get();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.status).toBe(200);
    expect(s.handled).toBe(1);
  });

  it.each([
    { kind: 'reset', handled: 0, title: 'reset: the connection drops before the handler runs' },
    {
      kind: 'reset-after-processing',
      handled: 1,
      title: 'reset-after-processing: the handler runs, then the connection drops',
    },
  ] as const)('$title', async ({ kind, handled }) => {
    const s = await serve();
    s.kit.inject({ fault: { kind } });
    await expect(s.get()).rejects.toThrow();
    expect(s.handled).toBe(handled);
    expect((await s.get()).status).toBe(200);
  });

  it('malformed: 200 with truncated JSON by default, or the given body and type', async () => {
    const s = await serve();
    s.kit.inject({ fault: { kind: 'malformed' } });
    s.kit.inject({ fault: { kind: 'malformed', body: '<html>oops</html>', contentType: 'text/html' } });
    const first = await s.get();
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await first.text()).toBe('{"malformed":');
    const second = await s.get();
    expect(second.headers.get('content-type')).toBe('text/html');
    expect(await second.text()).toBe('<html>oops</html>');
    expect(s.handled).toBe(0);
  });
});

describe('rules', () => {
  it('fire once by default, `times` times, or always with Infinity', async () => {
    const s = await serve();
    s.kit.inject({ fault: status500 });
    expect(await statuses(s, 2)).toEqual([500, 200]);
    const twice = s.kit.inject({ fault: status500, times: 2 });
    expect(await statuses(s, 3)).toEqual([500, 500, 200]);
    expect(twice.hits).toBe(2);
    const always = s.kit.inject({ fault: status500, times: Number.POSITIVE_INFINITY });
    expect(await statuses(s, 5)).toEqual([500, 500, 500, 500, 500]);
    always.remove();
    expect(await statuses(s, 1)).toEqual([200]);
  });

  it('match on method (any case), exact path or pattern; other requests do not use up `times`', async () => {
    const s = await serve();
    s.kit.inject({ fault: status500, match: { method: 'post', path: '/send' } });
    s.kit.inject({ fault: { kind: 'status', status: 502 }, match: { path: /^\/list\// } });
    expect((await s.get('/send')).status).toBe(200);
    expect((await s.get('/sender', { method: 'POST' })).status).toBe(200);
    expect((await s.get('/list/1')).status).toBe(502);
    expect((await s.get('/list/2')).status).toBe(200);
    expect((await s.get('/send?x=1', { method: 'POST' })).status).toBe(500);
  });

  it('the first matching rule that fires wins', async () => {
    const s = await serve();
    s.kit.inject({ fault: { kind: 'status', status: 503 }, times: 1 });
    s.kit.inject({ fault: { kind: 'status', status: 504 }, times: 1 });
    expect(await statuses(s, 3)).toEqual([503, 504, 200]);
  });

  it('rate 0 never fires and rate 1 always does', async () => {
    const s = await serve();
    const never = s.kit.inject({ fault: status500, rate: 0 });
    expect(await statuses(s, 10)).toEqual(Array(10).fill(200));
    expect(never.hits).toBe(0);
    never.remove();
    s.kit.inject({ fault: status500, rate: 1, times: 1 }); // times is ignored with rate
    expect(await statuses(s, 5)).toEqual(Array(5).fill(500));
  });

  it('rate picks a reproducible fraction of requests from the seed', async () => {
    const pattern = async (seed: number) => {
      const s = await serve({ seed });
      s.kit.inject({ fault: status500, rate: 0.3 });
      return statuses(s, 200);
    };
    const a = await pattern(42);
    const failures = a.filter((status) => status === 500).length;
    expect(failures).toBeGreaterThan(30);
    expect(failures).toBeLessThan(90);
    expect(await pattern(42)).toEqual(a);
    expect(await pattern(7)).not.toEqual(a);
  });

  it('clear removes every rule but keeps the rate limit', async () => {
    const s = await serve({ rateLimit: { limit: 100, windowMs: 60_000 } });
    s.kit.inject({ fault: status500, times: Number.POSITIVE_INFINITY });
    s.kit.clear();
    const res = await s.get();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-limit')).toBe('100');
  });
});

describe('window rate limit', () => {
  it('adds the profile headers to every answer, then answers 429', async () => {
    const s = await serve({ rateLimit: { limit: 2, windowMs: 60_000 } });
    const first = await s.get();
    expect(first.headers.get('x-limit')).toBe('2');
    expect(first.headers.get('x-remaining')).toBe('1');
    expect((await s.get()).headers.get('x-remaining')).toBe('0');
    const limited = await s.get();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toEqual({ error: 'slow down', limit: 2 });
    expect(s.handled).toBe(2);
    expect(s.kit.rateLimitedCount).toBe(1);
    expect(s.kit.requestCount).toBe(3);
  });

  it('applies before injected faults', async () => {
    const s = await serve({ rateLimit: { limit: 1, windowMs: 60_000 } });
    await (await s.get()).arrayBuffer();
    const rule = s.kit.inject({ fault: status500 });
    expect((await s.get()).status).toBe(429);
    // The 429 did not use the fault up: it still fires once the limit is lifted.
    expect(rule.hits).toBe(0);
    s.kit.setRateLimit(undefined);
    expect(await statuses(s, 2)).toEqual([500, 200]);
  });

  it('can be changed or removed at run time', async () => {
    const s = await serve();
    expect((await s.get()).headers.get('x-limit')).toBeNull();
    s.kit.setRateLimit({ limit: 1, windowMs: 60_000 });
    expect(await statuses(s, 2)).toEqual([200, 429]);
    s.kit.setRateLimit(undefined);
    const res = await s.get();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-limit')).toBeNull();
  });
});

describe('exempt paths', () => {
  it('are neither counted, faulted nor rate-limited', async () => {
    const s = await serve({
      rateLimit: { limit: 1, windowMs: 60_000 },
      exempt: (path) => path.startsWith('/_seed'),
    });
    s.kit.inject({ fault: status500, times: Number.POSITIVE_INFINITY });
    expect(await statuses(s, 3, '/_seed/users')).toEqual([200, 200, 200]);
    expect(s.kit.requestCount).toBe(0);
    expect(s.kit.requests).toEqual([]);
    expect(await statuses(s, 2)).toEqual([500, 429]);
  });
});
