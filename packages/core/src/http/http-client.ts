import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import pRetry from 'p-retry';
import type { ZodType } from 'zod';
import { InvalidRequestError, InvalidResponseError, SwitchboardError, setErrorOutcome } from '../errors.js';
import { redactSecrets, redactUrl, toSafeCause } from '../redact.js';
import type { StateStore } from '../state-store.js';
import {
  classifyTransportError,
  describeErrorBody,
  type HttpErrorContext,
  mapHttpStatus,
  mapTransportFailure,
  type TransportFailure,
} from './map-http-error.js';
import { parseRateLimit, retryAfterMsFromHeaders } from './rate-limit-headers.js';
import type { AuthStrategy } from './session-auth.js';

/** HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A query parameter value; arrays repeat the key (`?members=a&members=b`), `undefined` is skipped. */
export type QueryValue = string | number | boolean | readonly (string | number | boolean)[] | undefined;

/** Retry policy. Delays are in milliseconds. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff delay (default 250 ms); doubles each retry, randomised ×1–2 (jitter). */
  minDelayMs?: number;
  /** Longest backoff delay (default 10 000 ms). */
  maxDelayMs?: number;
  /**
   * Longest wait a `Retry-After` / rate-limit reset may impose before a retry (default 60 000 ms).
   * Past it the call fails at once with a `RateLimitError` carrying `retryAfterMs`.
   */
  maxRetryAfterMs?: number;
}

/**
 * Where a client keeps the rate-limit window it learns from the provider's headers and 429s, so
 * that several instances sending through one account share one budget (see
 * docs/running-several-instances.md). Two keys are written, both with a TTL ending with the window:
 * `<key>:blocked` (epoch ms until which nobody sends) and `<key>:window` (epoch ms when the current
 * window ends, from the response that opened it). A store failure never fails a request: the client
 * then falls back to what it learned itself.
 */
export interface SharedRateLimitState {
  /** The shared store, e.g. `createRedisStateStore(…)` of `@switchboard/redis`. */
  store: StateStore;
  /**
   * One key per rate-limit budget: the account (and the provider's limit group), e.g.
   * `bluesky:{did:plc:…}:ratelimit`. Instances sending through the same account must use the same key.
   */
  key: string;
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Provider name put in every error (`'bluesky'`, …). */
  provider: string;
  /** Base URL; request paths are appended to it. Changeable later with `setBaseUrl`. */
  baseUrl: string;
  /** Deadline of each attempt in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Retry policy, or `false` for none. */
  retry?: RetryOptions | false;
  /** Your own axios instance (proxies, interceptors). Default: a fresh one with keep-alive agents. */
  axiosInstance?: AxiosInstance;
  /** How requests authenticate. */
  auth?: AuthStrategy;
  /**
   * Strings to scrub from every error (passwords, api keys, a token carried in the URL path such as
   * Telegram's `/bot<token>/…`): from its message, stack, `url`, `providerCode`, `issues` and cause,
   * raw and percent-encoded. Values of auth headers are scrubbed automatically.
   */
  secrets?: () => Iterable<string | undefined>;
  /** Provider-specific error mapping; return `undefined` to fall back to the status table. */
  mapError?: (context: HttpErrorContext) => SwitchboardError | undefined;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Wait for the window to reset when the provider reports 0 requests remaining (default `true`). */
  respectRateLimit?: boolean;
  /**
   * Keep the rate-limit window in a {@link StateStore} shared by every instance using the same
   * account, so that all of them wait when any one learns that the budget is spent. Default: the
   * window lives in this client only. Costs one store read before each attempt and a write when a
   * window opens or is exhausted. Ignored when `respectRateLimit` is `false`.
   */
  rateLimitState?: SharedRateLimitState;
}

