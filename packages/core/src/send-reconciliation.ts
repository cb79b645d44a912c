/**
 * "Did it happen?" for the Messenger: the `outcome` every error of a non-idempotent call carries,
 * and send reconciliation (resolving an ambiguous send by reading history back).
 * @module
 */
import type { CallOptions, ChatAdapter } from './chat-adapter.js';
import {
  errorClasses,
  type SwitchboardError,
  SwitchboardError as SwitchboardErrorClass,
  type SwitchboardErrorCode,
  setErrorOutcome,
} from './errors.js';
import type { Message, OutgoingMessage } from './model.js';

/** Codes that say the provider refused the call before acting on it. */
const CERTAINLY_NOT_APPLIED = new Set<SwitchboardErrorCode>([
  'invalid_request',
  'unsupported_operation',
  'authentication',
  'permission_denied',
  'not_found',
  'rate_limited',
]);

/**
 * Gives an error of a non-idempotent call its `outcome` when the adapter did not set one: the
 * codes that mean "refused before acting" (validation, auth, permission, not found, rate limit)
 * are `'not_applied'`, the others (5xx, timeout, network, invalid response) `'unknown'`.
 * Errors that are not `SwitchboardError`s (an abort reason) are returned untouched.
 */
export function withOutcome(error: unknown): unknown {
  if (!SwitchboardErrorClass.isInstance(error) || error.outcome !== undefined) return error;
  return setErrorOutcome(error, CERTAINLY_NOT_APPLIED.has(error.code) ? 'not_applied' : 'unknown');
}

/** Default of {@link ReconcileSettings.clockSkewMs}: 30 s. */
export const DEFAULT_RECONCILE_CLOCK_SKEW_MS = 30_000;
/** Default of {@link ReconcileSettings.settleMs}: 250 ms. */
export const DEFAULT_RECONCILE_SETTLE_MS = 250;
/** Pages of history read back at most (newest first) before giving up on proving absence. */
const MAX_PAGES = 3;

/** How reconciliation matches and waits. */
export interface ReconcileSettings {
  /** How far a message's `sentAt` may be before the attempt started, in milliseconds (provider clock skew). */
  clockSkewMs: number;
  /**
   * After a dropped connection, how long to wait before reading history, in milliseconds, so a
   * request the provider was still processing has landed.
   */
  settleMs: number;
  /** Page size of the history reads (the provider's largest). */
  pageSize: number;
}

/** Waits `ms` milliseconds; rejects when `signal` aborts. */
const delay = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      if (signal?.aborted) reject(signal.reason);
      else resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

const sameAttachments = (message: Message, outgoing: OutgoingMessage) => {
  const wanted = outgoing.attachments ?? [];
  if (message.attachments.length !== wanted.length) return false;
  return wanted.every((attachment, i) => {
    const got = message.attachments[i];
    return (
      got !== undefined && got.kind === attachment.kind && (got.name ?? attachment.name) === attachment.name
    );
  });
};

/**
 * Resolves a send that failed with `outcome: 'unknown'` by reading the conversation's newest
 * history back (up to 3 pages) and looking for the message: sent by us (`sender.isSelf`), same text,
 * same attachments (kind and name), `sentAt` not before the attempt started minus `clockSkewMs`, not
 * an id an earlier send of this Messenger already returned (`claimed`: id → when it was returned,
 * epoch ms), and newer than the first message of ours whose send had returned before this attempt
 * started (history is ordered by when the provider stored each message).
 * - found: returns it (the send succeeded);
 * - provably absent (the pages read reach back before the attempt — to such a returned message, to a
 *   message older than the attempt minus `clockSkewMs`, or to the start of history — and the failure was an answer or
 *   a dropped connection, not a timeout that may still be processing): throws a retryable copy of
 *   the error with `outcome: 'not_applied'` and the original as `cause`;
 * - otherwise (history unreadable, a timeout, a window not covered): throws the original error.
 */
export async function reconcileSend(
  adapter: ChatAdapter,
  conversationId: string,
  outgoing: OutgoingMessage,
  startedAt: number,
  original: SwitchboardError,
  claimed: ReadonlyMap<string, number>,
  settings: ReconcileSettings,
  options: CallOptions | undefined,
): Promise<Message> {
  const list = adapter.listMessages?.bind(adapter);
  const signal = options?.signal;
  if (!list || signal?.aborted) throw original;
  try {
    if (original.code === 'network' && settings.settleMs > 0) await delay(settings.settleMs, signal);
    const since = startedAt - settings.clockSkewMs;
    let cursor: string | undefined;
    let covered = false;
    for (let page = 0; page < MAX_PAGES && !covered; page += 1) {
      const params =
        cursor === undefined ? { limit: settings.pageSize } : { limit: settings.pageSize, cursor };
      const result = await list(conversationId, params, signal ? { signal } : {});
      // Newest first. Our message, if stored, is newer than any message whose send returned before
      // this attempt started: that message bounds the search.
      let items = result.items;
      const boundary = items.findIndex((message) => (claimed.get(message.id) ?? startedAt) < startedAt);
      if (boundary >= 0) {
        items = items.slice(0, boundary);
        covered = true;
      }
      const candidates = items.filter(
        (message) =>
          message.sender.isSelf &&
          message.text === outgoing.text &&
          sameAttachments(message, outgoing) &&
          message.sentAt.getTime() >= since &&
          !claimed.has(message.id),
      );
      // The oldest candidate is the closest to our attempt.
      const found = candidates.at(-1);
      if (found) return found;
      const oldest = result.items.at(-1);
      covered ||=
        result.nextCursor === undefined || (oldest !== undefined && oldest.sentAt.getTime() < since);
      cursor = result.nextCursor;
    }
    if (!covered || original.code === 'timeout') throw original;
  } catch (error) {
    if (error === original) throw original;
    // History could not be read (or the caller aborted): the outcome stays unknown.
    throw original;
  }
  const Class = errorClasses[original.code];
  const notSent = new Class(
    `${original.message.replace(/\s*The request may have been processed: check before sending it again\.?/, '')} ` +
      'Checked in the conversation history: the message was not sent, so sending it again is safe.',
    {
      provider: original.provider,
      retryable: true,
      outcome: 'not_applied',
      cause: original,
      ...(original.status === undefined ? {} : { status: original.status }),
      ...(original.method === undefined ? {} : { method: original.method }),
      ...(original.url === undefined ? {} : { url: original.url }),
      ...(original.providerCode === undefined ? {} : { providerCode: original.providerCode }),
      ...(original.retryAfterMs === undefined ? {} : { retryAfterMs: original.retryAfterMs }),
    },
  );
  throw notSent;
}
