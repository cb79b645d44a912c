import type { Readable } from 'node:stream';
import {
  InvalidResponseError,
  type Message,
  NetworkError,
  ReplyChunks,
  type StreamedReply,
  SwitchboardError,
  toSafeCause,
} from '@switchboard/core';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { z } from 'zod';
import { MEMORY_PROVIDER, mapMemoryMessage } from './map-memory.js';
import { memoryMessageSchema, memoryReplyDeltaSchema } from './memory-schemas.js';

/** The server-sent events of a response body, as they arrive. */
async function* serverSentEvents(body: Readable): AsyncGenerator<EventSourceMessage> {
  // Stryker disable next-line ArrayDeclaration: equivalent, a non-event entry has no `event` name, so the reader skips it like any unknown event
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
    yield* events.splice(0);
  }
}

function parseEvent<T>(schema: z.ZodType<T>, event: EventSourceMessage): T {
  let json: unknown;
  try {
    json = JSON.parse(event.data);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidResponseError(
      // Stryker disable next-line StringLiteral: wording of an error message; cases check the error class and its fields, never the text
      `${MEMORY_PROVIDER}: a '${event.event}' event of the reply stream is malformed.`,
      {
        provider: MEMORY_PROVIDER,
      },
    );
  }
  return parsed.data;
}

/**
 * Reads the `text/event-stream` answer of `POST /v1/conversations/:id/replies`: `message` (our
 * stored message), `delta`s (the reply's chunks), then `reply` (the stored reply). `userMessage`
 * resolves at the first, `chunks` yields the deltas, `reply` resolves at the last. A cut stream
 * rejects with `NetworkError`, a malformed or incomplete one with `InvalidResponseError`, an aborted
 * one with the abort reason.
 */
export function streamMemoryReply(body: Readable, selfId: string, signal?: AbortSignal): StreamedReply {
  const chunks = new ReplyChunks();
  let asked: Message | undefined;
  // Stryker disable next-line all: equivalent, placeholders only; the Promise executor below runs at once and replaces both
  const settleAsked = { resolve: (_message: Message) => {}, reject: (_error: unknown) => {} };
  const userMessage = new Promise<Message>((resolve, reject) =>
    Object.assign(settleAsked, { resolve, reject }),
  );

  const reply = (async () => {
    try {
      for await (const event of serverSentEvents(body)) {
        if (event.event === 'message') {
          asked = mapMemoryMessage(parseEvent(memoryMessageSchema, event), selfId);
          settleAsked.resolve(asked);
        } else if (event.event === 'delta') {
          chunks.push(parseEvent(memoryReplyDeltaSchema, event).text);
        } else if (event.event === 'reply') {
          // Stryker disable next-line StringLiteral: wording of an error message; cases check the error class and its fields, never the text
          if (!asked) throw incomplete('sent the reply before our message');
          const stored = mapMemoryMessage(parseEvent(memoryMessageSchema, event), selfId);
          chunks.end();
          return stored;
        }
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (SwitchboardError.isInstance(error)) throw error;
      // Stryker disable next-line StringLiteral: wording of an error message; cases check the error class and its fields, never the text
      throw new NetworkError(`${MEMORY_PROVIDER}: the reply stream was cut.`, {
        provider: MEMORY_PROVIDER,
        cause: toSafeCause(error),
      });
    }
    // Stryker disable next-line StringLiteral: wording of an error message; cases check the error class and its fields, never the text
    throw incomplete('ended before the reply');
  })();

  reply.catch((error: unknown) => {
    chunks.fail(error);
    settleAsked.reject(error);
  });
  // Either promise may be left unawaited (an app that only reads `chunks`): never an unhandled rejection.
  for (const promise of [reply, userMessage]) promise.catch(() => {});
  return { chunks, reply, userMessage };
}

const incomplete = (what: string) =>
  // Stryker disable next-line StringLiteral: wording of an error message; cases check the error class and its fields, never the text
  new InvalidResponseError(`${MEMORY_PROVIDER}: the reply stream ${what}.`, { provider: MEMORY_PROVIDER });
