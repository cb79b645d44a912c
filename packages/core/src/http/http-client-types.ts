/**
 * The shapes of the HTTP toolkit: client options, one request, its response, and the client itself.
 * @module
 */
import type { Readable } from 'node:stream';
import type { AxiosInstance } from 'axios';
import type { ZodType } from 'zod';
import type { SwitchboardError } from '../errors.js';
import type { StateStore } from '../state-store.js';
import type { HttpErrorContext } from './map-http-error.js';
import type { HeaderMap, RateLimitState } from './rate-limit-headers.js';
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
  /**
   * Provider hook: reads the rate-limit state (limit, remaining, reset as epoch ms, window length in
   * ms) from a response's headers (lower-case names), for a provider whose headers are not the IETF
   * `RateLimit-*` / `X-RateLimit-*` family that {@link parseRateLimit} reads by default (e.g. Brevo's
   * `x-sib-ratelimit-*`: `(headers, now) => parseRateLimit(headers, now, ['x-sib-ratelimit-'])`).
   * Drives both the window the client waits for (`respectRateLimit`) and the `retryAfterMs` of an
   * error when the response has no `Retry-After` header. Must not throw.
   */
  readRateLimit?: (headers: HeaderMap, now: number) => RateLimitState;
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
