import { InvalidRequestError } from '@switchboard/core';

/**
 * Where the next page starts. The API pages by offset; the cursor also keeps the `total` seen, so a
 * history page can shift past messages that arrived in between (new messages only ever appear at
 * offset 0, and none is ever deleted).
 */
export interface OffsetCursor {
  offset: number;
  total: number;
}

/** Encodes a cursor as an opaque string. */
export function encodeCursor(cursor: OffsetCursor): string {
  return Buffer.from(JSON.stringify([cursor.offset, cursor.total])).toString('base64url');
}

/**
 * Decodes a cursor from {@link encodeCursor}; `undefined` gives the first page.
 * @throws {InvalidRequestError} when it is not one of ours.
 */
export function decodeCursor(cursor: string | undefined): OffsetCursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((n) => Number.isInteger(n) && n >= 0))
      return { offset: value[0], total: value[1] };
  } catch {
    // fall through
  }
  throw new InvalidRequestError('chats-api: `cursor` is not a cursor this adapter returned.', {
    provider: 'chats-api',
    issues: [{ path: 'cursor', message: 'not a cursor from a previous page' }],
  });
}
