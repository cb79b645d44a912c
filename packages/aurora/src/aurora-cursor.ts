import { invalidRequest } from '@switchboard/core';

/**
 * Cursors are opaque to apps; inside, each is one non-negative integer: the newest message id to
 * include (v11 history), the end position of the next page (v5 history), or the chat id below which
 * the next page of chats starts. Keyset positions, so pages stay exact while new messages arrive.
 * @module
 */

/** Encodes a position as a cursor. */
export function encodeCursor(position: number): string {
  return String(position);
}

/**
 * Decodes a cursor (`undefined` stays `undefined`).
 * @throws {InvalidRequestError} for a string this adapter never returned.
 */
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,15}$/.test(cursor))
    throw invalidRequest('cursor', 'not an Aurora cursor: pass back a `nextCursor` this adapter returned.', {
      provider: 'aurora',
    });
  return Number(cursor);
}
