/** A set of the most recent ids, to deliver each event once without growing forever. */
export interface RecentIds {
  /** Records `id`; `true` when it was not already there. */
  add(id: string): boolean;
  has(id: string): boolean;
}

/** Creates a {@link RecentIds} keeping the last `capacity` ids (the oldest are forgotten first). */
export function createRecentIds(capacity: number): RecentIds {
  const ids = new Set<string>();
  return {
    add(id) {
      if (ids.has(id)) return false;
      ids.add(id);
      if (ids.size > capacity) ids.delete(ids.values().next().value!);
      return true;
    },
    has: (id) => ids.has(id),
  };
}
