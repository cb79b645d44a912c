/** The base32-sortable alphabet of atproto TIDs: digits before letters, so string order = numeric order. */
const S32 = '234567abcdefghijklmnopqrstuvwxyz';

/** Encodes a non-negative safe integer as `width` base32-sortable characters (left-padded with `2`). */
function s32(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i += 1) {
    out = S32[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** The smallest possible TID: what a cursor says before anything happened. */
export const ZERO_TID = '2222222222222';

/**
 * A monotonic TID clock. Each call returns a 13-character atproto TID (53 bits of microseconds since
 * the epoch, then a 10-bit clock id), strictly greater than the previous one even when the clock
 * stands still, so every id and rev it mints is unique and sorts lexically in creation order.
 *
 * @param now - clock in epoch milliseconds
 */
export function createTidClock(now: () => number): () => string {
  let lastMicros = 0;
  let clockId = 0;
  return () => {
    const micros = Math.floor(now() * 1000);
    if (micros > lastMicros) {
      lastMicros = micros;
      clockId = 0;
    } else if (clockId === 1023) {
      lastMicros += 1;
      clockId = 0;
    } else {
      clockId += 1;
    }
    // 1024 = 32², so the clock id is exactly the last two characters.
    return s32(lastMicros, 11) + s32(clockId, 2);
  };
}
