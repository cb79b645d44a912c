import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createCursorCodec } from './cursor-codec.js';
import { InvalidRequestError } from './errors.js';

const offsets = createCursorCodec(z.tuple([z.int().nonnegative(), z.int().nonnegative()]), {
  provider: 'acme',
});

describe('createCursorCodec', () => {
  it('round-trips every position the schema accepts, through a URL-safe string', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (offset, total) => {
        const cursor = offsets.encode([offset, total]);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(offsets.decode(cursor)).toEqual([offset, total]);
      }),
    );
  });

  it('leaves undefined (the first page) undefined', () => {
    expect(offsets.decode(undefined)).toBeUndefined();
  });

  it.each([
    ['not base64url', '%%%'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['JSON of the wrong shape', Buffer.from('[1,-2]').toString('base64url')],
    [
      'another codec’s cursor',
      createCursorCodec(z.object({ k: z.string() }), { provider: 'x' }).encode({ k: 'a' }),
    ],
  ])('refuses %s with an InvalidRequestError naming the cursor', (_what, cursor) => {
    let error: unknown;
    try {
      offsets.decode(cursor);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).provider).toBe('acme');
    expect((error as InvalidRequestError).issues[0]?.path).toBe('cursor');
  });
});
