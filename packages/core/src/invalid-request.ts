import { InvalidRequestError } from './errors.js';

/** Options of {@link invalidRequest}. */
export interface InvalidRequestOptions {
  /**
   * The provider whose rule was broken (`'bluesky'`, …). When given, the error message is
   * `<provider>: <message>`; without it, `Invalid <path>: <message>` and the provider is `'switchboard'`.
   */
  provider?: string;
}

/**
 * Builds the `InvalidRequestError` for one bad input, before any request is sent: one issue
 * `{ path, message }` naming the input (`'text'`, `'options.pollIntervalMs'`, `'cursor'`…).
 * Returns the error; the caller throws it.
 *
 * @example
 * if (limit > 100) throw invalidRequest('limit', 'must be at most 100', { provider: 'acme' });
 */
export function invalidRequest(
  path: string,
  message: string,
  options: InvalidRequestOptions = {},
): InvalidRequestError {
  const { provider } = options;
  if (provider === undefined)
    return new InvalidRequestError(`Invalid ${path}: ${message}`, { issues: [{ path, message }] });
  return new InvalidRequestError(`${provider}: ${message}`, { provider, issues: [{ path, message }] });
}
