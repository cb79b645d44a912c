import { randomUUID } from 'node:crypto';
import type {
  IndexEntry,
  IndexRangeOptions,
  Lease,
  StateStore,
  StateStoreCondition,
  StateStoreWrite,
} from '@switchboard/core';
import { Cluster, Redis } from 'ioredis';
import {
  ACQUIRE_SCRIPT,
  COMMIT_SCRIPT,
  INCREMENT_SCRIPT,
  RANGE_SCRIPT,
  RELEASE_SCRIPT,
  RENEW_SCRIPT,
} from './redis-scripts.js';

/** A connected ioredis client: standalone (also through Sentinel) or Cluster. */
export type RedisClient = Redis | Cluster;

/** Options of {@link createRedisStateStore}: give `url` or `client`. */
export interface RedisStateStoreOptions {
  /**
   * `redis://[[user]:password@]host[:port][/db]`, `rediss://…` (TLS) or `unix:///path/to/redis.sock`.
   * The store creates and owns the connection (closed by `close()`). Contains a secret when it
   * has a password: it is never logged or put in an error by this package.
   */
  url?: string;
  /**
   * Your own ioredis client (`new Redis(…)`, `new Redis({ sentinels, name })`, `new Cluster(…)`).
   * The store does not close it; it adds its Lua commands (names starting `switchboard`) to it.
   */
  client?: RedisClient;
  /** Prepended to every key and channel, so several apps can share one Redis (default `'switchboard:'`). */
  prefix?: string;
  /** Told about connection errors of a client the store owns (default: ignored; ioredis reconnects). */
  onError?: (error: Error) => void;
}

interface ScriptCommands {
  switchboardCommit(numKeys: number, ...args: string[]): Promise<number>;
  switchboardRange(key: string, ...args: string[]): Promise<string[]>;
  switchboardIncrement(key: string, by: string, ttl: string): Promise<number>;
  switchboardAcquire(leaseKey: string, fenceKey: string, token: string, ttl: string): Promise<number | null>;
  switchboardRenew(leaseKey: string, holder: string, ttl: string): Promise<number>;
  switchboardRelease(leaseKey: string, holder: string): Promise<number>;
}

function defineScripts(client: RedisClient): RedisClient & ScriptCommands {
  const scripted = client as RedisClient & Partial<ScriptCommands>;
  if (scripted.switchboardCommit) return scripted as RedisClient & ScriptCommands;
  client.defineCommand('switchboardCommit', { lua: COMMIT_SCRIPT });
  client.defineCommand('switchboardRange', { lua: RANGE_SCRIPT, numberOfKeys: 1 });
  client.defineCommand('switchboardIncrement', { lua: INCREMENT_SCRIPT, numberOfKeys: 1 });
  client.defineCommand('switchboardAcquire', { lua: ACQUIRE_SCRIPT, numberOfKeys: 2 });
  client.defineCommand('switchboardRenew', { lua: RENEW_SCRIPT, numberOfKeys: 1 });
  client.defineCommand('switchboardRelease', { lua: RELEASE_SCRIPT, numberOfKeys: 1 });
  return client as RedisClient & ScriptCommands;
}

function connect(url: string): Redis {
  const parsed = new URL(url);
  if (parsed.protocol === 'unix:') {
    return new Redis({ path: decodeURIComponent(parsed.pathname), lazyConnect: false });
  }
  return new Redis(url);
}

function json(key: string, value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`value of '${key}' is not JSON-serialisable`);
  return text;
}

function parse<T>(text: string | null | undefined): T | undefined {
  return text === null || text === undefined ? undefined : (JSON.parse(text) as T);
}

function assertScore(score: number): void {
  if (!Number.isFinite(score)) throw new TypeError(`index score must be a finite number, got ${score}`);
}

function assertTtl(ttlMs: number | undefined): void {
  if (ttlMs !== undefined && !(Number.isInteger(ttlMs) && ttlMs > 0))
    throw new TypeError(`ttlMs must be a positive integer of milliseconds, got ${ttlMs}`);
}

/** Lease names get a hash tag of their own unless they carry one, so lease and fence keys share a slot. */
const tagged = (name: string) => (/\{[^}]+\}/.test(name) ? name : `{${name}}`);

