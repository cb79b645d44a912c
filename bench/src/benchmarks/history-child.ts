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
}

export interface HistoryChildOutput {
  messages: number;
  ms: number;
  /** Peak RSS growth while iterating, bytes. */
  rssGrowth: number;
  /** Heap used after iterating minus before, bytes (what is still reachable or not yet collected). */
  heapAfter: number;
}

serveChild<HistoryChildInput, HistoryChildOutput>(async (input) => {
  let count = 0;
  let iterate: () => Promise<void>;
  let close: () => Promise<void>;
  if (input.mode === 'switchboard') {
    const messenger = await blueskyMessenger(input.target);
    iterate = async () => {
      for await (const message of messenger.messages(input.convoId, { limit: input.pageSize })) {
        if (message.id) count++;
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
        for (const message of page.data.messages) if (message.id) count++;
        cursor = page.data.cursor;
      } while (cursor);
    };
    close = raw.close;
  }
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  await iterate();
  const ms = performance.now() - t0;
  const rssGrowth = process.resourceUsage().maxRSS * 1024 - rssBefore;
  const heapAfter = process.memoryUsage().heapUsed - heapBefore;
  await close();
  return { messages: count, ms, rssGrowth, heapAfter };
});
