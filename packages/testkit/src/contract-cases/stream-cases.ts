import assert from 'node:assert/strict';
import {
  hasCapability,
  InvalidResponseError,
  NetworkError,
  type StreamedReply,
  type SwitchboardError,
  type SwitchboardErrorClass,
} from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import type { EventStreamFault } from '../faults/index.js';
import { describeThrown, settle } from './contract-assert.js';
import { uniqueText } from './fixtures.js';
import { faultsOf } from './requests.js';
import { allOf, declared, withFaults } from './requirements.js';

/** How long a faulted reply may take to settle, in ms (it fails at once on a healthy adapter). */
const SETTLE_TIMEOUT_MS = 10_000;

/** Events that pass before the fault: on most streams our message and a first chunk. */
const AFTER_EVENTS = 2;

/** Rejects after `ms` with `what` (a reply that never settles fails the case instead of hanging it). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new assert.AssertionError({ message: `${what} within ${ms} ms` })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Iterates `chunks` to its end: the chunks seen, and the error the iteration threw (if it did). */
async function readChunks(stream: StreamedReply): Promise<{ chunks: string[]; error?: unknown }> {
  const chunks: string[] = [];
  try {
    for await (const chunk of stream.chunks) chunks.push(chunk);
    return { chunks };
  } catch (error) {
    return { chunks, error };
  }
}

/** The stream with one `'event-stream'` fault injected on it; "not checked" when the fault never applied. */
async function streamWithFault(context: ContractCaseContext, fault: EventStreamFault, signal?: AbortSignal) {
  const { messenger, peer } = context;
  const conversationId = await peer.startConversation();
  // A first reply without faults: login, ids and caches are done, the faulted request is the stream's.
  const warm = await messenger.sendStreaming(conversationId, uniqueText('warm up'));
  await warm.reply;
  const rule = faultsOf(context).inject({ fault, times: 1 });
  // Multi-byte characters (2, 3 and 4 UTF-8 bytes), so a stream split inside one shows.
  const text = uniqueText('stream fault é € 😀');
  const stream = await messenger.sendStreaming(conversationId, text, { signal });
  return { stream, rule, conversationId, text };
}

/** A faulted reply: `reply` and `chunks` both reject (with `errorClass` when given); `chunks` never ends as if complete. */
async function expectFailedReply(
  context: ContractCaseContext,
  fault: EventStreamFault,
  errorClasses: readonly SwitchboardErrorClass[],
  what: string,
) {
  const { stream, rule } = await streamWithFault(context, fault);
  const [reply, read] = await within(
    Promise.all([settle(stream.reply), readChunks(stream)]),
    SETTLE_TIMEOUT_MS,
    `${what}: the reply did not settle`,
  );
  if (rule.hits === 0)
    context.notChecked(
      `the reply stream had fewer than ${AFTER_EVENTS + 1} events, or is not text/event-stream`,
    );
  const expected = errorClasses.map((errorClass) => errorClass.name).join(' or ');
  assert.ok('error' in reply, `${what}: the reply resolved; expected ${expected}`);
  assert.ok(
    errorClasses.some((errorClass) => errorClass.isInstance(reply.error)),
    `${what}: the reply rejected with ${describeThrown(reply.error)}; expected ${expected}`,
  );
  assert.equal(
    (reply.error as SwitchboardError).provider,
    context.adapter.provider,
    `${what}: error.provider`,
  );
  assert.ok(
    (reply.error as SwitchboardError).message.trim() !== '',
    `${what}: the error has an empty message (say what broke)`,
  );
  assert.ok(
    read.error !== undefined,
    `${what}: iterating chunks ended normally after ${read.chunks.length} chunk(s), as if the reply were complete`,
  );
}

const streams = allOf(declared('streamedReplies'), withFaults);

