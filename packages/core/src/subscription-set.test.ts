import { describe, expect, it, vi } from 'vitest';
import { createSubscriptionSet } from './subscription-set.js';

describe('createSubscriptionSet', () => {
  it('closes every open subscription on closeAll, and forgets one closed by its caller', async () => {
    const set = createSubscriptionSet();
    const sources = [0, 1, 2].map(() => ({ close: vi.fn(async () => undefined) }));
    const handed = sources.map((source) => set.add(source));
    expect(set.size).toBe(3);

    await handed[1]!.close();
    expect(sources[1]!.close).toHaveBeenCalledTimes(1);
    expect(set.size).toBe(2);

    await set.closeAll();
    expect(sources.map((source) => source.close.mock.calls.length)).toEqual([1, 1, 1]);
    expect(set.size).toBe(0);
  });

  it('closeAll waits for the subscriptions to finish closing', async () => {
    const set = createSubscriptionSet();
    let closed = false;
    set.add({
      close: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        closed = true;
      },
    });
    await set.closeAll();
    expect(closed).toBe(true);
  });
});
