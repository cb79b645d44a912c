/** Microseconds since the epoch, as Postgres `timestamptz` stores them. */
export type Micros = number;

/**
 * A clock in microseconds that never returns the same instant twice, so `created_at` orders messages
 * strictly (the real server uses the database's `now()`, which can tie; ties would make offset paging
 * ambiguous, and a faithful-but-flaky emulator helps nobody).
 */
export function createMicroClock(now: () => number = Date.now): () => Micros {
  let last = 0;
  return () => {
    last = Math.max(now() * 1000, last + 1);
    return last;
  };
}

/**
 * Formats an instant the way pydantic v2 serialises an aware UTC datetime:
 * `2025-11-04T10:05:00.123456Z`, without the fraction when it is zero.
 */
export function formatTimestamp(micros: Micros): string {
  const ms = Math.floor(micros / 1000);
  const fraction = micros - Math.floor(micros / 1_000_000) * 1_000_000;
  const base = new Date(ms).toISOString().slice(0, 19);
  return fraction === 0 ? `${base}Z` : `${base}.${String(fraction).padStart(6, '0')}Z`;
}
