/**
 * State that must survive a restart or be shared by several instances: realtime cursors, webhook
 * dedupe keys, conversations and messages recorded from webhooks, rate-limit windows, sessions,
 * and the leases that make one instance the poller of an account.
 *
 * The {@link StateStore} interface is version 2: v1's five key/value methods (`get`, `set`, `add`,
 * `delete`, `keys`) plus what an efficient shared backend needs — ordered indexes (Redis sorted
 * sets; an SQL index fits the same shape), atomic conditional multi-key writes, atomic counters
 * with expiry, leases with fencing numbers, and pub/sub. The embedded default is
 * {@link createMemoryStateStore}; `@switchboard/redis` is the shared one. Every store passes the
 * conformance suite `describeStateStoreConformance` of `@switchboard/testkit/state-store`.
 *
 * Values must be JSON-serialisable: stores serialise them (`Date`s come back as strings, and a
 * value read is never the object that was written).
 *
 * Keys: adapters namespace theirs (`brevo:…`). A key or index name may contain one Redis hash tag
 * (`brevo:{account}:…`); keys used together in one {@link StateStore.commit} must share it, so that
 * a Redis Cluster keeps them in one slot.
 * @module
 */
import btreeModule from 'sorted-btree';

/** Options of {@link StateStore.set} and {@link StateStore.add}. */
export interface StateStoreSetOptions {
  /** Forget the key after this many milliseconds. */
  ttlMs?: number;
}

/** One member of an ordered index and its score. */
export interface IndexEntry {
  member: string;
  /** Any finite number (epoch ms in practice). Ties are ordered by member (code-unit order). */
  score: number;
}

/** Options of {@link StateStore.indexRange}. */
export interface IndexRangeOptions {
  /** `'asc'`: lowest score first; `'desc'`: highest first. */
  order: 'asc' | 'desc';
  /** Most entries returned (≥ 1). */
  limit: number;
  /**
   * Start strictly after this entry in the range's order (the last entry of the previous page).
   * Exact on ties: members with the same score are ordered by member. The entry need not still exist.
   */
  after?: IndexEntry;
  /** Lowest score included. */
  min?: number;
  /** Highest score included. */
  max?: number;
}

/** One write of {@link StateStore.commit}. */
export type StateStoreWrite =
  | { type: 'set'; key: string; value: unknown; ttlMs?: number }
  | { type: 'delete'; key: string }
  | { type: 'indexAdd'; index: string; member: string; score: number }
  | { type: 'indexRemove'; index: string; member: string };

/** One condition of {@link StateStore.commit}; all must hold for the writes to be applied. */
export type StateStoreCondition =
  /** The key holds this value (compared as JSON: pass the value as read), or is absent when `value` is `undefined`. */
  | { type: 'equals'; key: string; value: unknown }
  /** The key is absent (e.g. a dedupe mark not yet set). */
  | { type: 'absent'; key: string }
  /** The lease is still held by this holder (a fenced write: a deposed holder's write is refused). */
  | { type: 'leaseHeld'; lease: Lease };

/** A held lease (see {@link StateStore.acquireLease}). */
export interface Lease {
  /** The lease's name, e.g. `bluesky:{did:plc:…}:poller`. */
  readonly name: string;
  /** The holder's secret token: only it renews or releases the lease. */
  readonly token: string;
  /**
   * Fencing number: increases with every acquisition of this name (never reused, also after the
   * lease expired), so a resource can refuse writes from an older holder.
   */
  readonly fence: number;
  /** When the lease lapses unless renewed, epoch ms by this process's clock (an estimate). */
  readonly expiresAt: number;
}

/** Options of {@link StateStore.acquireLease} and {@link StateStore.renewLease}. */
export interface LeaseOptions {
  /** How long the lease lasts unless renewed, in ms. */
  ttlMs: number;
}

/** Options of {@link StateStore.increment}. */
export interface IncrementOptions {
  /** Amount added (default 1; may be negative). */
  by?: number;
  /** Expiry set when this call creates the counter, in ms (a fixed window: later calls keep it). */
  ttlMs?: number;
}

/** Persistent, possibly shared state for adapters (version 2). All keys are namespaced by their user. */
export interface StateStore {
  /** Version marker of this interface. */
  readonly stateStoreVersion: 2;

  // ---- v1: key/value -------------------------------------------------------------------------
  get<T = unknown>(key: string): Promise<T | undefined>;
  set<T = unknown>(key: string, value: T, options?: StateStoreSetOptions): Promise<void>;
  /** Sets the key only if absent. Resolves `true` when it was set (atomic: use it to dedupe). */
  add<T = unknown>(key: string, value: T, options?: StateStoreSetOptions): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * Keys that start with `prefix`, in ascending order. O(all keys) (a `SCAN` on Redis): for
   * administration only; ordered reads belong in an index ({@link StateStore.indexRange}).
   */
  keys(prefix: string): Promise<string[]>;

