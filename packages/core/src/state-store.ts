/**
 * A small key-value interface for state that must survive a restart: realtime cursors, webhook
 * dedupe keys, conversations and messages recorded from webhooks. The default keeps everything in
 * memory; a Redis-backed store can implement the same five methods for multi-process use.
 * Values must be JSON-serialisable (stores may serialise them; `Date`s come back as strings).
 * @module
 */

/** Options of {@link StateStore.set} and {@link StateStore.add}. */
export interface StateStoreSetOptions {
  /** Forget the key after this many milliseconds. */
  ttlMs?: number;
}

/** Persistent state for adapters. All keys are namespaced by the adapter (e.g. `brevo:…`). */
export interface StateStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set<T = unknown>(key: string, value: T, options?: StateStoreSetOptions): Promise<void>;
  /** Sets the key only if absent. Resolves `true` when it was set (atomic: use it to dedupe). */
  add<T = unknown>(key: string, value: T, options?: StateStoreSetOptions): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Keys that start with `prefix`, in ascending order. */
  keys(prefix: string): Promise<string[]>;
}

/** The default {@link StateStore}: a `Map` in this process. Expired keys are dropped lazily. */
export function createMemoryStateStore(): StateStore {
  const entries = new Map<string, { value: unknown; expiresAt?: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const put = (key: string, value: unknown, options?: StateStoreSetOptions) => {
    entries.set(
      key,
      options?.ttlMs === undefined ? { value } : { value, expiresAt: Date.now() + options.ttlMs },
    );
  };
  return {
    async get<T>(key: string) {
      return live(key)?.value as T | undefined;
    },
    async set(key, value, options) {
      put(key, value, options);
    },
    async add(key, value, options) {
      if (live(key)) return false;
      put(key, value, options);
      return true;
    },
    async delete(key) {
      entries.delete(key);
    },
    async keys(prefix) {
      return [...entries.keys()].filter((key) => key.startsWith(prefix) && live(key)).sort();
    },
  };
}