/** The stream fault cases (group messages): what a reply does when its stream breaks. */
export const streamCases: readonly ContractCase[] = [
  {
    id: 'stream-reply-cut-mid-event',
    group: 'messages',
    title: `a reply stream cut mid-event (after ${AFTER_EVENTS} events) rejects reply and chunks with NetworkError; chunks never end as complete`,
    requires: streams,
    run: (context) =>
      expectFailedReply(
        context,
        { kind: 'event-stream', afterEvents: AFTER_EVENTS, action: 'cut' },
        [NetworkError],
        'a reply stream cut mid-event',
      ),
  },
  {
    id: 'stream-reply-ends-mid-event',
    group: 'messages',
    title:
      'a reply stream that ends cleanly mid-event, before the reply is complete, rejects reply and chunks (InvalidResponseError or NetworkError)',
    requires: streams,
    run: (context) =>
      expectFailedReply(
        context,
        { kind: 'event-stream', afterEvents: AFTER_EVENTS, action: 'end' },
        [InvalidResponseError, NetworkError],
        'a reply stream ended mid-event',
      ),
  },
  {
    id: 'stream-reply-malformed-event',
    group: 'messages',
    title:
      'a reply stream with one malformed event (its data cut short), the rest intact, rejects reply and chunks with InvalidResponseError',
    requires: streams,
    run: (context) =>
      expectFailedReply(
        context,
        { kind: 'event-stream', afterEvents: AFTER_EVENTS, action: 'malformed' },
        [InvalidResponseError],
        'a reply stream with a malformed event',
      ),
  },
  {
    id: 'stream-reply-split-characters',
    group: 'messages',
    title:
      'a reply stream arriving one byte per read (multi-byte characters split) gives our text and the reply unchanged: chunks add up to the stored reply',
    requires: streams,
    async run(context) {
      const { messenger, capabilities } = context;
      const { stream, rule, conversationId, text } = await streamWithFault(context, {
        kind: 'event-stream',
        chunkBytes: 1,
      });
      const read = await within(
        readChunks(stream),
        SETTLE_TIMEOUT_MS,
        'the byte-by-byte reply did not complete',
      );
      if (read.error !== undefined)
        assert.fail(`the byte-by-byte reply failed: ${describeThrown(read.error)}`);
      const reply = await stream.reply;
      assert.equal(
        (await stream.userMessage).text,
        text,
        'our message came back changed from the byte-by-byte stream',
      );
      if (rule.hits === 0) context.notChecked('the reply stream is not text/event-stream');
      assert.equal(read.chunks.join(''), reply.text, 'the chunks do not add up to the reply');
      assert.ok(
        !reply.text.includes('\uFFFD'),
        'the reply holds U+FFFD: a character split across reads was garbled',
      );
      if (hasCapability(capabilities, 'getMessage')) {
        const stored = await messenger.getMessage(conversationId, reply.id);
        assert.equal(
          reply.text,
          stored.text,
          'the streamed reply differs from the stored one (split characters garbled?)',
        );
      }
    },
  },
  {
    id: 'stream-reply-ignores-unknown-events',
    group: 'messages',
    title:
      'an event of a type the adapter does not know (and a keep-alive comment) mid-stream is ignored: the reply completes and the chunks add up to it',
    requires: streams,
    async run(context) {
      const marker = 'contract-unknown-event';
      const { stream, rule } = await streamWithFault(context, {
        kind: 'event-stream',
        afterEvents: AFTER_EVENTS,
        action: 'insert',
        insert: `: keep-alive\n\nevent: ${marker}\ndata: {"text":"${marker}","content":"${marker}"}\n\n`,
      });
      const read = await within(readChunks(stream), SETTLE_TIMEOUT_MS, 'the reply did not complete');
      if (read.error !== undefined)
        assert.fail(`an unknown event broke the reply: ${describeThrown(read.error)}`);
      const reply = await stream.reply;
      if (rule.hits === 0)
        context.notChecked(
          `the reply stream had fewer than ${AFTER_EVENTS + 1} events, or is not text/event-stream`,
        );
      assert.ok(!read.chunks.join('').includes(marker), 'the unknown event was taken for a chunk');
      assert.equal(read.chunks.join(''), reply.text, 'the chunks do not add up to the reply');
    },
  },
  {
    id: 'stream-reply-abort-mid-stream',
    group: 'messages',
    title:
      'aborting a reply mid-stream (the stream stalls after a first chunk) rejects reply and chunks with the signal’s own reason, promptly',
    requires: streams,
    async run(context) {
      const controller = new AbortController();
      const { stream, rule } = await streamWithFault(
        context,
        { kind: 'event-stream', afterEvents: AFTER_EVENTS, action: 'stall' },
        controller.signal,
      );
      const reason = new Error('contract: aborted mid-stream');
      const iterator = stream.chunks[Symbol.asyncIterator]();
      const first = await within(
        iterator.next(),
        SETTLE_TIMEOUT_MS,
        'no first chunk arrived before the stall',
      );
      if (rule.hits === 0 || first.done)
        context.notChecked(
          `the reply stream had fewer than ${AFTER_EVENTS + 1} events, or is not text/event-stream`,
        );
      controller.abort(reason);
      // Chunks that arrived before the stall may still come; then the iteration must throw, not end.
      const drain = async () => {
        for (;;) if ((await iterator.next()).done) return;
      };
      const [reply, rest] = await within(
        Promise.all([settle(stream.reply), settle(drain())]),
        SETTLE_TIMEOUT_MS,
        'the reply did not settle after abort()',
      );
      assert.ok('error' in reply, 'the aborted reply resolved');
      assert.equal(
        reply.error,
        reason,
        `the aborted reply rejected with ${describeThrown(reply.error)}, not the signal's reason`,
      );
      assert.ok(
        'error' in rest,
        'after abort(), iterating chunks ended normally, as if the reply were complete',
      );
    },
  },
];