  // ---- v2 -------------------------------------------------------------------------------------
  /** Several keys in one round trip, in order (`undefined` where absent). */
  getMany<T = unknown>(keys: readonly string[]): Promise<(T | undefined)[]>;
  /**
   * Applies `writes` atomically (all or none, no reader sees part of them) if every condition
   * holds; resolves `false` (nothing written) when one does not. Use it for read-modify-write:
   * read, compute, commit with an `equals` condition on what was read, retry on `false`.
   */
  commit(writes: readonly StateStoreWrite[], conditions?: readonly StateStoreCondition[]): Promise<boolean>;
  /** Adds (or re-scores) a member of an ordered index. */
  indexAdd(index: string, member: string, score: number): Promise<void>;
  /** Removes a member of an ordered index (no-op when absent). */
  indexRemove(index: string, member: string): Promise<void>;
  /** A member's score (`undefined` when absent). */
  indexScore(index: string, member: string): Promise<number | undefined>;
  /** Number of members. */
  indexSize(index: string): Promise<number>;
  /** Entries in score order from a position: O(log n + limit) on the built-in stores. */
  indexRange(index: string, options: IndexRangeOptions): Promise<IndexEntry[]>;
  /** Atomically adds to a counter (created at 0) and resolves with the new value. */
  increment(key: string, options?: IncrementOptions): Promise<number>;
  /** Takes the lease if nobody holds it; `undefined` when another holder does. */
  acquireLease(name: string, options: LeaseOptions): Promise<Lease | undefined>;
  /** Extends a lease this holder still has; `undefined` when it lapsed or was taken (stop acting on it). */
  renewLease(lease: Lease, options: LeaseOptions): Promise<Lease | undefined>;
  /** Gives a lease up; only its holder can (resolves `false` when it was no longer held by `lease`). */
  releaseLease(lease: Lease): Promise<boolean>;
  /** Sends a JSON-serialisable message to every subscriber of `channel` (in every instance sharing the store). */
  publish(channel: string, message: unknown): Promise<void>;
  /** Listens to `channel`; resolves once subscribed, with a function that unsubscribes. */
  subscribe(channel: string, listener: (message: unknown) => void): Promise<() => Promise<void>>;
  /** Releases connections and timers (the memory store: nothing). */
  close?(): Promise<void>;
}

type BTreeClass = typeof btreeModule.default;
// sorted-btree is CommonJS with `exports.default`: Node ESM gives `module.exports`, bundlers may unwrap it.
const BTree: BTreeClass =
  (btreeModule as unknown as { default?: BTreeClass }).default ?? (btreeModule as unknown as BTreeClass);

type IndexKey = readonly [score: number, member: string];
const compareIndexKeys = (a: IndexKey, b: IndexKey) =>
  a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/** An ordered index of the memory store: a B+ tree by (score, member) plus member → score. */
interface MemoryIndex {
  tree: InstanceType<typeof btreeModule.default<IndexKey, true>>;
  scores: Map<string, number>;
}

function assertScore(score: number): void {
  if (!Number.isFinite(score)) throw new TypeError(`index score must be a finite number, got ${score}`);
}

/**
 * The default {@link StateStore}: everything in this process's memory (lost on exit, not shared).
 * Values are stored as JSON strings; expired keys are dropped lazily. Indexes are B+ trees, so an
 * {@link StateStore.indexRange} page costs O(log n + limit). Leases and pub/sub work between users
 * of this one store object only.
 */
