import type * as z from 'zod';
import type { RequestIssue, SwitchboardError } from '../errors.js';
import { type HttpErrorContext, mapHttpStatus } from './map-http-error.js';

/** Where a field is in a provider's error body: a dot path (`'error.message'`) or a function. */
export type ErrorBodyField<Body> = string | ((body: Body) => unknown);

/**
 * A declarative description of a provider's error body, for {@link mapErrorBody}: the zod schema of
 * the body, where its human message and its error name/code are, and where it says how long to wait.
 *
 * @example Telegram Bot API (`{ ok: false, error_code: 429, description, parameters: { retry_after } }`)
 * const telegramErrorBody = defineProviderErrorBody({
 *   schema: z.object({ ok: z.literal(false), error_code: z.number(), description: z.string(),
 *     parameters: z.object({ retry_after: z.number().optional() }).optional() }),
 *   message: 'description',
 *   code: 'error_code',
 *   retryAfter: { field: 'parameters.retry_after', unit: 'seconds' },
 * });
 */
export interface ProviderErrorBody<S extends z.ZodType = z.ZodType> {
  /** zod schema of the error body. A body that does not match is left to the generic description. */
  schema: S;
  /** Where the human-readable message is (a string is used; others are ignored). */
  message?: ErrorBodyField<z.output<S>>;
  /** Where the provider's error name or code is (a string or number, kept as a string). */
  code?: ErrorBodyField<z.output<S>>;
  /**
   * Where the body says how long to wait before retrying, and in which unit. Used when the response
   * has no `Retry-After` / rate-limit header (a header wins).
   */
  retryAfter?: { field: ErrorBodyField<z.output<S>>; unit: 'seconds' | 'milliseconds' };
  /** The per-field problems the body lists (e.g. FastAPI's `detail[]`), kept as `InvalidRequestError.issues`. */
  issues?: (body: z.output<S>) => RequestIssue[] | undefined;
}

/** What {@link readProviderErrorBody} found in a body. */
export interface ProviderErrorDetails {
  message?: string;
  code?: string;
  /** Milliseconds to wait, converted from the body's unit. */
  retryAfterMs?: number;
  issues?: RequestIssue[];
}

/** Types a {@link ProviderErrorBody} (the identity function: it exists for inference). */
export function defineProviderErrorBody<S extends z.ZodType>(
  description: ProviderErrorBody<S>,
): ProviderErrorBody<S> {
  return description;
}

function read<Body>(body: Body, field: ErrorBodyField<Body> | undefined): unknown {
  if (field === undefined) return undefined;
  if (typeof field === 'function') return field(body);
  let value: unknown = body;
  for (const key of field.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Reads a parsed error body with its description: `undefined` when the body does not match the
 * schema, else the message, code and wait (in milliseconds) it carries. Never throws.
 */
export function readProviderErrorBody<S extends z.ZodType>(
  description: ProviderErrorBody<S>,
  body: unknown,
): ProviderErrorDetails | undefined {
  const parsed = description.schema.safeParse(body);
  if (!parsed.success) return undefined;
  const details: ProviderErrorDetails = {};
  const message = read(parsed.data, description.message);
  if (typeof message === 'string' && message.trim() !== '') details.message = message.trim().slice(0, 300);
  const code = read(parsed.data, description.code);
  if ((typeof code === 'string' && code !== '') || (typeof code === 'number' && Number.isFinite(code)))
    details.code = String(code);
  if (description.retryAfter) {
    const raw = read(parsed.data, description.retryAfter.field);
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0)
      details.retryAfterMs = Math.round(description.retryAfter.unit === 'seconds' ? value * 1000 : value);
  }
  const issues = description.issues?.(parsed.data);
  if (issues !== undefined) details.issues = issues;
  return details;
}

/**
 * A `mapError` for `createHttpClient` built from a {@link ProviderErrorBody}: reads the body with its
 * description, puts what it found into the context (`providerMessage`, `providerCode`, `issues`, and
 * `retryAfterMs` when no header gave one), then asks `next` (the adapter's own mapping, e.g. a
 * provider code → `NotFoundError` table) and falls back to the status table (`mapHttpStatus`).
 * A body the schema does not match (a proxy's plain-text 502…) keeps the generic description the
 * client put into the context (`describeErrorBody`).
 *
 * The `retryAfterMs` of the error `mapError` returns drives retries: the client waits at least that
 * long before retrying (a 429 or 503 is retried even for a non-idempotent request), and gives up at
 * once when it is longer than `retry.maxRetryAfterMs`. Build errors with `httpErrorOptions(context)`
 * so it is kept.
 *
 * @example
 * createHttpClient({ provider: 'telegram', baseUrl, mapError: mapErrorBody(telegramErrorBody) });
 */
export function mapErrorBody<S extends z.ZodType>(
  description: ProviderErrorBody<S>,
  next?: (context: HttpErrorContext) => SwitchboardError | undefined,
): (context: HttpErrorContext) => SwitchboardError {
  return (context) => {
    const details: ProviderErrorDetails = readProviderErrorBody(description, context.body) ?? {};
    const enriched: HttpErrorContext = { ...context };
    if (details.message !== undefined) enriched.providerMessage = details.message;
    if (details.code !== undefined) enriched.providerCode = details.code;
    if (details.issues !== undefined) enriched.issues = details.issues;
    if (
      enriched.retryAfterMs === undefined &&
      'retryAfterMs' in details &&
      details.retryAfterMs !== undefined
    )
      enriched.retryAfterMs = details.retryAfterMs;
    return next?.(enriched) ?? mapHttpStatus(enriched);
  };
}
