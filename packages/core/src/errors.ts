/**
 * The Switchboard error table. Every error that leaves a public method is a {@link SwitchboardError}.
 * Checks work across duplicate copies of this package (two versions in one `node_modules`): use
 * `RateLimitError.isInstance(error)` rather than `instanceof`.
 *
 * Errors never carry secrets: not in `message`, `cause`, `JSON.stringify(error)` or `util.inspect(error)`.
 * @module
 */

const MARKER = Symbol.for('@switchboard/core/error');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The `code` of each error class. */
export type SwitchboardErrorCode =
  | 'authentication'
  | 'permission_denied'
  | 'not_found'
  | 'invalid_request'
  | 'rate_limited'
  | 'provider_unavailable'
  | 'timeout'
  | 'network'
  | 'invalid_response'
  | 'unsupported_operation';

/**
 * Whether a failed non-idempotent call (send, edit, delete, react, mark read, open conversation…)
 * took effect at the provider:
 * - `'not_applied'`: it certainly did not happen (rejected by local validation, a 4xx answered before
 *   processing, a 429, a 503, a refused connection, a request never written). Trying again cannot
 *   duplicate it.
 * - `'unknown'`: it may have happened (a timeout or a reset after the request was written, a 5xx
 *   other than 503, a 2xx whose body was not what the provider documents). Check (read history)
 *   before trying again; `retryable` is then always `false`.
 */
export type SwitchboardErrorOutcome = 'not_applied' | 'unknown';

/** One problem found in a request: where (`path`, e.g. `text` or `body.chat_id`) and what. */
export interface RequestIssue {
  path: string;
  message: string;
  /** The provider's own issue type, e.g. FastAPI's `string_too_long`. */
  type?: string;
}

/** Fields accepted by every error constructor. */
export interface SwitchboardErrorOptions {
  /** Provider name (`'bluesky'`, …); `'switchboard'` for errors raised before any request. */
  provider?: string;
  /** HTTP status, when the error came from a response. */
  status?: number;
  /** Overrides the class default (see the table in docs/errors.md). */
  retryable?: boolean;
  /** How long to wait before trying again, in milliseconds. */
  retryAfterMs?: number;
  /** HTTP method of the failed request. */
  method?: string;
  /** URL of the failed request, with credentials and secret query parameters redacted. */
  url?: string;
  /** The provider's own error name, e.g. Bluesky's `InvalidConvo` or Brevo's `unauthorized`. */
  providerCode?: string;
  /** The underlying error. Must already be free of secrets (the HTTP toolkit sanitises it). */
  cause?: unknown;
  /**
   * For a non-idempotent call: whether it certainly did not take effect (`'not_applied'`) or may have
   * (`'unknown'`). With `'unknown'`, `retryable` is forced to `false` (a retry could duplicate).
   */
  outcome?: SwitchboardErrorOutcome;
}

/**
 * Sets the `outcome` of an error after it was built (the HTTP toolkit and the Messenger know whether
 * the call was non-idempotent only after mapping). `'unknown'` also clears `retryable`. Returns `error`.
 */
export function setErrorOutcome<E extends SwitchboardError>(error: E, outcome: SwitchboardErrorOutcome): E {
  Object.defineProperty(error, 'outcome', { value: outcome, enumerable: true, configurable: true });
  if (outcome === 'unknown' && error.retryable)
    Object.defineProperty(error, 'retryable', { value: false, enumerable: true, configurable: true });
  return error;
}

/** Base class of every error Switchboard throws. */
export class SwitchboardError extends Error {
  /** The class's code; `undefined` on the base class. */
  static readonly code: SwitchboardErrorCode | undefined = undefined;
  /** Whether retrying this error by default makes sense (used by the class default of `retryable`). */
  static readonly retryableByDefault: boolean = false;

  readonly code: SwitchboardErrorCode;
  readonly provider: string;
  /**
   * `true` when the same call may succeed if tried again (after `retryAfterMs`, if set) and trying
   * again cannot duplicate it. Never `true` when `outcome` is `'unknown'`.
   */
  readonly retryable: boolean;
  /**
   * Set on every error of a non-idempotent call (send, edit, delete, react, mark read, open
   * conversation…): `'not_applied'` when the operation certainly did not happen, `'unknown'` when it
   * may have (then `retryable` is `false`: check before trying again). `undefined` on reads.
   */
  readonly outcome?: SwitchboardErrorOutcome;
  readonly status?: number;
  /** Milliseconds to wait before retrying. */
  readonly retryAfterMs?: number;
  readonly method?: string;
  readonly url?: string;
  readonly providerCode?: string;
  declare readonly [MARKER]: true;

