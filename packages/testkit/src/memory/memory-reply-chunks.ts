/**
 * The chunks of a streamed reply, as `StreamedReply.chunks` wants them: every iteration starts from
 * the first chunk, waits for the next while the stream runs, ends when the reply is complete, and
 * throws (after the chunks received) when the stream failed.
 */
export class MemoryReplyChunks implements AsyncIterable<string> {
  readonly #chunks: string[] = [];
  readonly #wakers = new Set<() => void>();
  #state: { done: false } | { done: true; error?: unknown } = { done: false };

  /** Adds a chunk. */
  push(chunk: string): void {
    this.#chunks.push(chunk);
    this.#wake();
  }

  /** Marks the reply complete. */
  end(): void {
    this.#state = { done: true };
    this.#wake();
  }

  /** Marks the stream failed: iterations throw `error` after the chunks received. */
  fail(error: unknown): void {
    this.#state = { done: true, error };
    this.#wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (let next = 0; ; ) {
      if (next < this.#chunks.length) {
        yield this.#chunks[next++]!;
        continue;
      }
      const state = this.#state;
      if (state.done) {
        if ('error' in state) throw state.error;
        return;
      }
      await new Promise<void>((resolve) => this.#wakers.add(resolve));
    }
  }

  #wake(): void {
    for (const wake of this.#wakers) wake();
    this.#wakers.clear();
  }
}
