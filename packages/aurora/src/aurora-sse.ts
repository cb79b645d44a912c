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
  /**
   * Longest wait for the body's first byte, in milliseconds, counted from the call (made when the
   * response headers arrived): the time the character may take to start answering.
   */
  firstByteTimeoutMs: number;
  /**
   * Longest silence allowed once the body started, in milliseconds. Any bytes reset it, keepalive
   * comments (`: ping`) included.
   */
  idleTimeoutMs: number;
  /** What is streaming, for error messages, e.g. `the reply in chat 301`. */
  what: string;
  /** The request's URL, for the errors' `url`. */
  url: string;
}

/**
 * Turns CRLF and bare CR line ends into LF, across chunk boundaries. The SSE standard allows all
 * three; `eventsource-parser` holds a chunk's trailing CR back until it sees whether an LF follows,
 * which delays every event of a bare-CR stream by one chunk. Normalising first dispatches each
 * event as soon as its blank line arrived.
 */
function createLineEndNormaliser(): (text: string) => string {
  let endedWithCr = false;
  return (text) => {
    const input = endedWithCr && text.startsWith('\n') ? text.slice(1) : text;
    if (text !== '') endedWithCr = text.endsWith('\r');
    return input.replace(/\r\n?/g, '\n');
  };
}

/**
 * Yields the `content` of each event of an Aurora reply stream (`data: {"content": "…"}`, parsed with
 * `eventsource-parser`). Returns only when the server ended the response cleanly, Aurora's one
 * end-of-reply signal. At that end the parser is flushed: a last event without its blank line is
 * delivered, not dropped. Line ends may be LF, CRLF or bare CR; events with a non-default `event:`
 * name and comments are skipped (comments still count as activity for `idleTimeoutMs`).
 * @throws {NetworkError} when the connection is cut before the end (not retryable: the message was sent).
 * @throws {TimeoutError} when no byte arrives within `firstByteTimeoutMs`, or for `idleTimeoutMs`
 * after that.
 * @throws {InvalidResponseError} when an event's data is not a `{ content: string }` JSON object, or
 * the body is not valid UTF-8 (e.g. it ends inside a multi-byte character).
 * @throws the signal's reason when `signal` aborts.
 */
export async function* readAuroraSse(body: Readable, options: ReadAuroraSseOptions): AsyncGenerator<string> {
  const { signal, what } = options;
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const normalise = createLineEndNormaliser();
  const errorOptions = { provider: 'aurora', method: 'POST', url: options.url, retryable: false };
  let received = 0;
  let bytes = 0;
  let stalled: 'first-byte' | 'idle' | undefined;
  let timer = setTimeout(() => {
    stalled = 'first-byte';
    body.destroy();
  }, options.firstByteTimeoutMs);
  const abort = () => body.destroy();
  signal?.addEventListener('abort', abort, { once: true });
  if (signal?.aborted) abort();

  const after = () =>
    `after ${received} chunk${received === 1 ? '' : 's'}: the reply is incomplete. Your message was sent.`;
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new InvalidResponseError(
        `aurora: ${what} is not valid UTF-8${chunk ? '' : ' (it ends inside a character)'} ${after()}`,
        errorOptions,
      );
    }
  };
  function* drain(): Generator<string> {
    for (const event of events.splice(0)) {
      if (event.event !== undefined && event.event !== 'message') continue;
      const content = parseFragment(event.data, what, errorOptions);
      received += 1;
      yield content;
    }
  }

  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      if (chunk.length === 0) continue;
      if (bytes === 0) {
        // The first byte arrived: from now on only silence between bytes counts.
        clearTimeout(timer);
        timer = setTimeout(() => {
          stalled = 'idle';
          body.destroy();
        }, options.idleTimeoutMs);
      } else timer.refresh();
      bytes += chunk.length;
      parser.feed(normalise(decode(chunk)));
      yield* drain();
    }
    // The response ended cleanly: flush what the decoder and the parser still hold, so a last event
    // without its blank line (or a stream ending inside a character) is not silently dropped.
    parser.feed(normalise(`${decode()}\n\n`));
    yield* drain();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (SwitchboardError.isInstance(error)) throw error;
    if (stalled === 'first-byte')
      throw new TimeoutError(
        `aurora: ${what} sent no byte within ${options.firstByteTimeoutMs} ms of its headers ${after()}`,
        errorOptions,
      );
    if (stalled === 'idle')
      throw new TimeoutError(
        `aurora: ${what} stalled (no byte for ${options.idleTimeoutMs} ms) ${after()}`,
        errorOptions,
      );
    throw new NetworkError(`aurora: ${what} was cut ${after()}`, {
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