/** One request. */
export interface HttpRequest<T = unknown> {
  method: HttpMethod;
  /** Path appended to the base URL, e.g. `/xrpc/chat.bsky.convo.getMessages`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON body, or `URLSearchParams` for a form. */
  body?: unknown;
  headers?: Record<string, string>;
  /** zod schema of the 2xx body; mismatches throw `InvalidResponseError`. Absent: the body is returned unparsed-JSON-or-undefined. */
  schema?: ZodType<T>;
  /**
   * Whether repeating the request is harmless (default: `true` for GET, HEAD, PUT, DELETE).
   * Non-idempotent requests are retried only when the provider certainly did not process them
   * (429, 503, connection refused), and every error they end with carries `outcome`:
   * `'not_applied'` (certainly not processed) or `'unknown'` (may have been: a timeout or reset after
   * the request was written, a 5xx other than 501/503, a 2xx whose body fails `schema`), the latter
   * never `retryable`.
   */
  idempotent?: boolean;
  /** Use the client's auth strategy (default `true` when it has one). */
  auth?: boolean;
  signal?: AbortSignal;
  /** Overrides the client's per-attempt deadline, in milliseconds. */
  timeoutMs?: number;
}

/** A response with its status and lower-case headers. */
export interface HttpResponse<T> {
  data: T;
  status: number;
  headers: Record<string, string>;
}

/** A streaming response (e.g. `text/event-stream`), returned once the headers arrived with a 2xx status. */
export interface HttpStreamResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

/** The HTTP choke point every adapter uses. */
export interface HttpClient {
  readonly provider: string;
  readonly baseUrl: string;
  setBaseUrl(baseUrl: string): void;
  /** Registers one more string to scrub from errors (e.g. a token minted at runtime). */
  addSecret(secret: string | undefined): void;
  /** Sends a request and returns the validated body. Throws a `SwitchboardError`. */
  request<T = unknown>(request: HttpRequest<T>): Promise<T>;
  /** Like `request`, with status and headers. */
  send<T = unknown>(request: HttpRequest<T>): Promise<HttpResponse<T>>;
  /** Sends a request and returns the body as a stream once a 2xx status arrives. */
  stream(request: Omit<HttpRequest, 'schema'>): Promise<HttpStreamResponse>;
  /** Destroys keep-alive sockets. */
  close(): Promise<void>;
}

const MAY_HAVE_BEEN_PROCESSED = 'The request may have been processed: check before sending it again.';
const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
const SENSITIVE_HEADERS = /^(authorization|proxy-authorization|api-key|x-api-key|x-access-token|cookie)$/i;

interface Attempt {
  method: HttpMethod;
  url: string;
  safeUrl: string;
  idempotent: boolean;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  stream: boolean;
}

/** Why an attempt failed, for the retry decision. */
const failureKind = new WeakMap<object, { transport?: TransportFailure; status?: number }>();

