import { PermissionDeniedError, type SwitchboardError } from '@switchboard/core';
import { type HttpErrorContext, mapHttpStatus } from '@switchboard/core/http';

/**
 * The memory backend's errors the status table alone gets wrong: `409 not_a_member` (writing to a
 * conversation we left) is a permission problem, not bad input. Everything else falls back to the
 * default mapping (`undefined`).
 */
export function mapMemoryError(context: HttpErrorContext): SwitchboardError | undefined {
  if (context.status === 409 && context.providerCode === 'not_a_member') {
    const fallback = mapHttpStatus(context);
    return new PermissionDeniedError(fallback.message, {
      provider: context.provider,
      status: context.status,
      method: context.method,
      url: context.url,
      providerCode: context.providerCode,
    });
  }
  return undefined;
}
