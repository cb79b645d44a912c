import type { SendFn } from '../providers/provider.js';

/**
 * Sends `count` messages numbered from `offset`, keeping `concurrency` requests in flight (a pool of
 * workers, so a slow request does not hold back the others the way `Promise.all` batches would).
 */
export async function runBatch(
  send: SendFn,
  count: number,
  concurrency: number,
  offset: number,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await send(offset + i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
