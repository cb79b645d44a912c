import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** How one reply is streamed. */
export interface ReplyStreamPlan {
  chunks: readonly string[];
  /** Pause before each chunk, in milliseconds. */
  chunkDelayMs: number;
  /** Extra pause before the first chunk, after the headers were sent, in milliseconds (default 0). */
  startDelayMs?: number;
  /** Destroy the connection after this many chunks instead of finishing (a generation failure). */
  cutAfterChunks?: number;
  /** Called when every chunk was written, just before the response ends: the reply is complete. */
  onComplete(): void;
}

/**
 * Writes a reply as Aurora does: `200 text/event-stream`, one `data: {"content":"…"}` event per
 * chunk, and the end of the response as the only end marker (the API declares no sentinel event).
 *
 * A failure mid-generation destroys the connection after the chunks already written were flushed, so
 * the client sees a response that ends without HTTP's end-of-body (never a clean, shorter reply).
 * Stops early, without completing the reply, when the client disconnects or `signal` aborts.
 */
export async function writeReplyStream(
  res: ServerResponse,
  plan: ReplyStreamPlan,
  signal: AbortSignal,
): Promise<void> {
  const disconnected = new AbortController();
  res.once('close', () => disconnected.abort());
  const stop = AbortSignal.any([signal, disconnected.signal]);

  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.flushHeaders();
  if (plan.startDelayMs) await sleep(plan.startDelayMs, undefined, { signal: stop }).catch(() => {});
  for (const [index, content] of plan.chunks.entries()) {
    if (index === plan.cutAfterChunks) return cut(res);
    if (plan.chunkDelayMs > 0) await sleep(plan.chunkDelayMs, undefined, { signal: stop }).catch(() => {});
    if (stop.aborted) return;
    res.write(`data: ${JSON.stringify({ content })}\n\n`);
  }
  if (plan.cutAfterChunks !== undefined && plan.cutAfterChunks >= plan.chunks.length) return cut(res);
  plan.onComplete();
  res.end();
}

/** Flushes what was written, then closes the socket without ending the chunked body. */
function cut(res: ServerResponse): void {
  res.socket?.destroySoon();
}
