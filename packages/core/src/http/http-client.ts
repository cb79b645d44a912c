/**
 * `createHttpClient`: the one HTTP choke point every adapter sends through. The pieces it wires
 * live in one-role modules: shapes in `http-client-types.ts`, secrets in `http-secrets.ts`, the
 * rate-limit window in `rate-limit-window.ts`, retries in `retry-policy.ts`, bodies in
 * `parse-response.ts`, the error table in `map-http-error.ts`.
 * @module
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import axios, { type AxiosResponse, isAxiosError } from 'axios';
import { SwitchboardError, setErrorOutcome } from '../errors.js';
import { redactSecrets, redactUrl, toSafeCause } from '../redact.js';
import type { HttpClient, HttpClientOptions, HttpMethod, HttpRequest } from './http-client-types.js';
import { collectSecrets } from './http-secrets.js';
import {
  classifyTransportError,
  describeErrorBody,
  type HttpErrorContext,
  mapHttpStatus,
  mapTransportFailure,
} from './map-http-error.js';
import { parseSuccessBody, readErrorBody, readStream, toHeaderRecord } from './parse-response.js';
import { parseRateLimit, retryAfterMsFromHeaders } from './rate-limit-headers.js';
import { createRateLimitWindow } from './rate-limit-window.js';
import { AttemptFailure, decideAttemptFailure, resolveRetryPolicy, withRetries } from './retry-policy.js';

export type * from './http-client-types.js';

const MAY_HAVE_BEEN_PROCESSED = 'The request may have been processed: check before sending it again.';
const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);

/** One attempt: what is sent, and the secrets its errors must not show. */
interface Attempt {
  method: HttpMethod;
  url: string;
  /** The URL as errors show it: credentials, secret query parameters and secrets removed. */
  safeUrl: string;
  idempotent: boolean;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  stream: boolean;
  secrets: string[];
}

