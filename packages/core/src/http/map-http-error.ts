import {
  AuthenticationError,
  InvalidRequestError,
  NetworkError,
  NotFoundError,
  PermissionDeniedError,
  ProviderUnavailableError,
  RateLimitError,
  type RequestIssue,
  type SwitchboardError,
  type SwitchboardErrorOptions,
  TimeoutError,
} from '../errors.js';

/** A failed HTTP response, as given to a provider's `mapError`. */
export interface HttpErrorContext {
  provider: string;
  status: number;
  /** Parsed JSON body, or the text when it was not JSON (`undefined` when empty). */
  body: unknown;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  method: string;
  /** Redacted request URL. */
  url: string;
  /** Milliseconds to wait, from `Retry-After` / rate-limit headers. */
  retryAfterMs?: number;
  /**
   * The provider's error message found in the body, if any: the client fills it with the generic
   * description (`describeErrorBody`: `message`, `error`, `detail`…); `mapErrorBody` replaces it with
   * what the provider's `ProviderErrorBody` description reads when the body matches its schema.
   */
  providerMessage?: string;
  /** The provider's error name or code found in the body (`error`, `code`…), if any (set like `providerMessage`). */
  providerCode?: string;
  /** Per-field problems the body lists (e.g. FastAPI's `detail[]`), if any (set like `providerMessage`). */
  issues?: RequestIssue[];
}

/**
 * The generic description of an error body, for a provider without a `ProviderErrorBody`
 * (or a body its schema does not match, e.g. a proxy's plain-text 502): picks a human message and
 * an error name out of the common shapes (`{message}`, `{error, message}`, `{code}`, FastAPI's
 * `{detail}` and `{detail: [{loc, msg, type}]}` as `issues`, plain text).
 */
export function describeErrorBody(body: unknown): {
  message?: string;
  code?: string;
  issues?: RequestIssue[];
} {
  if (typeof body === 'string') return body.trim() ? { message: body.trim().slice(0, 300) } : {};
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const str = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  // FastAPI: {detail: "..."} or {detail: [{loc, msg, type}]}
  if (Array.isArray(record.detail)) {
    const issues = record.detail.flatMap((item): RequestIssue[] => {
      if (typeof item !== 'object' || item === null) return [];
      const entry = item as { loc?: unknown; msg?: unknown; type?: unknown };
      const path = Array.isArray(entry.loc) ? entry.loc.join('.') : '';
      const issue: RequestIssue = { path, message: str(entry.msg) ?? 'invalid' };
      if (typeof entry.type === 'string') issue.type = entry.type;
      return [issue];
    });
    return { message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues };
  }
  const message = str(record.message) ?? str(record.detail) ?? str(record.error_description);
  const code = str(record.error) ?? str(record.code);
  const result: { message?: string; code?: string } = {};
  if (message ?? code) result.message = (message ?? code) as string;
  if (code) result.code = code;
  return result;
}

/**
 * The default status → error class mapping of the error table. The message quotes the provider's
 * (`providerMessage`, else `providerCode`); when the context has neither (nor `issues`), the body is
 * described generically with {@link describeErrorBody}.
 */
export function mapHttpStatus(context: HttpErrorContext): SwitchboardError {
  const { status, provider, method, url } = context;
  const described =
    context.providerMessage === undefined &&
    context.providerCode === undefined &&
    context.issues === undefined
      ? describeErrorBody(context.body)
      : {};
  const code = context.providerCode ?? described.code;
  const detail = context.providerMessage ?? described.message ?? code;
  const message = `${provider}: ${method} ${new URL(url).pathname} failed with HTTP ${status}${detail ? `: ${detail}` : ''}`;
  const options: SwitchboardErrorOptions = { provider, status, method, url };
  if (code) options.providerCode = code;
  if (context.retryAfterMs !== undefined) options.retryAfterMs = context.retryAfterMs;
  if (status === 401) return new AuthenticationError(message, options);
  if (status === 403) return new PermissionDeniedError(message, options);
  if (status === 404 || status === 410) return new NotFoundError(message, options);
  if (status === 408) return new TimeoutError(message, options);
  if (status === 429) return new RateLimitError(message, options);
  if (status >= 500) return new ProviderUnavailableError(message, options);
  return new InvalidRequestError(message, { ...options, issues: context.issues ?? described.issues ?? [] });
}

const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUTS = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** How a request failed without a response. */
export type TransportFailure = 'refused' | 'timeout' | 'reset';

/** Classifies a transport error code (`ECONNREFUSED`, `ECONNRESET`…). */
export function classifyTransportError(code: string | undefined, message: string): TransportFailure {
  if (code && REFUSED.has(code)) return 'refused';
  if ((code && TIMEOUTS.has(code)) || /timeout/i.test(message)) return 'timeout';
  return 'reset';
}

/** Builds the error for a request that got no response. */
export function mapTransportFailure(
  failure: TransportFailure,
  context: {
    provider: string;
    method: string;
    url: string;
    timeoutMs: number;
    idempotent: boolean;
    cause?: Error;
  },
): SwitchboardError {
  const { provider, method, url } = context;
  const where = `${provider}: ${method} ${new URL(url).pathname}`;
  const maybe = context.idempotent
    ? ''
    : ' The request may have been processed: check before sending it again.';
  const options: SwitchboardErrorOptions = { provider, method, url };
  if (context.cause) options.cause = context.cause;
  // A non-idempotent request that may have been processed must not be blindly repeated.
  if (!context.idempotent && failure !== 'refused') options.retryable = false;
  if (failure === 'timeout')
    return new TimeoutError(`${where} timed out after ${context.timeoutMs} ms.${maybe}`, options);
  if (failure === 'refused')
    return new NetworkError(`${where} could not connect (the request was not sent).`, options);
  return new NetworkError(`${where} failed: the connection was closed before a response.${maybe}`, options);
}