/**
 * A {@link StateStore} (v2) on Redis, for several instances sharing state: Brevo records, webhook
 * dedupe, cursors, leases (one poller per account), rate-limit windows, sessions, pub/sub.
 *
 * Layout (after `prefix`): values `v:<key>` (JSON strings, TTLs as server-side `PX` expiry), indexes
 * `i:<index>` (sorted sets), leases `l:<name>` (`<fence>:<token>`, expiring) with fencing counters
 * `f:<name>`, channels `c:<channel>`. Multi-key operations (`commit`, leases, counters, ranged reads)
 * are Lua scripts, atomic on the server. On Redis Cluster, the keys of one `commit` must share a hash
 * tag (`brevo:{account}:…`); `getMany` over several slots is sent as single reads.
 *
 * Errors: connection and server errors reject with ioredis' error (no secrets in it: the URL is never
 * part of a message). `TypeError` for values that are not JSON, non-finite scores, bad TTLs.
 */
export function createRedisStateStore(options: RedisStateStoreOptions): StateStore {
  if (!options.url === !options.client)
    throw new TypeError('createRedisStateStore: pass exactly one of `url` or `client`.');
  const owned = options.client === undefined;
  const client = defineScripts(options.client ?? connect(options.url!));
  if (owned) client.on('error', (error: Error) => options.onError?.(error));
  const cluster = client instanceof Cluster;
  const prefix = options.prefix ?? 'switchboard:';
  const value = (key: string) => `${prefix}v:${key}`;
  const index = (name: string) => `${prefix}i:${name}`;
  const leaseKey = (name: string) => `${prefix}l:${tagged(name)}`;
  const fenceKey = (name: string) => `${prefix}f:${tagged(name)}`;
  const channelKey = (name: string) => `${prefix}c:${name}`;
  const holder = (lease: Lease) => `${lease.fence}:${lease.token}`;

  let subscriber: RedisClient | undefined;
  const listeners = new Map<string, Set<(message: unknown) => void>>();
  const subscriberClient = async (): Promise<RedisClient> => {
    if (subscriber) return subscriber;
    const created: RedisClient = cluster ? (client as Cluster).duplicate() : (client as Redis).duplicate();
    created.on('error', (error: Error) => options.onError?.(error));
    created.on('message', (channel: string, message: string) => {
      for (const listener of listeners.get(channel) ?? []) listener(JSON.parse(message));
    });
    subscriber = created;
    return created;
  };

  const scanKeys = async (pattern: string): Promise<string[]> => {
    const nodes: Redis[] = cluster ? (client as Cluster).nodes('master') : [client as Redis];
    const found: string[] = [];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        found.push(...batch);
      } while (cursor !== '0');
    }
    return found;
  };

  return {
    stateStoreVersion: 2,

    async get<T>(key: string) {
      return parse<T>(await client.get(value(key)));
    },
    async set(key, data, setOptions) {
      assertTtl(setOptions?.ttlMs);
      const text = json(key, data);
      if (setOptions?.ttlMs === undefined) await client.set(value(key), text);
      else await client.set(value(key), text, 'PX', setOptions.ttlMs);
    },
    async add(key, data, setOptions) {
      assertTtl(setOptions?.ttlMs);
      const text = json(key, data);
      const reply =
        setOptions?.ttlMs === undefined
          ? await client.set(value(key), text, 'NX')
          : await client.set(value(key), text, 'PX', setOptions.ttlMs, 'NX');
      return reply === 'OK';
    },
    async delete(key) {
      await client.del(value(key));
    },
    async keys(keyPrefix) {
      const glob = `${prefix}v:${keyPrefix}`.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
      const strip = `${prefix}v:`.length;
      return [...new Set(await scanKeys(`${glob}*`))].map((key) => key.slice(strip)).sort();
    },
    async getMany<T>(keys: readonly string[]) {
      if (keys.length === 0) return [];
      const texts = cluster
        ? await Promise.all(keys.map((key) => client.get(value(key))))
        : await client.mget(keys.map(value));
      return texts.map((text) => parse<T>(text));
    },
    async commit(writes: readonly StateStoreWrite[], conditions: readonly StateStoreCondition[] = []) {
      const keys: string[] = [];
      const slot = (key: string) => {
        const at = keys.indexOf(key);
        if (at >= 0) return at + 1;
        keys.push(key);
        return keys.length;
      };
      const c = conditions.map((condition) => {
        switch (condition.type) {
          case 'absent':
            return { t: 'absent', k: slot(value(condition.key)) };
          case 'equals':
            return condition.value === undefined
              ? { t: 'equals', k: slot(value(condition.key)) }
              : { t: 'equals', k: slot(value(condition.key)), v: json(condition.key, condition.value) };
          case 'leaseHeld':
            return { t: 'lease', k: slot(leaseKey(condition.lease.name)), v: holder(condition.lease) };
          default:
            throw new TypeError(`unknown condition type '${(condition as { type: string }).type}'`);
        }
      });
      const w = writes.map((write) => {
        switch (write.type) {
          case 'set':
            assertTtl(write.ttlMs);
            return {
              t: 'set',
              k: slot(value(write.key)),
              v: json(write.key, write.value),
              ...(write.ttlMs !== undefined && { px: String(write.ttlMs) }),
            };
          case 'delete':
            return { t: 'del', k: slot(value(write.key)) };
          case 'indexAdd':
            assertScore(write.score);
            return { t: 'zadd', k: slot(index(write.index)), s: String(write.score), m: write.member };
          case 'indexRemove':
            return { t: 'zrem', k: slot(index(write.index)), m: write.member };
          default:
            throw new TypeError(`unknown write type '${(write as { type: string }).type}'`);
        }
      });
      if (keys.length === 0) return true;
      const applied = await client.switchboardCommit(keys.length, ...keys, JSON.stringify({ c, w }));
      return applied === 1;
    },
    async indexAdd(name, member, score) {
      assertScore(score);
      await client.zadd(index(name), String(score), member);
    },
    async indexRemove(name, member) {
      await client.zrem(index(name), member);
    },
    async indexScore(name, member) {
      const score = await client.zscore(index(name), member);
      return score === null ? undefined : Number(score);
    },
    async indexSize(name) {
      return client.zcard(index(name));
    },
    async indexRange(name, range: IndexRangeOptions) {
      if (range.limit < 1) return [];
      const rows = await client.switchboardRange(
        index(name),
        range.order,
        String(Math.trunc(range.limit)),
        range.min === undefined ? '-inf' : String(range.min),
        range.max === undefined ? '+inf' : String(range.max),
        range.after ? String(range.after.score) : '',
        range.after?.member ?? '',
      );
      const out: IndexEntry[] = [];
      for (let i = 0; i < rows.length; i += 2) out.push({ member: rows[i]!, score: Number(rows[i + 1]) });
      return out;
    },
    async increment(key, incrementOptions) {
      const by = incrementOptions?.by ?? 1;
      if (!Number.isSafeInteger(by)) throw new TypeError(`increment: 'by' must be an integer, got ${by}`);
      assertTtl(incrementOptions?.ttlMs);
      return Number(
        await client.switchboardIncrement(
          value(key),
          String(by),
          incrementOptions?.ttlMs === undefined ? '' : String(incrementOptions.ttlMs),
        ),
      );
    },
    async acquireLease(name, leaseOptions) {
      assertTtl(leaseOptions.ttlMs);
      const token = randomUUID();
      const startedAt = Date.now();
      const fence = await client.switchboardAcquire(
        leaseKey(name),
        fenceKey(name),
        token,
        String(leaseOptions.ttlMs),
      );
      if (fence === null || fence === undefined) return undefined;
      // The server's expiry starts after `startedAt`: this estimate is never late.
      return { name, token, fence: Number(fence), expiresAt: startedAt + leaseOptions.ttlMs };
    },
    async renewLease(lease, leaseOptions) {
      assertTtl(leaseOptions.ttlMs);
      const startedAt = Date.now();
      const renewed = await client.switchboardRenew(
        leaseKey(lease.name),
        holder(lease),
        String(leaseOptions.ttlMs),
      );
      return renewed === 1 ? { ...lease, expiresAt: startedAt + leaseOptions.ttlMs } : undefined;
    },
    async releaseLease(lease) {
      return (await client.switchboardRelease(leaseKey(lease.name), holder(lease))) === 1;
    },
    async publish(channel, message) {
      await client.publish(channelKey(channel), JSON.stringify(message));
    },
    async subscribe(channel, listener) {
      const key = channelKey(channel);
      const sub = await subscriberClient();
      const set = listeners.get(key) ?? new Set();
      const first = set.size === 0;
      const own = (message: unknown) => listener(message);
      set.add(own);
      listeners.set(key, set);
      if (first) await sub.subscribe(key);
      return async () => {
        set.delete(own);
        if (set.size === 0 && listeners.get(key) === set) {
          listeners.delete(key);
          await sub.unsubscribe(key);
        }
      };
    },
    async close() {
      listeners.clear();
      const closing: Promise<unknown>[] = [];
      if (subscriber) closing.push(subscriber.quit().catch(() => subscriber?.disconnect()));
      if (owned) closing.push(client.quit().catch(() => client.disconnect()));
      await Promise.all(closing);
    },
  };
}
