import type { IndexEntry, Lease, StateStore } from '@switchboard/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** What {@link describeStateStoreConformance} needs to test one store implementation. */
export interface StateStoreConformanceOptions {
  /** Shown in the suite's name, e.g. `'memory'`, `'redis'`. */
  name: string;
  /**
   * A fresh, empty store per test, plus `peer()`: a second client of the same backend (another
   * connection; the memory store returns itself), used to check atomicity, leases and pub/sub
   * across clients. `teardown` closes both.
   */
  setup: () => Promise<{
    store: StateStore;
    peer: () => Promise<StateStore>;
    teardown?: () => Promise<void>;
  }>;
  /**
   * When set, the suite is registered as skipped with this reason in its name (e.g. the backend's
   * server is not installed). Never pass a suite that could not set up its backend.
   */
  skip?: string;
}

/** Waits (event-free backends: polls every 10 ms) until `read` resolves `true`, up to 3 s. */
async function eventually(read: () => Promise<boolean>): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await read())) throw new Error('not yet');
    },
    { timeout: 3_000, interval: 10 },
  );
}

/** Walks a whole index page by page with `after`, in one direction. */
async function walk(store: StateStore, index: string, order: 'asc' | 'desc', limit: number) {
  const out: IndexEntry[] = [];
  let after: IndexEntry | undefined;
  for (;;) {
    const page = await store.indexRange(index, { order, limit, ...(after && { after }) });
    out.push(...page);
    if (page.length < limit) return out;
    after = page.at(-1);
  }
}

/**
 * The StateStore v2 conformance suite (vitest): v1 key/value semantics with TTLs, `getMany`,
 * conditional atomic `commit`, ordered indexes (ranges, ties, pagination in both directions),
 * counters with expiry, leases (holder-only renew/release, increasing fencing numbers, expiry,
 * fenced writes) and pub/sub. Register it in a test file of the store's package:
 *
 * ```ts
 * import { describeStateStoreConformance } from '@switchboard/testkit/state-store';
 * describeStateStoreConformance({ name: 'memory', setup: async () => { const store = createMemoryStateStore(); return { store, peer: async () => store }; } });
 * ```
 */