function toHeaderRecord(headers: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json') || /^\s*[[{"]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

async function readStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Creates the HTTP client an adapter sends every request through: keep-alive, per-attempt
 * deadlines, `AbortSignal`, retries with exponential backoff and jitter (p-retry) only where safe,
 * `Retry-After` / rate-limit headers honoured, zod validation of responses, errors mapped to the
 * Switchboard error table with secrets redacted, and single-flight re-authentication.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const provider = options.provider;
  let baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retry = options.retry === false ? undefined : (options.retry ?? {});
  const retries = retry?.retries ?? 3;
  const minDelayMs = retry?.minDelayMs ?? 250;
  const maxDelayMs = retry?.maxDelayMs ?? 10_000;
  const maxRetryAfterMs = retry?.maxRetryAfterMs ?? 60_000;
  const respectRateLimit = options.respectRateLimit ?? true;
  const extraSecrets = new Set<string>();
  const agents = options.axiosInstance
    ? undefined
    : { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const instance =
    options.axiosInstance ??
    axios.create({ httpAgent: agents?.http, httpsAgent: agents?.https, maxRedirects: 0 });
  let blockedUntil = 0;
  /** When the provider's current rate-limit window ends, timed from the response that opened it. */
  let windowEndsAt: number | undefined;

  const secretsFor = (headers: Record<string, string>): string[] => {
    const list: string[] = [...extraSecrets];
    for (const secret of options.secrets?.() ?? []) if (secret) list.push(secret);
    for (const [name, value] of Object.entries(headers)) {
      if (!SENSITIVE_HEADERS.test(name)) continue;
      list.push(value);
      const parts = value.split(' ');
      if (parts.length > 1) list.push(parts.slice(1).join(' '));
    }
    // A secret in a URL appears percent-encoded there (and in messages quoting the path).
    for (const secret of [...list]) {
      for (const encoded of [encodeURIComponent(secret), encodeURI(secret)])
        if (encoded !== secret) list.push(encoded);
    }
    // Longest first, so a secret containing another is replaced whole.
    return list.sort((a, b) => b.length - a.length);
  };

  /** Scrubs every rendered field of an error: message, stack, url, providerCode, issues, cause. */
  const scrub = <E extends SwitchboardError>(error: E, headers: Record<string, string>): E => {
    const secrets = secretsFor(headers);
    const message = redactSecrets(error.message, secrets);
    if (message !== error.message) error.message = message;
    if (error.stack !== undefined) error.stack = redactSecrets(error.stack, secrets);
    const set = (key: string, value: unknown) =>
      Object.defineProperty(error, key, { value, enumerable: true, configurable: true, writable: true });
    // The provider's error name comes from the response body, the URL may carry a token in its path.
    if (error.providerCode !== undefined) set('providerCode', redactSecrets(error.providerCode, secrets));
    if (error.url !== undefined) set('url', redactSecrets(error.url, secrets));
    if (InvalidRequestError.isInstance(error)) {
      set(
        'issues',
        error.issues.map((issue) => ({
          ...issue,
          path: redactSecrets(issue.path, secrets),
          message: redactSecrets(issue.message, secrets),
        })),
      );
    }
    if (error.cause instanceof Error && !SwitchboardError.isInstance(error.cause)) {
      set('cause', toSafeCause(error.cause, secrets));
    }
    return error;
  };

  /** The URL as errors show it: credentials, secret query parameters and registered secrets removed. */
  const safeUrlOf = (url: string, headers: Record<string, string>) =>
    redactSecrets(redactUrl(url), secretsFor(headers));

  const buildUrl = (path: string, query: HttpRequest['query']) => {
    const url = new URL(baseUrl + (path.startsWith('/') ? path : `/${path}`));
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
    return url.toString();
  };

  /**
   * Remembers when to stop sending. Resets come in whole seconds (Bluesky rounds down, so waiting
   * for it trips a 429; others round up, so it wastes up to a second per window). When the provider
   * also sends its window length (`RateLimit-Policy: <limit>;w=<seconds>`), the response that
   * opened the window (`remaining = limit - 1`) gives its end to the millisecond: never early, since
   * that response arrived after the provider started the window. It is used while it agrees with
   * the whole-second reset.
   */
  const shared = respectRateLimit ? options.rateLimitState : undefined;
  /** Store writes are best effort: a failing store must not fail a request the provider processed. */
  const storeSet = async (suffix: string, value: number, now: number) => {
    if (!shared || value <= now) return;
    try {
      await shared.store.set(`${shared.key}:${suffix}`, value, { ttlMs: Math.ceil(value - now) + 1000 });
    } catch {
      // Fall back to the in-process window.
    }
  };
  const storeGet = async (suffix: string): Promise<number | undefined> => {
    if (!shared) return undefined;
    try {
      const value = await shared.store.get<number>(`${shared.key}:${suffix}`);
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };

  const noteRateLimit = async (headers: Record<string, string>) => {
    if (!respectRateLimit) return;
    const now = Date.now();
    const state = parseRateLimit(headers, now);
    if (state.windowMs !== undefined && state.limit !== undefined && state.remaining === state.limit - 1) {
      windowEndsAt = now + state.windowMs;
      await storeSet('window', windowEndsAt, now);
    }
    if (state.remaining !== 0) return;
    let until = state.resetAt;
    // Another instance may have seen the response that opened the window.
    const knownEnd =
      windowEndsAt !== undefined && windowEndsAt > now
        ? windowEndsAt
        : ((await storeGet('window')) ?? windowEndsAt);
    if (knownEnd !== undefined && (until === undefined || Math.abs(knownEnd - until) <= 1000)) {
      until = knownEnd;
    }
    if (until !== undefined && until > now) {
      blockedUntil = until;
      await storeSet('blocked', until, now);
    }
  };

  const waitForWindow = async (signal: AbortSignal | undefined) => {
    const sharedUntil = await storeGet('blocked');
    const wait = Math.max(blockedUntil, sharedUntil ?? 0) - Date.now();
    if (wait > 0) await sleep(Math.min(wait, maxRetryAfterMs), undefined, { signal });
  };

  /** One attempt over the wire; throws mapped errors. */
  const attemptOnce = async (attempt: Attempt): Promise<AxiosResponse> => {
    let response: AxiosResponse;
    try {
      response = await instance.request({
        method: attempt.method,
        url: attempt.url,
        headers: attempt.headers,
        data: attempt.body,
        timeout: attempt.timeoutMs,
        signal: attempt.signal,
        responseType: attempt.stream ? 'stream' : 'text',
        transformResponse: (data: unknown) => data,
        validateStatus: () => true,
      });
    } catch (error) {
      if (attempt.signal?.aborted) throw attempt.signal.reason;
      // Anything else (a cancel from a custom instance's interceptor included) is mapped: a raw axios
      // error carries the request config, headers and all, and must never escape.
      const code = isAxiosError(error) ? error.code : (error as { code?: string } | undefined)?.code;
      const message = error instanceof Error ? error.message : String(error);
      const failure = classifyTransportError(code, message);
      const mapped = mapTransportFailure(failure, {
        provider,
        method: attempt.method,
        url: attempt.safeUrl,
        timeoutMs: attempt.timeoutMs,
        idempotent: attempt.idempotent,
        cause: toSafeCause(error, secretsFor(attempt.headers)),
      });
      failureKind.set(mapped, { transport: failure });
      throw scrub(mapped, attempt.headers);
    }

    const headers = toHeaderRecord(response.headers);
    await noteRateLimit(headers);
    if (response.status >= 200 && response.status < 300) return response;

    const text = attempt.stream ? await readStream(response.data as Readable) : String(response.data ?? '');
    const body = parseBody(text, headers['content-type']);
    const described = describeErrorBody(body);
    const context: HttpErrorContext = {
      provider,
      status: response.status,
      body,
      headers,
      method: attempt.method,
      url: attempt.safeUrl,
    };
    const retryAfterMs = retryAfterMsFromHeaders(headers);
    if (retryAfterMs !== undefined) context.retryAfterMs = retryAfterMs;
    if (described.message) context.providerMessage = described.message;
    if (described.code) context.providerCode = described.code;
    const mapped = options.mapError?.(context) ?? mapHttpStatus(context);
    failureKind.set(mapped, { status: response.status });
    throw scrub(mapped, attempt.headers);
  };

  /** Whether retrying this failure is safe and useful. */
  const retryable = (error: unknown, idempotent: boolean): boolean => {
    // A provider mapping may veto retries (e.g. an exhausted quota answered with 429).
    if (!SwitchboardError.isInstance(error) || !error.retryable) return false;
    const kind = failureKind.get(error);
    if (!kind) return false;
    if (kind.transport === 'refused') return true;
    if (kind.transport) return idempotent;
    const status = kind.status ?? 0;
    if (status === 429 || status === 503) return true;
    if (status === 501) return false;
    return idempotent && (status >= 500 || status === 408);
  };

  /** Whether a failed attempt may have been processed by the provider (`false`: certainly not). */
  const mayHaveBeenProcessed = (error: unknown): boolean => {
    const kind = SwitchboardError.isInstance(error) ? failureKind.get(error) : undefined;
    if (!kind) return false; // not from the wire: thrown before the request was written
    if (kind.transport) return kind.transport !== 'refused';
    const status = kind.status ?? 0;
    return status >= 500 && status !== 501 && status !== 503;
  };

  const execute = async (request: HttpRequest<unknown>, stream: boolean): Promise<AxiosResponse> => {
    const url = buildUrl(request.path, request.query);
    const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
    const useAuth = Boolean(options.auth) && request.auth !== false;
    const signal = request.signal;
    /**
     * One refresh per token, not per call: a call that waits out a 429 and meets a second expired
     * token refreshes again; fresh credentials refused at once end the call (no loop).
     */
    const recoveredTokens = new Set<unknown>();
    let justRecovered = false;
    let processed = false;

    const run = async (): Promise<AxiosResponse> => {
      await waitForWindow(signal);
      const prepared = useAuth ? await options.auth!.prepare(signal) : undefined;
      const attempt: Attempt = {
        method: request.method,
        url,
        safeUrl: '',
        idempotent,
        headers: { accept: 'application/json', ...options.headers, ...prepared?.headers, ...request.headers },
        body: request.body,
        timeoutMs: request.timeoutMs ?? timeoutMs,
        signal,
        stream,
      };
      attempt.safeUrl = safeUrlOf(url, attempt.headers);
      try {
        return await attemptOnce(attempt);
      } catch (error) {
        if (mayHaveBeenProcessed(error)) processed = true;
        const authFailure =
          prepared !== undefined && SwitchboardError.isInstance(error) && options.auth!.isAuthFailure(error);
        const refusedFresh = justRecovered;
        justRecovered = false;
        if (!prepared || !authFailure || refusedFresh || recoveredTokens.has(prepared.token)) throw error;
        recoveredTokens.add(prepared.token);
        if (!(await options.auth!.recover(prepared.token, signal))) throw error;
        justRecovered = true;
        return run();
      }
    };

    try {
      if (!retry || retries <= 0) return await run();
      return await pRetry(run, {
        retries,
        minTimeout: minDelayMs,
        maxTimeout: maxDelayMs,
        factor: 2,
        randomize: true,
        signal,
        // Timers stay referenced: a call waiting out a backoff keeps the process alive until it
        // settles (a started realtime source polls through this client), and none outlives its call.
        shouldRetry: async ({ error, retriesConsumed }) => {
          if (!retryable(error, idempotent)) return false;
          const retryAfterMs = (error as SwitchboardError).retryAfterMs;
          if (retryAfterMs === undefined) return true;
          if (retryAfterMs > maxRetryAfterMs) return false;
          // p-retry waits at least its own backoff next; top that up to what the provider asked for.
          const backoffFloor = Math.min(maxDelayMs, minDelayMs * 2 ** Math.max(0, retriesConsumed - 1));
          const extra = retryAfterMs - backoffFloor;
          if (extra > 0) await sleep(extra, undefined, { signal });
          return true;
        },
      });
    } catch (error) {
      // Every error of a non-idempotent request says whether it may have taken effect.
      if (!idempotent && SwitchboardError.isInstance(error)) {
        setErrorOutcome(error, processed ? 'unknown' : 'not_applied');
        if (processed && !error.message.includes(MAY_HAVE_BEEN_PROCESSED))
          error.message = `${error.message.replace(/\.?$/, '.')} ${MAY_HAVE_BEEN_PROCESSED}`;
      }
      throw error;
    }
  };

  /**
   * Parses a 2xx body. A body that fails the schema on a non-idempotent request means the provider
   * did process it (2xx) but we cannot tell what it made: `outcome: 'unknown'`.
   */
  const validate = <T>(request: HttpRequest<T>, response: AxiosResponse): T => {
    const text = String(response.data ?? '');
    const headers = { ...options.headers, ...request.headers };
    const safeUrl = safeUrlOf(buildUrl(request.path, request.query), headers);
    const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
    const outcome = idempotent ? {} : { outcome: 'unknown' as const };
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (!request.schema) return text as T;
        throw scrub(
          new InvalidResponseError(
            `${provider}: ${request.method} ${request.path} answered HTTP ${response.status} with a body that is not JSON.`,
            { provider, status: response.status, method: request.method, url: safeUrl, ...outcome },
          ),
          headers,
        );
      }
    }
    if (!request.schema) return body as T;
    const parsed = request.schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw scrub(
      new InvalidResponseError(
        `${provider}: ${request.method} ${request.path} answered HTTP ${response.status} with an unexpected body (${issues}).`,
        { provider, status: response.status, method: request.method, url: safeUrl, ...outcome },
      ),
      headers,
    );
  };

  const client: HttpClient = {
    provider,
    get baseUrl() {
      return baseUrl;
    },
    setBaseUrl(next) {
      baseUrl = next.replace(/\/+$/, '');
    },
    addSecret(secret) {
      if (secret) extraSecrets.add(secret);
    },
    async request(request) {
      return (await client.send(request)).data;
    },
    async send<T>(request: HttpRequest<T>) {
      const response = await execute(request as HttpRequest<unknown>, false);
      return {
        data: validate(request, response),
        status: response.status,
        headers: toHeaderRecord(response.headers),
      };
    },
    async stream(request) {
      const response = await execute(
        { ...request, headers: { accept: 'text/event-stream', ...request.headers } },
        true,
      );
      return {
        status: response.status,
        headers: toHeaderRecord(response.headers),
        body: response.data as Readable,
      };
    },
    async close() {
      agents?.http.destroy();
      agents?.https.destroy();
    },
  };
  return client;
}
