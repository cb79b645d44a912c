import { describe, expect, it } from 'vitest';
import { InvalidRequestError, ProviderUnavailableError, RateLimitError } from '../errors.js';
import {
  AttemptFailure,
  decideAttemptFailure,
  isSafeToRetry,
  mayHaveBeenProcessed,
  resolveRetryPolicy,
  retryDelayMs,
  withRetries,
} from './retry-policy.js';

const policy = resolveRetryPolicy({ retries: 2, minDelayMs: 10, maxDelayMs: 35, maxRetryAfterMs: 1000 });

describe('retry policy', () => {
  it('applies the defaults, and no retries when retry is false', () => {
    expect(resolveRetryPolicy(undefined)).toEqual({
      retries: 3,
      minDelayMs: 250,
      maxDelayMs: 10_000,
      maxRetryAfterMs: 60_000,
    });
    expect(resolveRetryPolicy(false).retries).toBe(0);
  });

  it('retries only what the provider certainly did not process, unless the request is idempotent', () => {
    const cases: Array<[Parameters<typeof isSafeToRetry>[0], boolean, boolean]> = [
      [{ transport: 'refused' }, true, true],
      [{ transport: 'reset' }, false, true],
      [{ transport: 'timeout' }, false, true],
      [{ status: 429 }, true, true],
      [{ status: 503 }, true, true],
      [{ status: 501 }, false, false],
      [{ status: 500 }, false, true],
      [{ status: 408 }, false, true],
      [{ status: 400 }, false, false],
    ];
    for (const [failure, asSend, asRead] of cases) {
      expect([isSafeToRetry(failure, false), isSafeToRetry(failure, true)], JSON.stringify(failure)).toEqual([
        asSend,
        asRead,
      ]);
    }
    expect(
      [{ transport: 'refused' }, { status: 503 }, { status: 501 }].map((f) =>
        mayHaveBeenProcessed(f as never),
      ),
    ).toEqual([false, false, false]);
    expect([{ transport: 'reset' }, { status: 502 }].map((f) => mayHaveBeenProcessed(f as never))).toEqual([
      true,
      true,
    ]);
  });

  it('decides when the failure is built: the error may veto, and a wait past maxRetryAfterMs ends the call', () => {
    const unavailable = new ProviderUnavailableError('down', { status: 503 });
    expect(decideAttemptFailure(unavailable, { status: 503 }, false, policy)).toMatchObject({
      retry: true,
      processed: false,
      error: unavailable,
    });
    const quota = new RateLimitError('quota', { retryable: false });
    expect(decideAttemptFailure(quota, { status: 429 }, true, policy).retry).toBe(false);
    const tooLong = new RateLimitError('later', { retryAfterMs: 5000 });
    expect(decideAttemptFailure(tooLong, { status: 429 }, true, policy).retry).toBe(false);
    const bad = new InvalidRequestError('bad');
    expect(decideAttemptFailure(bad, { status: 400 }, true, policy).retry).toBe(false);
  });

  it('has one delay: jittered exponential backoff capped at maxDelayMs, never shorter than retryAfterMs', () => {
    expect([0, 1, 2].map((n) => retryDelayMs(policy, n, undefined, () => 0))).toEqual([10, 20, 35]);
    expect(retryDelayMs(policy, 0, undefined, () => 0.999)).toBe(20);
    expect(retryDelayMs(policy, 0, 300, () => 0.5)).toBe(300);
    expect(retryDelayMs(policy, 2, 1, () => 0)).toBe(35);
  });
});

describe('withRetries', () => {
  const failing = (retry: boolean) => new AttemptFailure(new ProviderUnavailableError('down'), retry, false);

  it('runs again while the failure says so, up to the retries, then rejects with the last failure', async () => {
    let attempts = 0;
    const thrown = await withRetries(
      async () => {
        attempts += 1;
        throw failing(true);
      },
      policy,
      undefined,
    ).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(AttemptFailure);
    expect(attempts).toBe(3);
  });

  it('stops at once on a failure it may not retry, or anything else thrown', async () => {
    for (const error of [failing(false), new TypeError('bug')]) {
      let attempts = 0;
      const thrown = await withRetries(
        async () => {
          attempts += 1;
          throw error;
        },
        policy,
        undefined,
      ).catch((e: unknown) => e);
      expect([thrown, attempts]).toEqual([error, 1]);
    }
  });

  it('rejects with the abort reason when aborted during the wait', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped');
    const slow = { ...policy, minDelayMs: 60_000, maxDelayMs: 60_000 };
    const call = withRetries(
      async () => {
        queueMicrotask(() => controller.abort(reason));
        throw failing(true);
      },
      slow,
      controller.signal,
    );
    await expect(call).rejects.toBe(reason);
  });
});
