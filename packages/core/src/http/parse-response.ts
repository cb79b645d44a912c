/**
 * Reading a response: its headers, and its body, parsed once by {@link parseJsonText} for both uses —
 * a 2xx body validated with the request's zod schema, and an error body handed to the error mapping.
 * @module
 */
import type { Readable } from 'node:stream';
import type { ZodType } from 'zod';
import { InvalidResponseError } from '../errors.js';
import { redactSecrets } from '../redact.js';
import type { HttpMethod } from './http-client-types.js';
import { redactBody } from './http-secrets.js';

/** Response headers as a record with lower-case names; repeated headers joined with `, `. */
export function toHeaderRecord(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** Reads a whole stream as UTF-8 text (the error body of a streamed request). */
export async function readStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** The one body parser: `{ json: true, value }` when `text` is JSON, else `{ json: false }`. */
export function parseJsonText(text: string): { json: true; value: unknown } | { json: false } {
  try {
    return { json: true, value: JSON.parse(text) };
  } catch {
    return { json: false };
  }
}

/**
 * The body of a failed response as the error mapping sees it: the parsed JSON when the response is
 * JSON (by `Content-Type`, or text that starts like an object, array or string), else the text;
 * `undefined` when empty. Every secret in it is scrubbed.
 */
export function readErrorBody(
  text: string,
  contentType: string | undefined,
  secrets: readonly string[],
): unknown {
  if (text === '') return undefined;
  const parsed =
    contentType?.includes('json') || /^\s*[[{"]/.test(text)
      ? parseJsonText(text)
      : ({ json: false } as const);
  return redactBody(parsed.json ? parsed.value : text, secrets);
}

/** What {@link parseSuccessBody} needs to know about the request, for its errors. */
export interface SuccessBodyContext<T> {
  provider: string;
  method: HttpMethod;
  path: string;
  status: number;
  /**
   * The redacted URL put into errors, and the secrets to scrub from their messages (they quote the
   * path and the schema's issues). Called only when the body is refused.
   */
  redaction: () => { safeUrl: string; secrets: readonly string[] };
  /** Whether repeating the request is harmless; if not, an unreadable body has `outcome: 'unknown'`. */
  idempotent: boolean;
  schema: ZodType<T> | undefined;
}

/**
 * Parses a 2xx body: JSON validated with `schema`; without a schema the parsed JSON, the text when
 * it is not JSON, or `undefined` when empty.
 * @throws {InvalidResponseError} when the body is not JSON or fails `schema`. On a non-idempotent
 * request the provider did process it (2xx) but we cannot tell what it made: `outcome: 'unknown'`.
 */
export function parseSuccessBody<T>(text: string, context: SuccessBodyContext<T>): T {
  const { provider, method, status, schema } = context;
  const fail = (what: string) => {
    const { safeUrl, secrets } = context.redaction();
    return new InvalidResponseError(
      redactSecrets(`${provider}: ${method} ${context.path} answered HTTP ${status} with ${what}.`, secrets),
      {
        provider,
        status,
        method,
        url: safeUrl,
        ...(context.idempotent ? {} : { outcome: 'unknown' as const }),
      },
    );
  };
  let body: unknown;
  if (text !== '') {
    const parsed = parseJsonText(text);
    if (!parsed.json) {
      if (!schema) return text as T;
      throw fail('a body that is not JSON');
    }
    body = parsed.value;
  }
  if (!schema) return body as T;
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  throw fail(`an unexpected body (${issues})`);
}
