import type { Readable } from 'node:stream';
import {
  InvalidResponseError,
  NetworkError,
  SwitchboardError,
  TimeoutError,
  toSafeCause,
} from '@switchboard/core';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { chatCompletionFragmentSchema } from './aurora-schemas.js';

/** Options of {@link readAuroraSse}. */
export interface ReadAuroraSseOptions {
  /** Aborting destroys the stream; the generator then throws the signal's reason. */
  signal?: AbortSignal;
  /** Longest pause allowed between two events, in milliseconds. */
  idleTimeoutMs: number;
  /** What is streaming, for error messages, e.g. `the reply in chat 301`. */
  what: string;
  /** The request's URL, for the errors' `url`. */
  url: string;
}

/**
 * Yields the `content` of each event of an Aurora reply stream (`data: {"content": "…"}`, parsed with
 * `eventsource-parser`). Returns only when the server ended the response cleanly, Aurora's one
 * end-of-reply signal; events with a non-default `event:` name are skipped.
 * @throws {NetworkError} when the connection is cut before the end (not retryable: the message was sent).
 * @throws {TimeoutError} when no event arrives for `idleTimeoutMs`.
 * @throws {InvalidResponseError} when an event's data is not a `{ content: string }` JSON object.
 * @throws the signal's reason when `signal` aborts.
 */
export async function* readAuroraSse(body: Readable, options: ReadAuroraSseOptions): AsyncGenerator<string> {
  const { signal, what } = options;
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const decoder = new TextDecoder();
  const errorOptions = { provider: 'aurora', method: 'POST', url: options.url, retryable: false };
  let received = 0;
  let stalled = false;
  const timer = setTimeout(() => {
    stalled = true;
    body.destroy();
  }, options.idleTimeoutMs);
  const abort = () => body.destroy();
  signal?.addEventListener('abort', abort, { once: true });
  if (signal?.aborted) abort();

  try {
    for await (const bytes of body as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(bytes, { stream: true }));
      for (const event of events.splice(0)) {
        if (event.event !== undefined && event.event !== 'message') continue;
        const content = parseFragment(event.data, what, errorOptions);
        received += 1;
        timer.refresh();
        yield content;
      }
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (SwitchboardError.isInstance(error)) throw error;
    const after = `after ${received} chunk${received === 1 ? '' : 's'}: the reply is incomplete. Your message was sent.`;
    if (stalled)
      throw new TimeoutError(
        `aurora: ${what} stalled for ${options.idleTimeoutMs} ms ${after}`,
        errorOptions,
      );
    throw new NetworkError(`aurora: ${what} was cut ${after}`, {
      ...errorOptions,
      cause: toSafeCause(error),
    });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
    body.destroy();
  }
}

function parseFragment(
  data: string,
  what: string,
  errorOptions: { provider: string; method: string; url: string },
): string {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    json = undefined;
  }
  const parsed = chatCompletionFragmentSchema.safeParse(json);
  if (parsed.success) return parsed.data.content;
  throw new InvalidResponseError(
    `aurora: ${what} carried an event whose data is not {"content": string}: the reply is incomplete.`,
    errorOptions,
  );
}