export function createMemoryStateStore(): StateStore {
  const entries = new Map<string, { json: string; expiresAt?: number }>();
  const indexes = new Map<string, MemoryIndex>();
  const leases = new Map<string, { token: string; fence: number; expiresAt: number }>();
  const fences = new Map<string, number>();
  const channels = new Map<string, Set<(message: unknown) => void>>();

  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const put = (key: string, value: unknown, ttlMs?: number) => {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`value of '${key}' is not JSON-serialisable`);
    entries.set(key, ttlMs === undefined ? { json } : { json, expiresAt: Date.now() + ttlMs });
  };
  const read = <T>(key: string): T | undefined => {
    const entry = live(key);
    return entry === undefined ? undefined : (JSON.parse(entry.json) as T);
  };
  const index = (name: string, create: boolean): MemoryIndex | undefined => {
    let found = indexes.get(name);
    if (!found && create) {
      found = { tree: new BTree<IndexKey, true>(undefined, compareIndexKeys), scores: new Map() };
      indexes.set(name, found);
    }
    return found;
  };
  const indexAdd = (name: string, member: string, score: number) => {
    assertScore(score);
    const found = index(name, true)!;
    const old = found.scores.get(member);
    if (old !== undefined) found.tree.delete([old, member]);
    found.tree.set([score, member], true);
    found.scores.set(member, score);
  };
  const indexRemove = (name: string, member: string) => {
    const found = index(name, false);
    const old = found?.scores.get(member);
    if (!found || old === undefined) return;
    found.tree.delete([old, member]);
    found.scores.delete(member);
    if (found.scores.size === 0) indexes.delete(name);
  };
  const liveLease = (name: string) => {
    const lease = leases.get(name);
    if (lease && lease.expiresAt <= Date.now()) {
      leases.delete(name);
      return undefined;
    }
    return lease;
  };
  const holds = (lease: Lease) => {
    const current = liveLease(lease.name);
    return current !== undefined && current.token === lease.token && current.fence === lease.fence;
  };
  const check = (condition: StateStoreCondition): boolean => {
    switch (condition.type) {
      case 'absent':
        return live(condition.key) === undefined;
      case 'equals': {
        const entry = live(condition.key);
        if (condition.value === undefined) return entry === undefined;
        return entry !== undefined && entry.json === JSON.stringify(condition.value);
      }
      case 'leaseHeld':
        return holds(condition.lease);
    }
  };

  return {
    stateStoreVersion: 2,
    async get<T>(key: string) {
      return read<T>(key);
    },
    async set(key, value, options) {
      put(key, value, options?.ttlMs);
    },
    async add(key, value, options) {
      if (live(key)) return false;
      put(key, value, options?.ttlMs);
      return true;
    },
    async delete(key) {
      entries.delete(key);
    },
    async keys(prefix) {
      return [...entries.keys()].filter((key) => key.startsWith(prefix) && live(key)).sort();
    },
    async getMany<T>(keys: readonly string[]) {
      return keys.map((key) => read<T>(key));
    },
    async commit(writes, conditions = []) {
      if (!conditions.every(check)) return false;
      for (const write of writes) {
        if (write.type === 'indexAdd') assertScore(write.score);
        else if (write.type === 'set' && JSON.stringify(write.value) === undefined)
          throw new TypeError(`value of '${write.key}' is not JSON-serialisable`);
      }
      for (const write of writes) {
        switch (write.type) {
          case 'set':
            put(write.key, write.value, write.ttlMs);
            break;
          case 'delete':
            entries.delete(write.key);
            break;
          case 'indexAdd':
            indexAdd(write.index, write.member, write.score);
            break;
          case 'indexRemove':
            indexRemove(write.index, write.member);
            break;
        }
      }
      return true;
    },
    async indexAdd(name, member, score) {
      indexAdd(name, member, score);
    },
    async indexRemove(name, member) {
      indexRemove(name, member);
    },
    async indexScore(name, member) {
      return index(name, false)?.scores.get(member);
    },
    async indexSize(name) {
      return index(name, false)?.scores.size ?? 0;
    },
    async indexRange(name, options) {
      const found = index(name, false);
      const out: IndexEntry[] = [];
      if (!found || options.limit < 1) return out;
      const min = options.min ?? Number.NEGATIVE_INFINITY;
      const max = options.max ?? Number.POSITIVE_INFINITY;
      const after: IndexKey | undefined = options.after && [options.after.score, options.after.member];
      if (options.order === 'asc') {
        const start: IndexKey = after ?? [min, ''];
        for (const [key] of found.tree.entries(start)) {
          if (after && compareIndexKeys(key, after) <= 0) continue;
          if (key[0] < min) continue;
          if (key[0] > max || out.length >= options.limit) break;
          out.push({ member: key[1], score: key[0] });
        }
      } else {
        // Highest key of score `max`: members sort after '', so start past every member of that score.
        const start: IndexKey | undefined =
          after ?? (Number.isFinite(max) ? [max, '\uffff\uffff'] : undefined);
        for (const [key] of found.tree.entriesReversed(start)) {
          if (after && compareIndexKeys(key, after) >= 0) continue;
          if (key[0] > max) continue;
          if (key[0] < min || out.length >= options.limit) break;
          out.push({ member: key[1], score: key[0] });
        }
      }
      return out;
    },
    async increment(key, options) {
      const by = options?.by ?? 1;
      const entry = live(key);
      const current = entry === undefined ? 0 : Number(JSON.parse(entry.json));
      if (!Number.isFinite(current)) throw new TypeError(`'${key}' does not hold a number`);
      const next = current + by;
      if (entry) entry.json = JSON.stringify(next);
      else put(key, next, options?.ttlMs);
      return next;
    },
    async acquireLease(name, options) {
      if (liveLease(name)) return undefined;
      const fence = (fences.get(name) ?? 0) + 1;
      fences.set(name, fence);
      const lease = { name, token: crypto.randomUUID(), fence, expiresAt: Date.now() + options.ttlMs };
      leases.set(name, { token: lease.token, fence, expiresAt: lease.expiresAt });
      return lease;
    },
    async renewLease(lease, options) {
      if (!holds(lease)) return undefined;
      const expiresAt = Date.now() + options.ttlMs;
      leases.set(lease.name, { token: lease.token, fence: lease.fence, expiresAt });
      return { ...lease, expiresAt };
    },
    async releaseLease(lease) {
      if (!holds(lease)) return false;
      leases.delete(lease.name);
      return true;
    },
    async publish(channel, message) {
      const json = JSON.stringify(message);
      for (const listener of channels.get(channel) ?? []) {
        queueMicrotask(() => listener(JSON.parse(json)));
      }
    },
    async subscribe(channel, listener) {
      const set = channels.get(channel) ?? new Set();
      channels.set(channel, set);
      const own = (message: unknown) => listener(message);
      set.add(own);
      return async () => {
        set.delete(own);
        if (set.size === 0 && channels.get(channel) === set) channels.delete(channel);
      };
    },
  };
}
