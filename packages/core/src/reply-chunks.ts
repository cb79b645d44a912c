import type { StreamedReply } from './chat-adapter.js';

/**
 * The text chunks of one streamed reply, written once by the adapter and readable by any number of
 * iterators, each from the first chunk (late readers miss nothing). An iterator ends when the reply
 * is complete, and throws the stream's error when it failed: a cut reply never ends quietly.
 * Adapter authors use it as the `chunks` of a {@link StreamedReply}.
 *
 * ```ts
 * const chunks = new ReplyChunks();
 * parser.onChunk = (text) => chunks.push(text); // as the provider streams
 * stream.on('end', () => chunks.end());
 * stream.on('error', (error) => chunks.fail(mappedError(error)));
 * return { chunks, reply, userMessage };
 * ```
 */
export class ReplyChunks implements AsyncIterable<string> {
  readonly #chunks: string[] = [];
  #state: { done: false } | { done: true; failed: false } | { done: true; failed: true; error: unknown } = {
    done: false,
  };
  #waiters: (() => void)[] = [];

  /** Appends a chunk. */
  push(chunk: string): void {
    this.#chunks.push(chunk);
    this.#wake();
  }

  /** Marks the reply complete. */
  end(): void {
    if (!this.#state.done) this.#state = { done: true, failed: false };
    this.#wake();
  }

  /** Marks the reply failed (ignored once it is complete). */
  fail(error: unknown): void {
    if (!this.#state.done) this.#state = { done: true, failed: true, error };
    this.#wake();
  }

  /** The text received so far. */
  get text(): string {
    return this.#chunks.join('');
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (let next = 0; ; ) {
      if (next < this.#chunks.length) {
        yield this.#chunks[next++]!;
        continue;
      }
      const state = this.#state;
      if (state.done) {
        if (state.failed) throw state.error;
        return;
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
