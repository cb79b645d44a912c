/**
 * Secret redaction used by errors and logs.
 * @module
 */

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';

/** Query parameters whose values are always redacted from URLs. */
const SECRET_PARAMS =
  /^(token|access_token|refresh_token|api[-_]?key|apikey|key|password|secret|sig|signature|code)$/i;

/** Replaces every occurrence of each secret (strings of 4+ characters) in `text`. */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Removes user info and secret query parameters (`token`, `api_key`, …) from a URL. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '';
      parsed.password = '';
    }
    for (const key of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAMS.test(key)) parsed.searchParams.set(key, REDACTED);
    }
    return parsed.toString();
  } catch {
    return url.replace(/([?&](?:token|access_token|api_key|key|password)=)[^&#]*/gi, `$1${REDACTED}`);
  }
}

/**
 * Turns any thrown value into an `Error` that is safe to attach as a `cause`: only its name, a
 * redacted message and its `code` survive (no request config, headers or response objects).
 */
export function toSafeCause(error: unknown, secrets: Iterable<string | undefined> = []): Error | undefined {
  if (error === undefined || error === null) return undefined;
  const list = [...secrets];
  const source = error instanceof Error ? error : new Error(String(error));
  const safe = new Error(redactSecrets(source.message, list));
  safe.name = source.name;
  const code = (source as { code?: unknown }).code;
  if (typeof code === 'string') (safe as Error & { code?: string }).code = code;
  safe.stack = `${safe.name}: ${safe.message}`;
  return safe;
}
