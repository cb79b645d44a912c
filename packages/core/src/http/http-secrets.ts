/**
 * The secrets of one request, and scrubbing them from what an error is built from, so that every
 * error the HTTP client constructs is secret-free from the start (message, stack, `url`,
 * `providerCode`, `issues`, `cause`).
 * @module
 */
import { redactSecrets } from '../redact.js';

/** Request headers whose values are credentials. */
export const SENSITIVE_HEADERS =
  /^(authorization|proxy-authorization|api-key|x-api-key|x-access-token|cookie)$/i;

/**
 * Every string to scrub for a request sent with `headers`: the given secrets (those of
 * `HttpClientOptions.secrets` and `addSecret`), the values of credential headers (and their part after
 * the scheme, e.g. the token of `Bearer <token>`), each also percent-encoded (as it appears in a
 * URL). Longest first, so a secret containing another is replaced whole.
 */
export function collectSecrets(
  headers: Record<string, string>,
  secrets: Iterable<string | undefined>,
): string[] {
  const list: string[] = [];
  for (const secret of secrets) if (secret) list.push(secret);
  for (const [name, value] of Object.entries(headers)) {
    if (!SENSITIVE_HEADERS.test(name)) continue;
    list.push(value);
    const parts = value.split(' ');
    if (parts.length > 1) list.push(parts.slice(1).join(' '));
  }
  for (const secret of [...list]) {
    for (const encoded of [encodeURIComponent(secret), encodeURI(secret)])
      if (encoded !== secret) list.push(encoded);
  }
  return list.sort((a, b) => b.length - a.length);
}

/**
 * A copy of a parsed body with every secret scrubbed from its strings (keys included), so that
 * whatever a provider mapping reads from an error body (its message, error name, issues) is
 * secret-free, the provider echoing our token or URL included.
 */
export function redactBody(value: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactBody(item, secrets));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    out[redactSecrets(key, secrets)] = redactBody(item, secrets);
  return out;
}
