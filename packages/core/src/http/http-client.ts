import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import pRetry from 'p-retry';
import type { ZodType } from 'zod';
import { InvalidResponseError, SwitchboardError } from '../errors.js';
import { redactSecrets, redactUrl, toSafeCause } from '../redact.js';
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
  /** Strings to scrub from every error (passwords, api keys). Values of auth headers are scrubbed automatically. */
  secrets?: () => Iterable<string | undefined>;
  /** Provider-specific error mapping; return `undefined` to fall back to the status table. */
  mapError?: (context: HttpErrorContext) => SwitchboardError | undefined;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Wait for the window to reset when the provider reports 0 requests remaining (default `true`). */
  respectRateLimit?: boolean;
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
   * (429, 503, connection refused).
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
    return list;
  };

  const scrub = <E extends SwitchboardError>(error: E, headers: Record<string, string>): E => {
    const secrets = secretsFor(headers);
    const message = redactSecrets(error.message, secrets);
    if (message !== error.message) {
      error.stack = redactSecrets(error.stack ?? '', secrets);
      error.message = message;
    }
    // The provider's error name comes from the response body: scrub it too.
    if (error.providerCode !== undefined) {
      Object.defineProperty(error, 'providerCode', {
        value: redactSecrets(error.providerCode, secrets),
        enumerable: true,
      });
    }
    return error;
  };

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
  const noteRateLimit = (headers: Record<string, string>) => {
    if (!respectRateLimit) return;
    const now = Date.now();
    const state = parseRateLimit(headers, now);
    if (state.windowMs !== undefined && state.limit !== undefined && state.remaining === state.limit - 1) {
      windowEndsAt = now + state.windowMs;
    }
    if (state.remaining !== 0) return;
    let until = state.resetAt;
    if (windowEndsAt !== undefined && (until === undefined || Math.abs(windowEndsAt - until) <= 1000)) {
      until = windowEndsAt;
    }
    if (until !== undefined && until > now) blockedUntil = until;
  };

  const waitForWindow = async (signal: AbortSignal | undefined) => {
    const wait = blockedUntil - Date.now();
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
    noteRateLimit(headers);
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

  const execute = async (request: HttpRequest<unknown>, stream: boolean): Promise<AxiosResponse> => {
    const url = buildUrl(request.path, request.query);
    const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
    const useAuth = Boolean(options.auth) && request.auth !== false;
    const signal = request.signal;
    let recovered = false;

    const run = async (): Promise<AxiosResponse> => {
      await waitForWindow(signal);
      const prepared = useAuth ? await options.auth!.prepare(signal) : undefined;
      const attempt: Attempt = {
        method: request.method,
        url,
        safeUrl: redactUrl(url),
        idempotent,
        headers: { accept: 'application/json', ...options.headers, ...prepared?.headers, ...request.headers },
        body: request.body,
        timeoutMs: request.timeoutMs ?? timeoutMs,
        signal,
        stream,
      };
      try {
        return await attemptOnce(attempt);
      } catch (error) {
        if (
          !prepared ||
          recovered ||
          !SwitchboardError.isInstance(error) ||
          !options.auth!.isAuthFailure(error)
        )
          throw error;
        recovered = true;
        if (!(await options.auth!.recover(prepared.token, signal))) throw error;
        return run();
      }
    };

    if (!retry || retries <= 0) return run();
    return pRetry(run, {
      retries,
      minTimeout: minDelayMs,
      maxTimeout: maxDelayMs,
      factor: 2,
      randomize: true,
      signal,
      unref: true,
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
  };

  const validate = <T>(request: HttpRequest<T>, response: AxiosResponse): T => {
    const text = String(response.data ?? '');
    const safeUrl = redactUrl(buildUrl(request.path, request.query));
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (!request.schema) return text as T;
        throw new InvalidResponseError(
          `${provider}: ${request.method} ${request.path} answered HTTP ${response.status} with a body that is not JSON.`,
          { provider, status: response.status, method: request.method, url: safeUrl },
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
    throw new InvalidResponseError(
      `${provider}: ${request.method} ${request.path} answered HTTP ${response.status} with an unexpected body (${issues}).`,
      { provider, status: response.status, method: request.method, url: safeUrl },
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