export function describeStateStoreConformance(options: StateStoreConformanceOptions): void {
  const suite = options.skip ? describe.skip : describe;
  suite(`StateStore v2 conformance: ${options.name}${options.skip ? ` (skipped: ${options.skip})` : ''}`, () => {
    let store: StateStore;
    let peer: () => Promise<StateStore>;
    let teardown: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      ({ store, peer, teardown } = await options.setup());
    });
    afterEach(async () => {
      await teardown?.();
    });

    describe('v1 key/value', () => {
      it('gets, sets, adds only when absent, deletes', async () => {
        expect(await store.get('k')).toBeUndefined();
        await store.set('k', { a: 1 });
        expect(await store.get('k')).toEqual({ a: 1 });
        expect(await store.add('k', 2)).toBe(false);
        expect(await store.get('k')).toEqual({ a: 1 });
        await store.delete('k');
        expect(await store.add('k', 2)).toBe(true);
        expect(await store.get('k')).toBe(2);
        await store.delete('absent');
      });

      it('round-trips JSON (a Date comes back as its ISO string) and never returns the written object', async () => {
        const value = { at: new Date(0), list: [1, 'two', null], nested: { ok: true } };
        await store.set('json', value);
        const read = await store.get<Record<string, unknown>>('json');
        expect(read).toEqual({
          at: '1970-01-01T00:00:00.000Z',
          list: [1, 'two', null],
          nested: { ok: true },
        });
        value.nested.ok = false;
        expect(await store.get('json')).toMatchObject({ nested: { ok: true } });
      });

      it('lists keys by prefix in ascending order', async () => {
        for (const key of ['p:b', 'p:a', 'q:a', 'p:c']) await store.set(key, 1);
        expect(await store.keys('p:')).toEqual(['p:a', 'p:b', 'p:c']);
      });

      it('forgets a key after its TTL (set and add), and keeps one without', async () => {
        await store.set('short', 1, { ttlMs: 50 });
        expect(await store.add('short-add', 1, { ttlMs: 50 })).toBe(true);
        await store.set('long', 1, { ttlMs: 60_000 });
        await store.set('forever', 1);
        expect(await store.get('short')).toBe(1);
        await eventually(async () => (await store.get('short')) === undefined);
        await eventually(async () => (await store.get('short-add')) === undefined);
        expect(await store.add('short-add', 2)).toBe(true);
        expect(await store.get('long')).toBe(1);
        expect(await store.get('forever')).toBe(1);
      });

      it('reads many keys in one call, in order', async () => {
        await store.set('m1', 'one');
        await store.set('m3', { three: 3 });
        expect(await store.getMany(['m1', 'm2', 'm3'])).toEqual(['one', undefined, { three: 3 }]);
        expect(await store.getMany([])).toEqual([]);
      });
    });

    describe('commit', () => {
      it('applies sets, deletes and index writes together', async () => {
        await store.set('gone', 1);
        const ok = await store.commit([
          { type: 'set', key: 'a', value: { n: 1 } },
          { type: 'set', key: 'b', value: 2, ttlMs: 60_000 },
          { type: 'delete', key: 'gone' },
          { type: 'indexAdd', index: 'ix', member: 'm', score: 5 },
        ]);
        expect(ok).toBe(true);
        expect(await store.getMany(['a', 'b', 'gone'])).toEqual([{ n: 1 }, 2, undefined]);
        expect(await store.indexScore('ix', 'm')).toBe(5);
        expect(await store.commit([{ type: 'indexRemove', index: 'ix', member: 'm' }])).toBe(true);
        expect(await store.indexScore('ix', 'm')).toBeUndefined();
      });

      it('writes nothing when a condition fails', async () => {
        await store.set('record', { v: 1 });
        await store.set('mark', 1);
        const writes = [
          { type: 'set', key: 'record', value: { v: 2 } },
          { type: 'indexAdd', index: 'ix', member: 'm', score: 1 },
        ] as const;
        expect(await store.commit(writes, [{ type: 'equals', key: 'record', value: { v: 0 } }])).toBe(false);
        expect(await store.commit(writes, [{ type: 'absent', key: 'mark' }])).toBe(false);
        expect(await store.commit(writes, [{ type: 'equals', key: 'nothing', value: { v: 1 } }])).toBe(false);
        expect(await store.get('record')).toEqual({ v: 1 });
        expect(await store.indexSize('ix')).toBe(0);
        expect(
          await store.commit(writes, [
            { type: 'equals', key: 'record', value: await store.get('record') },
            { type: 'equals', key: 'nothing', value: undefined },
            { type: 'absent', key: 'other' },
          ]),
        ).toBe(true);
        expect(await store.get('record')).toEqual({ v: 2 });
      });

      it('makes read-modify-write safe across clients: 40 concurrent increments by compare-and-commit', async () => {
        const other = await peer();
        await store.set('counter', { n: 0 });
        const bump = async (client: StateStore) => {
          for (;;) {
            const seen = await client.get<{ n: number }>('counter');
            if (
              await client.commit(
                [{ type: 'set', key: 'counter', value: { n: seen!.n + 1 } }],
                [{ type: 'equals', key: 'counter', value: seen }],
              )
            )
              return;
          }
        };
        await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 ? other : store)));
        expect(await store.get('counter')).toEqual({ n: 40 });
      });
    });

    describe('ordered indexes', () => {
      it('adds, re-scores, removes, counts and reads scores', async () => {
        await store.indexAdd('ix', 'a', 3);
        await store.indexAdd('ix', 'b', 1);
        await store.indexAdd('ix', 'a', 2);
        expect(await store.indexSize('ix')).toBe(2);
        expect(await store.indexScore('ix', 'a')).toBe(2);
        expect(await store.indexRange('ix', { order: 'asc', limit: 10 })).toEqual([
          { member: 'b', score: 1 },
          { member: 'a', score: 2 },
        ]);
        await store.indexRemove('ix', 'b');
        await store.indexRemove('ix', 'nobody');
        expect(await store.indexRange('ix', { order: 'desc', limit: 10 })).toEqual([
          { member: 'a', score: 2 },
        ]);
        expect(await store.indexSize('empty')).toBe(0);
        expect(await store.indexRange('empty', { order: 'asc', limit: 5 })).toEqual([]);
      });

      it('keeps exact scores (epoch ms, negatives, fractions)', async () => {
        for (const [member, score] of [
          ['now', 1_767_225_600_123],
          ['neg', -5.5],
          ['frac', 0.25],
        ] as const)
          await store.indexAdd('ix', member, score);
        expect(await store.indexRange('ix', { order: 'asc', limit: 5 })).toEqual([
          { member: 'neg', score: -5.5 },
          { member: 'frac', score: 0.25 },
          { member: 'now', score: 1_767_225_600_123 },
        ]);
      });

      it('ranges by score with a limit in both directions, bounds inclusive', async () => {
        for (let i = 1; i <= 10; i += 1) await store.indexAdd('ix', `m${String(i).padStart(2, '0')}`, i * 10);
        const members = (entries: IndexEntry[]) => entries.map((e) => e.member);
        expect(members(await store.indexRange('ix', { order: 'asc', limit: 3, min: 25 }))).toEqual([
          'm03',
          'm04',
          'm05',
        ]);
        expect(members(await store.indexRange('ix', { order: 'desc', limit: 3, max: 70 }))).toEqual([
          'm07',
          'm06',
          'm05',
        ]);
        expect(members(await store.indexRange('ix', { order: 'asc', limit: 10, min: 30, max: 50 }))).toEqual([
          'm03',
          'm04',
          'm05',
        ]);
        expect(members(await store.indexRange('ix', { order: 'desc', limit: 10, min: 30, max: 50 }))).toEqual(
          ['m05', 'm04', 'm03'],
        );
        expect(members(await store.indexRange('ix', { order: 'desc', limit: 2 }))).toEqual(['m10', 'm09']);
      });

      it('pages with `after` exactly once each, in order, also through ties of equal scores', async () => {
        const expected: IndexEntry[] = [];
        // 57 entries over 7 distinct scores: ties cross page boundaries.
        for (let i = 0; i < 57; i += 1) {
          const entry = { member: `id-${String((i * 37) % 57).padStart(3, '0')}`, score: 1_000 + (i % 7) };
          expected.push(entry);
          await store.indexAdd('ix', entry.member, entry.score);
        }
        expected.sort((a, b) => a.score - b.score || (a.member < b.member ? -1 : 1));
        for (const limit of [1, 5, 8, 57, 100]) {
          expect(await walk(store, 'ix', 'asc', limit)).toEqual(expected);
          expect(await walk(store, 'ix', 'desc', limit)).toEqual([...expected].reverse());
        }
      });

      it('continues after an entry that was removed meanwhile', async () => {
        for (let i = 0; i < 6; i += 1) await store.indexAdd('ix', `m${i}`, i);
        const first = await store.indexRange('ix', { order: 'desc', limit: 2 });
        await store.indexRemove('ix', first[1]!.member);
        expect(await store.indexRange('ix', { order: 'desc', limit: 10, after: first[1]! })).toEqual([
          { member: 'm3', score: 3 },
          { member: 'm2', score: 2 },
          { member: 'm1', score: 1 },
          { member: 'm0', score: 0 },
        ]);
      });
    });

    describe('counters', () => {
      it('increments atomically across clients, by any amount', async () => {
        const other = await peer();
        const values = await Promise.all(
          Array.from({ length: 50 }, (_, i) => (i % 2 ? other : store).increment('hits', { ttlMs: 60_000 })),
        );
        expect(new Set(values).size).toBe(50);
        expect(Math.max(...values)).toBe(50);
        expect(await store.increment('hits', { by: -10 })).toBe(40);
        expect(await store.get('hits')).toBe(40);
      });

      it('expires a window counter after the TTL set when it was created (later calls keep it)', async () => {
        expect(await store.increment('window', { ttlMs: 150 })).toBe(1);
        expect(await store.increment('window', { ttlMs: 60_000 })).toBe(2);
        await eventually(async () => (await store.get('window')) === undefined);
        expect(await store.increment('window', { ttlMs: 60_000 })).toBe(1);
      });
    });

    describe('leases', () => {
      it('has one holder at a time; only the holder renews or releases', async () => {
        const other = await peer();
        const lease = await store.acquireLease('poller', { ttlMs: 10_000 });
        expect(lease).toMatchObject({ name: 'poller', fence: expect.any(Number), token: expect.any(String) });
        expect(await other.acquireLease('poller', { ttlMs: 10_000 })).toBeUndefined();
        const forged: Lease = { ...lease!, token: 'not-the-token' };
        expect(await other.renewLease(forged, { ttlMs: 10_000 })).toBeUndefined();
        expect(await other.releaseLease(forged)).toBe(false);
        expect(await other.acquireLease('poller', { ttlMs: 10_000 })).toBeUndefined();
        const renewed = await store.renewLease(lease!, { ttlMs: 20_000 });
        expect(renewed).toMatchObject({ token: lease!.token, fence: lease!.fence });
        expect(renewed!.expiresAt).toBeGreaterThanOrEqual(lease!.expiresAt);
        expect(await store.releaseLease(renewed!)).toBe(true);
        expect(await store.releaseLease(renewed!)).toBe(false);
        const next = await other.acquireLease('poller', { ttlMs: 10_000 });
        expect(next!.fence).toBeGreaterThan(lease!.fence);
        expect(next!.token).not.toBe(lease!.token);
      });

      it('lapses after its TTL: another takes it with a higher fence, the old holder can neither renew nor write', async () => {
        const other = await peer();
        const old = await store.acquireLease('poller', { ttlMs: 100 });
        await store.set('cursor', 'c1');
        let taken: Lease | undefined;
        await eventually(async () => {
          taken = await other.acquireLease('poller', { ttlMs: 10_000 });
          return taken !== undefined;
        });
        expect(taken!.fence).toBeGreaterThan(old!.fence);
        expect(await store.renewLease(old!, { ttlMs: 10_000 })).toBeUndefined();
        expect(await store.releaseLease(old!)).toBe(false);
        const stale = await store.commit(
          [{ type: 'set', key: 'cursor', value: 'old' }],
          [{ type: 'leaseHeld', lease: old! }],
        );
        expect(stale).toBe(false);
        const fresh = await other.commit(
          [{ type: 'set', key: 'cursor', value: 'c2' }],
          [{ type: 'leaseHeld', lease: taken! }],
        );
        expect(fresh).toBe(true);
        expect(await store.get('cursor')).toBe('c2');
      });

      it('keeps leases of different names apart', async () => {
        const a = await store.acquireLease('account-a', { ttlMs: 10_000 });
        const b = await store.acquireLease('account-b', { ttlMs: 10_000 });
        expect(a).toBeDefined();
        expect(b).toBeDefined();
        expect(await store.releaseLease({ ...b!, name: 'account-a' })).toBe(false);
      });
    });

    describe('pub/sub', () => {
      it('delivers a published message to every subscriber, also on another client, until unsubscribed', async () => {
        const other = await peer();
        const here: unknown[] = [];
        const there: unknown[] = [];
        const offHere = await store.subscribe('events', (message) => here.push(message));
        const offThere = await other.subscribe('events', (message) => there.push(message));
        await store.publish('events', { n: 1 });
        await eventually(async () => here.length === 1 && there.length === 1);
        expect(here).toEqual([{ n: 1 }]);
        expect(there).toEqual([{ n: 1 }]);
        await offThere();
        await other.publish('events', { n: 2 });
        await eventually(async () => here.length === 2);
        await store.publish('other-channel', { n: 3 });
        await store.publish('events', { n: 4 });
        await eventually(async () => here.length === 3);
        expect(here).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }]);
        expect(there).toEqual([{ n: 1 }]);
        await offHere();
      });
    });
  });
}
