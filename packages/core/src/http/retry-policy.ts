/**
 * When the HTTP client retries, and how long it waits: the decision is taken once, when an attempt's
 * error is built ({@link decideAttemptFailure}), and p-retry runs the attempts with one delay
 * function ({@link retryDelayMs}).
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import type { SwitchboardError } from '../errors.js';
import type { RetryOptions } from './http-client-types.js';
import type { TransportFailure } from './map-http-error.js';

/** The retry options with their defaults applied; `retries: 0` when retries are off. */
export interface RetryPolicy {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

/** Applies the defaults of {@link RetryOptions}: 3 retries, 250 ms to 10 000 ms, waits up to 60 000 ms. */
export function resolveRetryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  const retry = options === false ? undefined : (options ?? {});
  return {
    retries: retry ? (retry.retries ?? 3) : 0,
    minDelayMs: retry?.minDelayMs ?? 250,
    maxDelayMs: retry?.maxDelayMs ?? 10_000,
    maxRetryAfterMs: retry?.maxRetryAfterMs ?? 60_000,
  };
}

/** What the wire said about a failed attempt: no response (how it failed), or an error status. */
export type WireFailure = { transport: TransportFailure } | { status: number };

/**
 * Whether the provider may have processed the request (`false`: it certainly did not): a timeout or
 * a reset after the request was written, a 5xx other than 501 and 503.
 */
export function mayHaveBeenProcessed(failure: WireFailure): boolean {
  if ('transport' in failure) return failure.transport !== 'refused';
  return failure.status >= 500 && failure.status !== 501 && failure.status !== 503;
}

/**
 * Whether repeating the request after this failure is safe and useful: a refused connection, 429
 * and 503 always (the provider did not process it); a timeout, a reset, 408 and a 5xx other than
 * 501 only when the request is idempotent.
 */
export function isSafeToRetry(failure: WireFailure, idempotent: boolean): boolean {
  if ('transport' in failure) return failure.transport === 'refused' || idempotent;
  const { status } = failure;
  if (status === 429 || status === 503) return true;
  if (status === 501) return false;
  return idempotent && (status >= 500 || status === 408);
}

/**
 * A failed attempt as the retry loop sees it: the mapped (secret-free) error, whether to try again,
 * and whether the provider may have processed the request. Internal to the client: callers get
 * `error`.
 */
export class AttemptFailure extends Error {
  constructor(
    readonly error: SwitchboardError,
    readonly retry: boolean,
    readonly processed: boolean,
  ) {
    super(error.message);
    this.name = 'AttemptFailure';
  }
}

/**
 * Decides, when an attempt's error is built, whether it is retried: the error allows it (a provider
 * mapping may veto, e.g. an exhausted quota answered with 429), {@link isSafeToRetry} holds, and the
 * wait the provider asked for (`retryAfterMs`) is within `maxRetryAfterMs` (past it the call fails
 * at once with that `retryAfterMs`).
 */
export function decideAttemptFailure(
  error: SwitchboardError,
  failure: WireFailure,
  idempotent: boolean,
  policy: RetryPolicy,
): AttemptFailure {
  const retry =
    error.retryable &&
    isSafeToRetry(failure, idempotent) &&
    (error.retryAfterMs === undefined || error.retryAfterMs <= policy.maxRetryAfterMs);
  return new AttemptFailure(error, retry, mayHaveBeenProcessed(failure));
}

/**
 * The one delay before retry number `retriesConsumed + 1`, in milliseconds: exponential backoff with
 * jitter (`minDelayMs × 2^retriesConsumed × 1–2`, at most `maxDelayMs`), and never shorter than the
 * wait the provider asked for (`retryAfterMs`).
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retriesConsumed: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const backoff = Math.min(
    policy.maxDelayMs,
    Math.round((1 + random()) * policy.minDelayMs * 2 ** retriesConsumed),
  );
  return Math.max(backoff, retryAfterMs ?? 0);
}

/**
 * Runs `attempt` with p-retry: again after each {@link AttemptFailure} whose `retry` is set, up to
 * `policy.retries` times, waiting {@link retryDelayMs} in between. Rejects with the last failure
 * (or what else `attempt` threw), or with `signal.reason` when aborted during a wait. The wait keeps
 * its timer referenced: a call waiting out a backoff keeps the process alive until it settles.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (policy.retries <= 0) return attempt();
  return pRetry(attempt, {
    retries: policy.retries,
    // p-retry's own backoff is off: the wait is retryDelayMs, taken in shouldRetry.
    minTimeout: 0,
    signal,
    shouldRetry: async ({ error, retriesConsumed }) => {
      if (!(error instanceof AttemptFailure) || !error.retry) return false;
      try {
        await sleep(retryDelayMs(policy, retriesConsumed, error.error.retryAfterMs), undefined, { signal });
      } catch (aborted) {
        throw signal?.aborted ? signal.reason : aborted;
      }
      return true;
    },
  });
}
