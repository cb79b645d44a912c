import assert from 'node:assert/strict';
import type { Message, Page } from '@switchboard/core';

/** Options of {@link collectPages}. */
export interface CollectPagesOptions {
  /** The page size in force: every page must have at most this many items. */
  limit: number;
  /** Fail past this many pages (a cursor that never ends). */
  maxPages: number;
  /** Names the call in failures, e.g. `listMessages`. */
  what: string;
}

/**
 * Pages through a listing by cursor until a page has no `nextCursor`, checking that no page is over
 * the limit and no cursor comes back. Returns the pages' items, in order.
 */
export async function collectPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  { limit, maxPages, what }: CollectPagesOptions,
): Promise<T[][]> {
  const pages: T[][] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  do {
    assert.ok(pages.length < maxPages, `${what}: more than ${maxPages} pages; the cursor never ends`);
    const page = await fetchPage(cursor);
    assert.ok(Array.isArray(page.items), `${what}: page ${pages.length + 1} has no items array`);
    assert.ok(
      page.items.length <= limit,
      `${what}: page ${pages.length + 1} has ${page.items.length} items, over the page size ${limit}`,
    );
    pages.push(page.items);
    cursor = page.nextCursor;
    if (cursor !== undefined) {
      assert.ok(
        !cursors.has(cursor),
        `${what}: cursor ${JSON.stringify(cursor)} came back; pages would loop`,
      );
      cursors.add(cursor);
    }
  } while (cursor !== undefined);
  return pages;
}

/** The first page holds `min(limit, total)` items: the page size in force is the one the provider uses. */
export function assertFirstPageFull<T>(pages: T[][], limit: number, total: number, what: string): void {
  const expected = Math.min(limit, total);
  const first = pages[0]?.length ?? 0;
  assert.equal(
    first,
    expected,
    `${what}: the first page has ${first} items, expected ${expected} (page size ${limit})`,
  );
}

/** Every item id appears once across all pages. */
export function assertEachOnce<T>(items: T[], idOf: (item: T) => string, what: string): void {
  const positions = new Map<string, number>();
  items.forEach((item, position) => {
    const id = idOf(item);
    const first = positions.get(id);
    assert.equal(
      first,
      undefined,
      `${what}: ${JSON.stringify(id)} appears 2 times (positions ${first} and ${position}); each must appear once`,
    );
    positions.set(id, position);
  });
}

/**
 * Checks a full history listing against `count` seeded messages `${prefix}0…${count - 1}`: each
 * message exactly once, none missing, newest first (by text order and by `sentAt`).
 */
export function assertSeededNewestFirst(
  messages: Message[],
  prefix: string,
  count: number,
  what: string,
): void {
  assertEachOnce(messages, (message) => message.id, what);
  const seeded = messages
    .filter((message) => message.text.startsWith(prefix))
    .map((message) => Number(message.text.slice(prefix.length)));
  const seen = new Map<number, number>();
  for (const index of seeded) seen.set(index, (seen.get(index) ?? 0) + 1);
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  assert.equal(
    missing.length,
    0,
    `${what}: ${missing.length} of ${count} messages are missing (dropped), first #${missing[0]}`,
  );
  for (const [index, times] of seen) {
    assert.equal(times, 1, `${what}: message #${index} appears ${times} times; each must appear once`);
  }
  seeded.forEach((index, position) => {
    assert.equal(
      index,
      count - 1 - position,
      `${what}: not newest first: message #${index} is at position ${position}, expected #${count - 1 - position}`,
    );
  });
  for (let i = 1; i < messages.length; i += 1) {
    const newer = messages[i - 1]!;
    const older = messages[i]!;
    assert.ok(
      newer.sentAt.getTime() >= older.sentAt.getTime(),
      `${what}: not newest first: item ${i} (sentAt ${older.sentAt.toISOString()}) is newer than item ${i - 1} (${newer.sentAt.toISOString()})`,
    );
  }
}