  constructor(code: SwitchboardErrorCode, message: string, options: SwitchboardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, MARKER, { value: true });
    const ctor = new.target as typeof SwitchboardError;
    this.name = ctor.name;
    this.code = code;
    this.provider = options.provider ?? 'switchboard';
    this.retryable = options.outcome === 'unknown' ? false : (options.retryable ?? ctor.retryableByDefault);
    if (options.outcome !== undefined) this.outcome = options.outcome;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = Math.max(0, Math.round(options.retryAfterMs));
    if (options.method !== undefined) this.method = options.method.toUpperCase();
    if (options.url !== undefined) this.url = options.url;
    if (options.providerCode !== undefined) this.providerCode = options.providerCode;
  }

  /**
   * `true` when `error` is a Switchboard error of this class (any class when called on
   * `SwitchboardError`), even if it comes from another copy of this package.
   */
  static isInstance<T extends SwitchboardError>(
    this: { readonly code: SwitchboardErrorCode | undefined; prototype: T },
    error: unknown,
  ): error is T {
    if (typeof error !== 'object' || error === null || (error as { [MARKER]?: unknown })[MARKER] !== true)
      return false;
    return this.code === undefined || (error as SwitchboardError).code === this.code;
  }

  /** A plain, secret-free object for logs and JSON. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
      provider: this.provider,
      retryable: this.retryable,
    };
    for (const key of ['outcome', 'status', 'retryAfterMs', 'method', 'url', 'providerCode'] as const) {
      if (this[key] !== undefined) json[key] = this[key];
    }
    if (this.cause !== undefined) json.cause = describeCause(this.cause);
    return json;
  }

  /** `util.inspect` shows the same fields as `toJSON`, plus the stack. */
  [INSPECT](): string {
    const { name, message, ...rest } = this.toJSON();
    const stack = (this.stack ?? '').split('\n').slice(1).join('\n');
    return `${String(name)}: ${String(message)} ${JSON.stringify(rest)}${stack ? `\n${stack}` : ''}`;
  }
}

function describeCause(cause: unknown): unknown {
  if (SwitchboardError.isInstance(cause)) return cause.toJSON();
  if (cause instanceof Error) return { name: cause.name, message: cause.message };
  return typeof cause === 'string' ? cause : undefined;
}

/** 401, or an expired/invalid session that one refresh or re-login did not fix. Not retryable. */
export class AuthenticationError extends SwitchboardError {
  static override readonly code = 'authentication' as const;
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('authentication', message, options);
  }
}

/** 403, or credentials that lack a permission (e.g. a Bluesky app password without DM access). */
export class PermissionDeniedError extends SwitchboardError {
  static override readonly code = 'permission_denied' as const;
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('permission_denied', message, options);
  }
}

/** The conversation, message or user does not exist (404, Bluesky `InvalidConvo`, …). */
export class NotFoundError extends SwitchboardError {
  static override readonly code = 'not_found' as const;
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('not_found', message, options);
  }
}

/** Options of {@link InvalidRequestError}. */
export interface InvalidRequestErrorOptions extends SwitchboardErrorOptions {
  /** Each problem found (local validation, or the provider's list such as FastAPI's `detail[]`). */
  issues?: RequestIssue[];
}

/** Bad input: rejected locally before any request, or by the provider (400, 422). */
export class InvalidRequestError extends SwitchboardError {
  static override readonly code = 'invalid_request' as const;
  /** Each problem found; FastAPI's `detail[]` entries are kept here. */
  readonly issues: RequestIssue[];
  constructor(message: string, options: InvalidRequestErrorOptions = {}) {
    super('invalid_request', message, options);
    this.issues = options.issues ?? [];
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** 429 or an exhausted quota. `retryAfterMs` (milliseconds) is set whenever the provider said when to retry. */
export class RateLimitError extends SwitchboardError {
  static override readonly code = 'rate_limited' as const;
  static override readonly retryableByDefault = true;
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('rate_limited', message, options);
  }
}

/** The provider failed (5xx) or is down. Retryable. */
export class ProviderUnavailableError extends SwitchboardError {
  static override readonly code = 'provider_unavailable' as const;
  static override readonly retryableByDefault = true;
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('provider_unavailable', message, options);
  }
}

/** The request ran over its deadline. For a send, the message may or may not have been delivered. */
export class TimeoutError extends SwitchboardError {
  static override readonly code = 'timeout' as const;
  static override readonly retryableByDefault = true;
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('timeout', message, options);
  }
}

/** The connection failed: refused, reset, DNS. For a send after the request was written, delivery is unknown. */
export class NetworkError extends SwitchboardError {
  static override readonly code = 'network' as const;
  static override readonly retryableByDefault = true;
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('network', message, options);
  }
}

/** The provider answered with a body that does not match its documented schema. */
export class InvalidResponseError extends SwitchboardError {
  static override readonly code = 'invalid_response' as const;
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('invalid_response', message, options);
  }
}

/** The adapter's capability manifest does not declare this operation. Raised before any request. */
export class UnsupportedOperationError extends SwitchboardError {
  static override readonly code = 'unsupported_operation' as const;
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('unsupported_operation', message, options);
  }
}

/** Constructor shape shared by the concrete error classes. */
export type SwitchboardErrorClass = {
  new (message: string, options?: SwitchboardErrorOptions): SwitchboardError;
  readonly code: SwitchboardErrorCode | undefined;
  isInstance(error: unknown): boolean;
};

/** Every concrete error class, by code. */
export const errorClasses = {
  authentication: AuthenticationError,
  permission_denied: PermissionDeniedError,
  not_found: NotFoundError,
  invalid_request: InvalidRequestError,
  rate_limited: RateLimitError,
  provider_unavailable: ProviderUnavailableError,
  timeout: TimeoutError,
  network: NetworkError,
  invalid_response: InvalidResponseError,
  unsupported_operation: UnsupportedOperationError,
} as const satisfies Record<SwitchboardErrorCode, SwitchboardErrorClass>;
