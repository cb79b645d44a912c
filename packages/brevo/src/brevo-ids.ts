import { assertId, InvalidRequestError } from '@switchboard/core';

/**
 * The one id rule of the Brevo adapter, applied alike to what webhooks deliver and to what the API
 * accepts: core's id rule (`assertId`: a non-empty string of at most 1024 UTF-16 code units,
 * without surrounding whitespace or control characters such as NUL), and not `.` or `..` (which no
 * URL path can carry: URL parsers resolve them, `%2E` included). Brevo's own ids (17–32 letters and
 * digits) always pass.
 *
 * Returns the `InvalidRequestError` (provider `'brevo'`, with `issues`) for an id that breaks it,
 * `undefined` for a good one.
 */
export function brevoIdProblem(id: unknown, path: string): InvalidRequestError | undefined {
  try {
    assertId(id, path);
  } catch (error) {
    if (!InvalidRequestError.isInstance(error)) throw error;
    return new InvalidRequestError(
      `brevo: refused a delivered ${path} that the API could not take: ${error.message}`,
      {
        provider: 'brevo',
        issues: error.issues,
      },
    );
  }
  if (id === '.' || id === '..') {
    return new InvalidRequestError(
      `brevo: ${path} must not be '.' or '..' (it cannot be a URL path segment)`,
      {
        provider: 'brevo',
        issues: [{ path, message: "must not be '.' or '..'" }],
      },
    );
  }
  return undefined;
}
