import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createWindowRateLimiter,
  type RateLimitDecision,
  type WindowRateLimiter,
} from './window-rate-limiter.js';

/**
 * How one provider writes rate-limit headers and error bodies. Each emulator passes its own profile,
 * so an injected 429 looks exactly like that provider's 429.
 */
export interface ProviderProfile {
  /** Headers sent on every response while a rate limit is configured (e.g. Bluesky's `RateLimit-*`). */
  rateLimitHeaders(decision: RateLimitDecision): Record<string, string>;
  /** Extra headers on a 429 (e.g. `Retry-After`). */
  rateLimitedHeaders(decision: RateLimitDecision): Record<string, string>;
  /** Body of a 429. */
  rateLimitedBody(decision: RateLimitDecision): unknown;
  /** Body of an injected error status (401, 500, 503…). */
  errorBody(status: number): unknown;
  /**
   * How this provider answers a request for something that does not exist, when that is not a plain
   * 404 with `errorBody(404)` (e.g. XRPC: 400 `InvalidConvo`, while a 404 means "method not served").
   * The contract kit injects it where it expects a `NotFoundError`.
   */
  notFound?: { status: number; body: unknown };
}

/** A failure to inject. */
export type Fault =
  /**
   * Answer with this status (and the profile's error body unless `body` is given). With
   * `afterProcessing`, the emulator handles the request first (a 500 after the message was stored).
   */
  | {
      kind: 'status';
      status: number;
      body?: unknown;
      headers?: Record<string, string>;
      afterProcessing?: boolean;
    }
  /** Answer 429 as the provider does, saying to retry after `retryAfterMs` (rounded up to whole seconds where the provider's header uses seconds). */
  | { kind: 'rate-limit'; retryAfterMs: number }
  /** Wait `ms` milliseconds, then handle the request normally. */
  | { kind: 'latency'; ms: number }
  /** Destroy the connection before the request is processed (nothing happened server-side). */
  | { kind: 'reset' }
  /** Process the request, then destroy the connection instead of answering (the ambiguous failure). */
  | { kind: 'reset-after-processing' }
  /**
   * Answer 200 with a body that is not what the API documents (default: truncated JSON). With
   * `afterProcessing`, the emulator handles the request first (the message was stored, its answer
   * is garbled).
   */
  | { kind: 'malformed'; body?: string; contentType?: string; afterProcessing?: boolean }
  /**
   * Reshapes a streamed `text/event-stream` answer (the request itself is handled normally): the
   * first `afterEvents` events (default 0) pass whole, then `action` happens to the next one —
   * `'cut'`: half of it is written and the connection destroyed (a cut mid-event); `'end'`: half of
   * it is written and the response ended cleanly (a stream that stops mid-event); `'malformed'`: it
   * is written with its `data:` cut short (not valid JSON), then the rest of the stream as is;
   * `'stall'`: nothing more is written and the connection stays open (for aborts mid-stream);
   * `'insert'`: the text `insert` is written before it (an event the client must ignore), then all.
   * Without `action` every event passes. With `chunkBytes`, what is written goes out in pieces of that
   * many bytes, one per event-loop turn, so a reader gets multi-byte characters split across reads.
   * A response that is not `text/event-stream`, or one that ends before the event `action` is for,
   * passes untouched and does not use the rule up (its `hits` do not count it).
   */
  | EventStreamFault;

/** See the `'event-stream'` member of {@link Fault}. */
export interface EventStreamFault {
  kind: 'event-stream';
  afterEvents?: number;
  action?: 'cut' | 'end' | 'malformed' | 'stall' | 'insert';
  /** For `action: 'insert'`: raw text written before the next event (default a `: keep-alive` comment), then the rest as is. */
  insert?: string;
  chunkBytes?: number;
}

/** Which requests a rule applies to. */
export interface FaultMatcher {
  /** HTTP method, case-insensitive. */
  method?: string;
  /** Exact URL pathname, or a pattern tested against the pathname. */
  path?: string | RegExp;
}

/** One injection rule: a fault, the requests it matches, and how often it fires. */
export interface FaultRule {
  fault: Fault;
  match?: FaultMatcher;
  /** Fire on the next `times` matching requests (default 1, `Infinity` for always). Ignored when `rate` is set. */
  times?: number;
  /** Fire on this fraction (0..1) of matching requests, chosen by a seeded generator (reproducible). */
  rate?: number;
}

/** A live rule: how often it fired, and a way to remove it. */
export interface FaultHandle {
  readonly hits: number;
  remove(): void;
}

/** A request seen by the kit. */
export interface SeenRequest {
  method: string;
  path: string;
}

