import type * as z from 'zod';
import { invalidRequest } from './invalid-request.js';

/** Options of {@link createCursorCodec}. */
export interface CursorCodecOptions {
  /** The adapter's provider name, used in the `InvalidRequestError` for a foreign cursor. */
  provider: string;
}

/** Turns an adapter's page position into an opaque `nextCursor` string and back. */
export interface CursorCodec<T> {
  /** Encodes a position as base64url JSON: opaque to apps, safe in URLs. */
  encode(position: T): string;
  /**
   * Decodes a cursor from {@link CursorCodec.encode}; `undefined` (first page) stays `undefined`.
   * @throws {InvalidRequestError} (path `cursor`) for a string this codec never produced or whose
   * content does not match the schema; thrown before any request is sent.
   */
  decode(cursor: string | undefined): T | undefined;
}

/**
 * A cursor codec for positions described by a zod `schema` (an offset pair, a store key, a
 * keyset id…). Cursors are base64url-encoded JSON, checked against the schema when they come back.
 *
 * @example
 * const cursors = createCursorCodec(z.object({ offset: z.int().nonnegative() }), { provider: 'acme' });
 * const next = cursors.encode({ offset: 40 });
 * cursors.decode(next); // { offset: 40 }
 */
export function createCursorCodec<S extends z.ZodType>(
  schema: S,
  options: CursorCodecOptions,
): CursorCodec<z.output<S>> {
  const foreign = () =>
    invalidRequest(
      'cursor',
      'not a cursor from a previous page: pass back a `nextCursor` this adapter returned.',
      {
        provider: options.provider,
      },
    );
  return {
    encode: (position) => Buffer.from(JSON.stringify(position)).toString('base64url'),
    decode(cursor) {
      if (cursor === undefined) return undefined;
      if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw foreign();
      let value: unknown;
      try {
        value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw foreign();
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw foreign();
      return parsed.data;
    },
  };
}
