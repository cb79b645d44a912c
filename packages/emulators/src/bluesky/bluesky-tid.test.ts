import { describe, expect, it } from 'vitest';
import { didForHandle } from './bluesky-identity.js';
import { createTidClock, ZERO_TID } from './bluesky-tid.js';

/** The atproto TID syntax: 13 base32-sortable characters, first one at most `j` (top bit 0). */
const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

describe('createTidClock', () => {
  it('mints valid TIDs that sort lexically in creation order, even on a frozen clock', () => {
    const tid = createTidClock(() => Date.parse('2026-08-20T12:00:00Z'));
    const tids = Array.from({ length: 3000 }, () => tid());
    expect(tids.every((t) => TID.test(t))).toBe(true);
    expect(new Set(tids).size).toBe(tids.length);
    expect([...tids].sort()).toEqual(tids);
    expect(tids[0]! > ZERO_TID).toBe(true);
  });

  it('encodes the microsecond timestamp like real TIDs (2024 TIDs start with 3k/3l)', () => {
    const tid = createTidClock(() => Date.parse('2024-10-01T00:00:00Z'));
    expect(tid()).toMatch(/^3l/);
  });

  it('stays monotonic when the clock goes backwards', () => {
    let now = 2_000_000_000_000;
    const tid = createTidClock(() => now);
    const first = tid();
    now -= 60_000;
    expect(tid() > first).toBe(true);
  });
});

describe('didForHandle', () => {
  it('is a deterministic, case-insensitive did:plc', () => {
    expect(didForHandle('alice.test')).toMatch(/^did:plc:[a-z2-7]{24}$/);
    expect(didForHandle('Alice.Test')).toBe(didForHandle('alice.test'));
    expect(didForHandle('bob.test')).not.toBe(didForHandle('alice.test'));
  });
});