/** Options of {@link createFaultKit}. */
export interface FaultKitOptions {
  profile: ProviderProfile;
  /** A rate limit applied to every request (except paths in `exempt`). */
  rateLimit?: { limit: number; windowMs: number };
  /** Paths never faulted or rate-limited (e.g. a seeding endpoint). */
  exempt?: (path: string) => boolean;
  /** Seed for `rate` rules. */
  seed?: number;
}

/** Fault injection and rate limiting for an emulator, at the Node `http` level (framework-agnostic). */
export interface FaultKit {
  /** The provider profile the kit answers with. */
  readonly profile: ProviderProfile;
  inject(rule: FaultRule): FaultHandle;
  /** Removes every rule (the rate limit stays; use `setRateLimit(undefined)`). */
  clear(): void;
  /** Sets (or removes, with `undefined`) the window rate limit. */
  setRateLimit(rateLimit: { limit: number; windowMs: number } | undefined): void;
  /** Requests seen (not exempt), including faulted and rate-limited ones. */
  readonly requestCount: number;
  /** 429s sent by the window limiter or by `rate-limit` faults. */
  readonly rateLimitedCount: number;
  /** The last 1,000 requests seen (not exempt), oldest first. */
  readonly requests: readonly SeenRequest[];
  /**
   * Every credential the requests carried, distinct, in order seen: the value after the scheme of each
   * `Authorization` header (`Bearer <token>`, `Basic <base64>`, …) and of `api-key`/`x-api-key`
   * headers. The contract kit checks none of them (runtime session tokens included) leaks. Not reset
   * by `resetStats()`.
   */
  readonly credentialsSeen: readonly string[];
  /** Resets the counters and the request list. */
  resetStats(): void;
  /**
   * Call first in the server's request listener. Resolves `true` when the kit answered (or dropped)
   * the request itself; `false` when the emulator should handle it (latency may have been added,
   * rate-limit headers set).
   */
  intercept(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

const HISTORY = 1000;

/** Creates a {@link FaultKit} for one emulator instance. */
export function createFaultKit(options: FaultKitOptions): FaultKit {
  const { profile } = options;
  const rules: Array<FaultRule & { hits: number; removed: boolean }> = [];
  let limiter: WindowRateLimiter | undefined = options.rateLimit
    ? createWindowRateLimiter(options.rateLimit)
    : undefined;
  let requestCount = 0;
  let rateLimitedCount = 0;
  let requests: SeenRequest[] = [];
  const credentials = new Set<string>();
  const recordCredentials = (req: IncomingMessage) => {
    for (const name of ['authorization', 'api-key', 'x-api-key']) {
      const value = req.headers[name];
      if (typeof value !== 'string') continue;
      const credential = name === 'authorization' ? value.replace(/^\S+\s+/, '') : value;
      if (credential.trim() !== '') credentials.add(credential.trim());
    }
  };
  let seed = (options.seed ?? 0x5eed) >>> 0;
  const random = () => {
    // mulberry32: small, seeded, good enough to pick which requests fail.
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const matches = (rule: FaultRule, method: string, path: string) => {
    const m = rule.match;
    if (m?.method && m.method.toUpperCase() !== method) return false;
    if (m?.path !== undefined) return typeof m.path === 'string' ? m.path === path : m.path.test(path);
    return true;
  };

  const pick = (method: string, path: string): (typeof rules)[number] | undefined => {
    for (const rule of rules) {
      if (rule.removed || !matches(rule, method, path)) continue;
      if (rule.rate !== undefined) {
        if (random() < rule.rate) {
          rule.hits += 1;
          return rule;
        }
        continue;
      }
      if (rule.hits < (rule.times ?? 1)) {
        rule.hits += 1;
        return rule;
      }
    }
    return undefined;
  };

  const sendJson = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'content-length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  };

  /**
   * Lets the emulator handle the request, swallowing its answer, and sends `answer` instead once it
   * has finished (its `end`).
   */
  const replaceAnswer = (res: ServerResponse, answer: () => void) => {
    const original = { writeHead: res.writeHead, write: res.write, end: res.end };
    const callbackOf = (args: unknown[]) =>
      args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    res.writeHead = (() => res) as unknown as typeof res.writeHead;
    res.write = ((...args: unknown[]) => {
      const callback = callbackOf(args);
      if (callback) queueMicrotask(callback);
      return true;
    }) as unknown as typeof res.write;
    res.end = ((...args: unknown[]) => {
      Object.assign(res, original);
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      answer();
      const callback = callbackOf(args);
      if (callback) queueMicrotask(callback);
      return res;
    }) as unknown as typeof res.end;
  };

  const sendMalformed = (res: ServerResponse, fault: Extract<Fault, { kind: 'malformed' }>) => {
    const body = fault.body ?? '{"malformed":';
    res.writeHead(200, {
      'content-type': fault.contentType ?? 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    });
    res.end(body);
  };

  const rateLimited = (res: ServerResponse, decision: RateLimitDecision) => {
    rateLimitedCount += 1;
    sendJson(res, 429, profile.rateLimitedBody(decision), {
      ...profile.rateLimitHeaders(decision),
      ...profile.rateLimitedHeaders(decision),
    });
  };

  return {
    profile,
    inject(rule) {
      const live = { ...rule, hits: 0, removed: false };
      rules.push(live);
      return {
        get hits() {
          return live.hits;
        },
        remove() {
          live.removed = true;
        },
      };
    },
    clear() {
      rules.length = 0;
    },
    setRateLimit(rateLimit) {
      limiter = rateLimit ? createWindowRateLimiter(rateLimit) : undefined;
    },
    get requestCount() {
      return requestCount;
    },
    get rateLimitedCount() {
      return rateLimitedCount;
    },
    get requests() {
      return requests;
    },
    get credentialsSeen() {
      return [...credentials];
    },
    resetStats() {
      requestCount = 0;
      rateLimitedCount = 0;
      requests = [];
    },
    async intercept(req, res) {
      const method = (req.method ?? 'GET').toUpperCase();
      const path = new URL(req.url ?? '/', 'http://emulator.invalid').pathname;
      if (options.exempt?.(path)) return false;
      recordCredentials(req);
      requestCount += 1;
      requests.push({ method, path });
      if (requests.length > HISTORY) requests = requests.slice(-HISTORY);

      // The limiter answers first, so a rate-limited request never uses up an injected fault.
      if (limiter) {
        const decision = limiter.take();
        if (!decision.allowed) {
          rateLimited(res, decision);
          return true;
        }
        for (const [name, value] of Object.entries(profile.rateLimitHeaders(decision)))
          res.setHeader(name, value);
      }

      const picked = pick(method, path);
      const fault = picked?.fault;
      if (fault?.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.ms));

      switch (fault?.kind) {
        case undefined:
        case 'latency':
          return false;
        case 'status': {
          const answer = () =>
            sendJson(res, fault.status, fault.body ?? profile.errorBody(fault.status), fault.headers);
          if (!fault.afterProcessing) {
            answer();
            return true;
          }
          replaceAnswer(res, answer);
          return false;
        }
        case 'rate-limit': {
          const resetAt = Date.now() + fault.retryAfterMs;
          rateLimited(res, {
            allowed: false,
            limit: limiter?.peek().limit ?? 1,
            remaining: 0,
            resetAt,
            retryAfterMs: fault.retryAfterMs,
            windowMs: fault.retryAfterMs,
          });
          return true;
        }
        case 'reset':
          req.socket.destroy();
          return true;
        case 'reset-after-processing': {
          // Let the emulator do the work, then drop the connection instead of sending its answer.
          res.writeHead = (() => res) as unknown as typeof res.writeHead;
          res.write = (() => true) as unknown as typeof res.write;
          res.end = (() => {
            req.socket.destroy();
            return res;
          }) as unknown as typeof res.end;
          return false;
        }
        case 'malformed': {
          if (!fault.afterProcessing) {
            sendMalformed(res, fault);
            return true;
          }
          replaceAnswer(res, () => sendMalformed(res, fault));
          return false;
        }
        case 'event-stream':
          reshapeEventStream(req, res, fault, () => {
            // Not applied: the rule is left for the next request.
            if (picked) picked.hits -= 1;
          });
          return false;
      }
    },
  };
}

/** The `content-type` a `writeHead(status, [message], headers)` call or an earlier `setHeader` gives. */
function contentTypeOf(res: ServerResponse, args: unknown[]): string {
  const headers = args.find((arg) => typeof arg === 'object' && arg !== null);
  if (Array.isArray(headers)) {
    const flat = headers.flat() as unknown[];
    for (let i = 0; i + 1 < flat.length; i += 2)
      if (String(flat[i]).toLowerCase() === 'content-type') return String(flat[i + 1]);
  } else if (headers) {
    for (const [name, value] of Object.entries(headers as Record<string, unknown>))
      if (name.toLowerCase() === 'content-type') return String(value);
  }
  return String(res.getHeader('content-type') ?? '');
}

const EVENT_END = /\r?\n\r?\n/;

/** Applies an `'event-stream'` fault to the answer the emulator is about to write on `res`. */
function reshapeEventStream(
  req: IncomingMessage,
  res: ServerResponse,
  fault: EventStreamFault,
  /** Gives the rule back: the answer is not an event stream, or it ended before the fault applied. */
  notAnEventStream: () => void,
): void {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end };
  const restore = () => Object.assign(res, original);
  const write = (...args: unknown[]) => (original.write as (...a: unknown[]) => boolean).apply(res, args);
  const end = (...args: unknown[]) => (original.end as (...a: unknown[]) => ServerResponse).apply(res, args);
  let pending = Buffer.alloc(0);
  let passed = 0;
  /** `'counting'` events, `'through'` (everything passes), `'done'` (nothing more is written). */
  let state: 'counting' | 'through' | 'done' = fault.action === undefined ? 'through' : 'counting';
  let queue = Promise.resolve();
  const chunkBytes = Math.max(1, fault.chunkBytes ?? Number.POSITIVE_INFINITY);
  const emit = (bytes: Buffer) => {
    if (bytes.length === 0) return;
    queue = queue.then(async () => {
      for (let at = 0; at < bytes.length; at += chunkBytes) {
        if (res.destroyed) return;
        // Flushed before the next piece (or a cut): a destroyed socket drops what it still buffers.
        await new Promise<void>((resolve) => {
          write(bytes.subarray(at, Math.min(bytes.length, at + chunkBytes)), () => resolve());
        });
        if (fault.chunkBytes !== undefined) await new Promise((resolve) => setImmediate(resolve));
      }
    });
  };
  const after = (action: () => void) => {
    queue = queue.then(action);
  };
  const halfOf = (event: Buffer) => event.subarray(0, Math.max(1, Math.floor(event.length / 2)));
  const malformed = (event: Buffer) => {
    const text = event.toString('utf8');
    const match = /^data:.*$/m.exec(text);
    if (!match) return halfOf(event);
    const line = match[0];
    const short = line.slice(0, Math.max(6, Math.floor(line.length / 2)));
    return Buffer.from(`${text.slice(0, match.index)}${short}\n\n`, 'utf8');
  };
  /** Moves whole events from `pending` out while counting; the rest waits for more bytes. */
  const drain = () => {
    while (state === 'counting') {
      const found = EVENT_END.exec(pending.toString('latin1'));
      if (!found) return;
      const length = found.index + found[0].length;
      const event = pending.subarray(0, length);
      pending = pending.subarray(length);
      if (passed < (fault.afterEvents ?? 0)) {
        passed += 1;
        emit(event);
        continue;
      }
      switch (fault.action) {
        case 'cut':
          emit(halfOf(event));
          after(() => req.socket.destroy());
          state = 'done';
          break;
        case 'end':
          emit(halfOf(event));
          after(() => end());
          state = 'done';
          break;
        case 'malformed':
          emit(malformed(event));
          state = 'through';
          break;
        case 'insert':
          emit(Buffer.from(fault.insert ?? ': keep-alive\n\n', 'utf8'));
          emit(event);
          state = 'through';
          break;
        default:
          state = 'done';
      }
    }
    if (state === 'through') {
      emit(pending);
      pending = Buffer.alloc(0);
    }
    if (state === 'done') pending = Buffer.alloc(0);
  };
  const callbackOf = (args: unknown[]) =>
    args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
  const toBuffer = (chunk: unknown, encoding?: unknown) =>
    typeof chunk === 'string'
      ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
      : Buffer.from(chunk as Uint8Array);

  res.writeHead = ((...args: unknown[]) => {
    if (!/^text\/event-stream/i.test(contentTypeOf(res, args))) {
      restore();
      notAnEventStream();
    }
    return (original.writeHead as (...a: unknown[]) => ServerResponse).apply(res, args);
  }) as typeof res.writeHead;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (!res.headersSent) res.writeHead(res.statusCode);
    if (res.write === original.write) return write(chunk as Buffer, ...(rest as []));
    pending = Buffer.concat([pending, toBuffer(chunk, rest[0])]);
    drain();
    const callback = callbackOf(rest);
    if (callback) queue = queue.then(callback);
    return true;
  }) as typeof res.write;
  res.end = ((...args: unknown[]) => {
    if (!res.headersSent) res.writeHead(res.statusCode);
    if (res.end === original.end) return end(...args);
    const [chunk] = args;
    if (chunk !== undefined && typeof chunk !== 'function') {
      pending = Buffer.concat([pending, toBuffer(chunk, args[1])]);
      drain();
    }
    const callback = callbackOf(args);
    if (state === 'counting') {
      // The stream ended before the event the fault was for: what is left passes, the rule is not used up.
      notAnEventStream();
      emit(pending);
      pending = Buffer.alloc(0);
      state = 'through';
    }
    if (state === 'through') after(() => end());
    if (callback) queue = queue.then(callback);
    return res;
  }) as typeof res.end;
}
