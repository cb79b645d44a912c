import { createCursorCodec } from '@switchboard/core';
import * as z from 'zod';

/**
 * Where the next page starts. The API pages by offset; the cursor also keeps the `total` seen, so a
 * history page can shift past messages that arrived in between (new messages only ever appear at
 * offset 0, and none is ever deleted).
 */
export interface OffsetCursor {
  offset: number;
  total: number;
}

const cursors = createCursorCodec(z.tuple([z.int().nonnegative(), z.int().nonnegative()]), {
  provider: 'chats-api',
});

/** Encodes a cursor as an opaque string (base64url JSON `[offset, total]`). */
export function encodeCursor(cursor: OffsetCursor): string {
  return cursors.encode([cursor.offset, cursor.total]);
}

/**
 * Decodes a cursor from {@link encodeCursor}; `undefined` gives the first page.
 * @throws {InvalidRequestError} when it is not one of ours.
 */
export function decodeCursor(cursor: string | undefined): OffsetCursor | undefined {
  const decoded = cursors.decode(cursor);
  return decoded === undefined ? undefined : { offset: decoded[0], total: decoded[1] };
}
