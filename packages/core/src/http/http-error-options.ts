import type { SwitchboardErrorOptions } from '../errors.js';
import type { HttpErrorContext } from './map-http-error.js';

/**
 * The error options every error built from a failed HTTP response carries, taken from the
 * `mapError` context: `provider`, `status`, `method`, the redacted `url`, and when known the
 * provider's error name (`providerCode`) and the wait it asked for (`retryAfterMs`, milliseconds).
 * Keeping `retryAfterMs` matters: the HTTP client waits that long before retrying the call.
 * `extra` is merged last (e.g. `{ retryable: false }` for an exhausted quota).
 *
 * @example
 * return new NotFoundError(`acme: no such chat`, httpErrorOptions(context));
 */
export function httpErrorOptions(
  context: HttpErrorContext,
  extra: Partial<SwitchboardErrorOptions> = {},
): SwitchboardErrorOptions {
  const options: SwitchboardErrorOptions = {
    provider: context.provider,
    status: context.status,
    method: context.method,
    url: context.url,
  };
  if (context.providerCode !== undefined) options.providerCode = context.providerCode;
  if (context.retryAfterMs !== undefined) options.retryAfterMs = context.retryAfterMs;
  return { ...options, ...extra };
}
