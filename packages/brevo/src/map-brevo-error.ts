import {
  AuthenticationError,
  NotFoundError,
  PermissionDeniedError,
  type SwitchboardError,
  type SwitchboardErrorOptions,
} from '@switchboard/core';
import { type HttpErrorContext, httpErrorOptions } from '@switchboard/core/http';

/** Brevo `code`s that say more than the HTTP status does. */
const BY_CODE: Record<string, new (message: string, options?: SwitchboardErrorOptions) => SwitchboardError> =
  {
    unauthorized: AuthenticationError,
    permission_denied: PermissionDeniedError,
    reseller_permission_denied: PermissionDeniedError,
    account_under_validation: PermissionDeniedError,
    document_not_found: NotFoundError,
  };

/**
 * Maps a failed Brevo response (`{ code, message }` body) to a Switchboard error by its `code`
 * when that is more precise than the status (e.g. a 400 `document_not_found`); otherwise
 * `undefined`, and the status table applies (429 → `RateLimitError` with `retryAfterMs` from
 * `x-sib-ratelimit-reset`). The message never contains the API key: only method, path, status and
 * Brevo's own message.
 */
export function mapBrevoError(context: HttpErrorContext): SwitchboardError | undefined {
  const ErrorClass = context.providerCode === undefined ? undefined : BY_CODE[context.providerCode];
  if (!ErrorClass || context.status === 429 || context.status >= 500) return undefined;
  const detail = context.providerMessage ? `: ${context.providerMessage}` : '';
  const options = httpErrorOptions(context);
  return new ErrorClass(
    `brevo: ${context.method} ${new URL(context.url).pathname} failed with HTTP ${context.status}${detail}`,
    options,
  );
}
