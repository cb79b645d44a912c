import { InvalidRequestError } from '@switchboard/core';

/**
 * An Aurora id (chat, character, message) from its string form.
 * @throws {InvalidRequestError} when it is not a non-negative integer (Aurora ids are integers), before any request.
 */
export function parseAuroraId(value: string, path: string): number {
  if (!/^\d{1,15}$/.test(value))
    throw new InvalidRequestError(`aurora: invalid ${path}: Aurora ids are integers, got '${value}'.`, {
      provider: 'aurora',
      issues: [{ path, message: 'must be a non-negative integer' }],
    });
  return Number(value);
}
