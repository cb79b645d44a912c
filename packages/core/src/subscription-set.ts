import type { Subscription } from './chat-adapter.js';

/** The realtime subscriptions an adapter opened, so that its `close()` can close them all. */
export interface SubscriptionSet {
  /**
   * Tracks `subscription` and returns the subscription to hand to the caller: closing it closes
   * `subscription` and stops tracking it.
   */
  add(subscription: Subscription): Subscription;
  /** Closes every tracked subscription (in parallel) and resolves when all are closed. */
  closeAll(): Promise<void>;
  /** How many subscriptions are open. */
  readonly size: number;
}

/**
 * Creates an empty {@link SubscriptionSet}: an adapter's `subscribe` returns `set.add(source)`, its
 * `close()` awaits `set.closeAll()`.
 */
export function createSubscriptionSet(): SubscriptionSet {
  const open = new Set<Subscription>();
  return {
    add(subscription) {
      const tracked: Subscription = {
        async close() {
          open.delete(tracked);
          await subscription.close();
        },
      };
      open.add(tracked);
      return tracked;
    },
    async closeAll() {
      await Promise.all([...open].map((subscription) => subscription.close()));
    },
    get size() {
      return open.size;
    },
  };
}
