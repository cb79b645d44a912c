/**
 * The lazy k-way merge behind `inbox.conversations()`.
 * @module
 */

/** One account's list, in the provider's order (latest activity first). */
export interface MergeSource<T> {
  account: string;
  items: AsyncIterable<T>;
}

/** An account whose list failed part-way: the merge went on without it. */
export interface MergeFailure {
  account: string;
  /** What the account's iterator threw (a `SwitchboardError` for a Messenger). */
  error: unknown;
  /** How many of the account's items were merged before it failed. */
  afterItems: number;
}

/** One merged item with its account. */
export interface MergedItem<T> {
  account: string;
  item: T;
  /**
   * The time the merge sorted by, in ms since the epoch: the item's activity time, lowered to its
   * predecessor's in the same account when it is missing or later (see {@link mergeByActivity}).
   * `-Infinity` when the account's first item has no activity time.
   */
  sortKey: number;
}

interface Head<T> {
  index: number;
  account: string;
  iterator: AsyncIterator<T>;
  item?: T;
  key: number;
  taken: number;
}

/**
 * Merges several lists, each ordered by latest activity first, into one list ordered the same way,
 * pulling from each list only when its head has been yielded: with iterators that fetch one page at
 * a time, memory stays O(lists × page size).
 *
 * Each list is taken in its own order and never reordered. An item whose activity time
 * (`activityOf`) is missing, or later than the time of the item before it in the same list, is
 * sorted as if it had that predecessor's time (the first item of a list: `-Infinity`), so the merge
 * never has to read ahead. Ties go to the list given first. When every list is sorted and every item
 * has a time, the result equals a stable sort of all items by time, descending.
 *
 * A list that throws is dropped: `onFailure` is called once for it and the merge goes on with the
 * others. Returning early (`break`) closes every list's iterator.
 */
export async function* mergeByActivity<T>(
  sources: readonly MergeSource<T>[],
  activityOf: (item: T) => number | undefined,
  onFailure: (failure: MergeFailure) => void,
): AsyncGenerator<MergedItem<T>> {
  const heads: Head<T>[] = sources.map((source, index) => ({
    index,
    account: source.account,
    iterator: source.items[Symbol.asyncIterator](),
    key: Number.POSITIVE_INFINITY,
    taken: 0,
  }));
  let live = [...heads];

  /** Reads the next item of `head`; returns false when its list ended or failed. */
  const advance = async (head: Head<T>): Promise<boolean> => {
    try {
      const next = await head.iterator.next();
      if (next.done) return false;
      const time = activityOf(next.value);
      const previous = head.taken === 0 ? undefined : head.key;
      head.item = next.value;
      head.key =
        time === undefined || Number.isNaN(time)
          ? (previous ?? Number.NEGATIVE_INFINITY)
          : Math.min(time, previous ?? Number.POSITIVE_INFINITY);
      return true;
    } catch (error) {
      onFailure({ account: head.account, error, afterItems: head.taken });
      return false;
    }
  };

  try {
    // First pages of every account in parallel; after that one pull per yielded item.
    const started = await Promise.all(live.map(advance));
    live = live.filter((_, i) => started[i]);
    while (live.length > 0) {
      let best = live[0]!;
      for (const head of live) {
        if (head.key > best.key || (head.key === best.key && head.index < best.index)) best = head;
      }
      const { item } = best;
      best.item = undefined;
      best.taken += 1;
      yield { account: best.account, item: item as T, sortKey: best.key };
      if (!(await advance(best))) live = live.filter((head) => head !== best);
    }
  } finally {
    // Release whatever is still open (early return, or a consumer error).
    await Promise.allSettled(live.map((head) => head.iterator.return?.()));
  }
}