/**
 * Creates the HTTP client an adapter sends every request through: keep-alive, per-attempt
 * deadlines, `AbortSignal`, retries with exponential backoff and jitter (p-retry) only where safe,
 * `Retry-After` / rate-limit headers honoured, zod validation of responses, errors mapped to the
 * Switchboard error table and built secret-free, and single-flight re-authentication.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const provider = options.provider;
  let baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy = resolveRetryPolicy(options.retry);
  const readRateLimit = options.readRateLimit ?? parseRateLimit;
  const window =
    (options.respectRateLimit ?? true)
      ? createRateLimitWindow({
          read: readRateLimit,
          shared: options.rateLimitState,
          maxWaitMs: policy.maxRetryAfterMs,
        })
      : undefined;
  const extraSecrets = new Set<string>();
  const agents = options.axiosInstance
    ? undefined
    : { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const instance =
    options.axiosInstance ??
    axios.create({ httpAgent: agents?.http, httpsAgent: agents?.https, maxRedirects: 0 });

  const secretsFor = (headers: Record<string, string>) =>
    collectSecrets(headers, [...extraSecrets, ...(options.secrets?.() ?? [])]);

  const buildUrl = (path: string, query: HttpRequest['query']) => {
    const url = new URL(baseUrl + (path.startsWith('/') ? path : `/${path}`));
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
    return url.toString();
  };

  /** The error of an attempt that got no response, built from the redacted URL and cause. */
  const transportError = (attempt: Attempt, error: unknown): AttemptFailure => {
    const code = isAxiosError(error) ? error.code : (error as { code?: string } | undefined)?.code;
    const message = error instanceof Error ? error.message : String(error);
    const failure = classifyTransportError(code, message);
    const mapped = mapTransportFailure(failure, {
      provider,
      method: attempt.method,
      url: attempt.safeUrl,
      timeoutMs: attempt.timeoutMs,
      idempotent: attempt.idempotent,
      cause: toSafeCause(error, attempt.secrets),
    });
    return decideAttemptFailure(mapped, { transport: failure }, attempt.idempotent, policy);
  };

  /**
   * The error of a non-2xx answer, mapped from a context whose every field is secret-free. The body
   * is described once, generically; a provider's `mapErrorBody` description refines it.
   */
  const statusError = async (attempt: Attempt, response: AxiosResponse, headers: Record<string, string>) => {
    const text = attempt.stream ? await readStream(response.data as Readable) : String(response.data ?? '');
    const context: HttpErrorContext = {
      provider,
      status: response.status,
      body: readErrorBody(text, headers['content-type'], attempt.secrets),
      headers,
      method: attempt.method,
      url: attempt.safeUrl,
    };
    const retryAfterMs = retryAfterMsFromHeaders(headers, Date.now(), readRateLimit);
    if (retryAfterMs !== undefined) context.retryAfterMs = retryAfterMs;
    const described = describeErrorBody(context.body);
    if (described.message) context.providerMessage = described.message;
    if (described.code) context.providerCode = described.code;
    if (described.issues) context.issues = described.issues;
    const mapped = options.mapError?.(context) ?? mapHttpStatus(context);
    return decideAttemptFailure(mapped, { status: response.status }, attempt.idempotent, policy);
  };

  /** One attempt over the wire; throws an `AttemptFailure` (or the abort reason). */
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
      throw transportError(attempt, error);
    }
    const headers = toHeaderRecord(response.headers);
    await window?.note(headers);
    if (response.status >= 200 && response.status < 300) return response;
    throw await statusError(attempt, response, headers);
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
      await window?.wait(signal);
      const prepared = useAuth ? await options.auth!.prepare(signal) : undefined;
      const headers = {
        accept: 'application/json',
        ...options.headers,
        ...prepared?.headers,
        ...request.headers,
      };
      const secrets = secretsFor(headers);
      const attempt: Attempt = {
        method: request.method,
        url,
        safeUrl: redactSecrets(redactUrl(url), secrets),
        idempotent,
        headers,
        body: request.body,
        timeoutMs: request.timeoutMs ?? timeoutMs,
        signal,
        stream,
        secrets,
      };
      try {
        return await attemptOnce(attempt);
      } catch (failure) {
        if (!(failure instanceof AttemptFailure)) throw failure;
        if (failure.processed) processed = true;
        const authFailure = prepared !== undefined && options.auth!.isAuthFailure(failure.error);
        const refusedFresh = justRecovered;
        justRecovered = false;
        if (!prepared || !authFailure || refusedFresh || recoveredTokens.has(prepared.token)) throw failure;
        recoveredTokens.add(prepared.token);
        if (!(await options.auth!.recover(prepared.token, signal))) throw failure;
        justRecovered = true;
        return run();
      }
    };

    try {
      return await withRetries(run, policy, signal);
    } catch (thrown) {
      const error = thrown instanceof AttemptFailure ? thrown.error : thrown;
      // Every error of a non-idempotent request says whether it may have taken effect.
      if (!idempotent && SwitchboardError.isInstance(error)) {
        setErrorOutcome(error, processed ? 'unknown' : 'not_applied');
        if (processed && !error.message.includes(MAY_HAVE_BEEN_PROCESSED))
          error.message = `${error.message.replace(/\.?$/, '.')} ${MAY_HAVE_BEEN_PROCESSED}`;
      }
      throw error;
    }
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
      const data = parseSuccessBody(String(response.data ?? ''), {
        provider,
        method: request.method,
        path: request.path,
        status: response.status,
        redaction: () => {
          const secrets = secretsFor({ ...options.headers, ...request.headers });
          return {
            safeUrl: redactSecrets(redactUrl(buildUrl(request.path, request.query)), secrets),
            secrets,
          };
        },
        idempotent: request.idempotent ?? IDEMPOTENT_METHODS.has(request.method),
        schema: request.schema,
      });
      return { data, status: response.status, headers: toHeaderRecord(response.headers) };
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
