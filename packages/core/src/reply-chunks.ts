import type { StreamedReply } from './chat-adapter.js';

/**
 * The text chunks of one streamed reply, written once by the adapter and readable by any number of
 * iterators, each from the first chunk (late readers miss nothing). An iterator ends only when the
 * reply is known good, and throws the reply's error when it is not: a cut, truncated or unconfirmed
 * reply never ends quietly. Adapter authors use it as the `chunks` of a {@link StreamedReply}.
 *
 * The contract of `StreamedReply`: `chunks` ends if and only if `reply` resolves, and throws whenever
 * `reply` rejects (with the same error). The simplest way to keep it is {@link ReplyChunks.settleWith}:
 * push chunks as they stream, and let the `reply` promise decide how the iterators finish. Calling
 * {@link ReplyChunks.end} by hand is for adapters whose stream end *is* the proof that the reply is
 * complete and stored; never call it before checks that can still fail (a read-back, a validation).
 *
 * ```ts
 * const chunks = new ReplyChunks();
 * parser.onChunk = (text) => chunks.push(text); // as the provider streams
 * const reply = streamEnded.then(() => readBackStoredReply()); // rejects when anything is wrong
 * chunks.settleWith(reply); // iterators end when `reply` resolves, throw when it rejects
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

  /** Marks the reply complete: call it only once the reply is known good (see the class docs). */
  end(): void {
    if (!this.#state.done) this.#state = { done: true, failed: false };
    this.#wake();
  }

  /** Marks the reply failed (ignored once it is complete). */
  fail(error: unknown): void {
    if (!this.#state.done) this.#state = { done: true, failed: true, error };
    this.#wake();
  }

  /**
   * Ties the iterators' end to `reply`: they end when it resolves and throw its rejection reason
   * when it rejects, after the chunks pushed so far. Handles the rejection (no unhandled rejection
   * from this call); returns nothing.
   */
  settleWith(reply: PromiseLike<unknown>): void {
    reply.then(
      () => this.end(),
      (error: unknown) => this.fail(error),
    );
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
