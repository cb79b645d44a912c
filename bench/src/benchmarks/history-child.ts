/**
 * Child process of the history benchmark: iterates a whole conversation once, either with
 * `messenger.messages()` or with a raw axios page-fetch loop, and reports wall time and peak RSS
 * growth (`resourceUsage().maxRSS` at the end minus RSS just before iterating). A fresh process per
 * run keeps runs from polluting each other's heap.
 */
import { serveChild } from '../child.js';
import { type BlueskyTarget, blueskyMessenger, blueskyRawClient } from '../providers/bluesky.js';

export interface HistoryChildInput {
  target: BlueskyTarget;
  convoId: string;
  mode: 'switchboard' | 'axios';
  pageSize: number;
  /**
   * Instead of timing: run `gc()` (the child is started with `--expose-gc`) every 10 pages and keep
   * the largest heap still in use after it: the memory the iteration really retains.
   */
  retention?: boolean;
}

export interface HistoryChildOutput {
  messages: number;
  ms: number;
  /** Peak RSS growth while iterating, bytes. */
  rssGrowth: number;
  /** With `retention`: the most heap still in use after a forced GC during the iteration, minus before, bytes. */
  retainedHeap?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

serveChild<HistoryChildInput, HistoryChildOutput>(async (input) => {
  let count = 0;
  let retainedPeak = 0;
  let heapBase = 0;
  /** Called once per message: in retention mode, samples the live heap every 10 pages. */
  const onMessage = () => {
    count++;
    if (input.retention && count % (input.pageSize * 10) === 0) {
      gc!();
      retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed - heapBase);
    }
  };
  if (input.retention && !gc) throw new Error('retention mode needs --expose-gc');
  let iterate: () => Promise<void>;
  let close: () => Promise<void>;
  if (input.mode === 'switchboard') {
    const messenger = await blueskyMessenger(input.target);
    iterate = async () => {
      for await (const message of messenger.messages(input.convoId, { limit: input.pageSize })) {
        if (message.id) onMessage();
      }
    };
    close = () => messenger.close();
  } else {
    const raw = await blueskyRawClient(input.target);
    iterate = async () => {
      let cursor: string | undefined;
      do {
        const page = await raw.client.get<{ cursor?: string; messages: Array<{ id: string }> }>(
          '/xrpc/chat.bsky.convo.getMessages',
          { params: { convoId: input.convoId, limit: input.pageSize, cursor } },
        );
        for (const message of page.data.messages) if (message.id) onMessage();
        cursor = page.data.cursor;
      } while (cursor);
    };
    close = raw.close;
  }
  if (input.retention) {
    gc!();
    heapBase = process.memoryUsage().heapUsed;
  }
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  await iterate();
  const ms = performance.now() - t0;
  const rssGrowth = process.resourceUsage().maxRSS * 1024 - rssBefore;
  await close();
  return { messages: count, ms, rssGrowth, ...(input.retention ? { retainedHeap: retainedPeak } : {}) };
});
