import assert from 'node:assert/strict';
import {
  AuthenticationError,
  hasCapability,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  PermissionDeniedError,
  ProviderUnavailableError,
  RateLimitError,
  SwitchboardError,
  type SwitchboardErrorClass,
} from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import type { Fault } from '../faults/index.js';
import { describeThrown, settle } from './contract-assert.js';
import {
  describeFault,
  type ProbeCall,
  prepareProbe,
  RETRY_AFTER_MS,
  serverErrorStatus,
} from './fault-probe.js';
import { uniqueText } from './fixtures.js';
import { declaredOperations, type OperationTarget } from './operations.js';
import { faultsOf, withinRequestBudget } from './requests.js';
import { withFaults } from './requirements.js';

/** Timer slack allowed when checking that a retry waited for `Retry-After`, in ms. */
const TIMER_SLACK_MS = 50;
/** Requests a call may send while a fault persists (first attempt plus bounded retries). */
const RETRY_BUDGET = 10;
/** Requests a call may send on a persistent 401: the call, one refresh, one re-login, one retry. */
const AUTH_BUDGET = 4;

/** Expects `probe` to fail with `errorClass` while `fault` persists, within `budget` requests. */
async function expectPersistentFailure<E extends SwitchboardError>(
  context: ContractCaseContext,
  probe: ProbeCall,
  fault: Fault,
  errorClass: SwitchboardErrorClass & { prototype: E },
  budget = RETRY_BUDGET,
): Promise<{ error: E; requests: number }> {
  const faults = faultsOf(context);
  faults.inject({ fault, times: Number.POSITIVE_INFINITY });
  const what = `${probe.name}() while every request gets ${describeFault(fault)}`;
  const outcome = await withinRequestBudget(faults, budget, what, probe.call);
  assert.ok('error' in outcome, `${what}: resolved; expected ${errorClass.name}`);
  assert.ok(
    errorClass.isInstance(outcome.error),
    `${what}: expected ${errorClass.name}, got ${describeThrown(outcome.error)}`,
  );
  return { error: outcome.error as E, requests: outcome.requests };
}

/**
 * An errors case whose only check is {@link expectPersistentFailure} on the probe call: while `fault`
 * persists, the call ends in `errorClass` within `budget` requests.
 */
function persistentFailureCase(
  id: string,
  title: string,
  fault: Fault,
  errorClass: SwitchboardErrorClass,
  budget = RETRY_BUDGET,
): ContractCase {
  return {
    id,
    group: 'errors',
    title,
    requires: withFaults,
    async run(context) {
      const probe = await prepareProbe(context);
      await expectPersistentFailure(context, probe, fault, errorClass, budget);
    },
  };
}

/** Expects `probe` to succeed after `fault` hit its first request only. */
async function expectRecovery(context: ContractCaseContext, probe: ProbeCall, fault: Fault) {
  const faults = faultsOf(context);
  faults.inject({ fault, times: 1 });
  const what = `${probe.name}() after one ${describeFault(fault)}`;
  const started = performance.now();
  const outcome = await withinRequestBudget(faults, RETRY_BUDGET, what, probe.call);
  assert.ok(
    !('error' in outcome),
    `${what}: failed (${'error' in outcome ? describeThrown(outcome.error) : ''}); expected a retry that succeeds`,
  );
  assert.ok(
    outcome.requests >= 2,
    `${what}: sent ${outcome.requests} request(s); expected the faulted one to be retried`,
  );
  return { elapsedMs: performance.now() - started, requests: outcome.requests };
}

/** Faults every operation is driven into by `errors-are-switchboard-errors`: none of them is retried for long. */
const MAPPING_FAULTS: readonly Fault[] = [
  { kind: 'status', status: 400 },
  { kind: 'status', status: 401 },
  { kind: 'status', status: 404 },
  { kind: 'malformed' },
];

/** The error class each client-error status must map to. */
const STATUS_CLASSES: ReadonlyArray<[number, SwitchboardErrorClass]> = [
  [400, InvalidRequestError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
];

/** Counts the messages with exactly `text` in the conversation: history's newest page, else the backend. */
async function copiesOf(context: ContractCaseContext, conversationId: string, text: string) {
  const counts: Array<[string, number]> = [];
  if (context.peer.readMessages) {
    const stored = await context.peer.readMessages(conversationId);
    counts.push(['peer.readMessages (backend)', stored.filter((m) => m.text === text && !m.deleted).length]);
  }
  if (hasCapability(context.capabilities, 'listMessages')) {
    const page = await context.messenger.listMessages(conversationId);
    counts.push(['listMessages', page.items.filter((m) => m.text === text && !m.deleted).length]);
  }
  return counts;
}

/** The errors group: each fault maps to the right error class with the right retry behaviour. */
export const errorsCases: readonly ContractCase[] = [
  {
    id: 'rate-limit-retried-after-delay',
    group: 'errors',
    title: `a 429 with retry-after (${RETRY_AFTER_MS} ms) is retried no sooner than asked, and the call succeeds`,
    requires: withFaults,
    async run(context) {
      const probe = await prepareProbe(context);
      const { elapsedMs } = await expectRecovery(context, probe, {
        kind: 'rate-limit',
        retryAfterMs: RETRY_AFTER_MS,
      });
      assert.ok(
        elapsedMs >= RETRY_AFTER_MS - TIMER_SLACK_MS,
        `${probe.name}() retried after ${Math.round(elapsedMs)} ms; the 429 said to wait ${RETRY_AFTER_MS} ms`,
      );
    },
  },
  {
    id: 'rate-limit-exhausted',
    group: 'errors',
    title: 'a 429 that persists ends in RateLimitError carrying retryAfterMs, after bounded retries',
    requires: withFaults,
    async run(context) {
      const probe = await prepareProbe(context);
      const { error } = await expectPersistentFailure(
        context,
        probe,
        { kind: 'rate-limit', retryAfterMs: RETRY_AFTER_MS },
        RateLimitError,
      );
      // In milliseconds: a value in seconds (1) or far below what the 429 said fails.
      assert.ok(
        error.retryAfterMs !== undefined &&
          error.retryAfterMs >= RETRY_AFTER_MS / 4 &&
          error.retryAfterMs <= 5 * RETRY_AFTER_MS,
        `RateLimitError.retryAfterMs is ${error.retryAfterMs}; the 429 said ${RETRY_AFTER_MS} ms (retryAfterMs is in milliseconds)`,
      );
      assert.equal(error.retryable, true, 'RateLimitError.retryable is not true');
    },
  },
  {
    id: 'server-error-retried',
    group: 'errors',
    title: 'one 5xx (500 on a read, 503 on a send) is retried and the call succeeds',
    requires: withFaults,
    async run(context) {
      const probe = await prepareProbe(context);
      await expectRecovery(context, probe, { kind: 'status', status: serverErrorStatus(probe) });
    },
  },
  {
    id: 'server-error-exhausted',
    group: 'errors',
    title: 'a 5xx that persists is retried, then ends in ProviderUnavailableError',
    requires: withFaults,
    async run(context) {
      const probe = await prepareProbe(context);
      const status = serverErrorStatus(probe);
      const { error, requests } = await expectPersistentFailure(
        context,
        probe,
        { kind: 'status', status },
        ProviderUnavailableError,
      );
      assert.ok(requests >= 2, `${probe.name}() was not retried on HTTP ${status}`);
      assert.equal(
        error.status,
        status,
        `ProviderUnavailableError.status is ${error.status}, expected ${status}`,
      );
      assert.equal(error.retryable, true, 'ProviderUnavailableError.retryable is not true');
    },
  },
  persistentFailureCase(
    'auth-failure-after-one-refresh',
    `a 401 that persists ends in AuthenticationError after at most one refresh/re-login (≤ ${AUTH_BUDGET} requests)`,
    { kind: 'status', status: 401 },
    AuthenticationError,
    AUTH_BUDGET,
  ),
  persistentFailureCase(
    'malformed-response',
    'a 200 whose body is not what the API documents ends in InvalidResponseError',
    { kind: 'malformed' },
    InvalidResponseError,
  ),
  persistentFailureCase(
    'connection-reset',
    'connections reset before any response end in NetworkError, after bounded retries',
    { kind: 'reset' },
    NetworkError,
  ),
  {
    id: 'errors-map-by-status',
    group: 'errors',
    title:
      "a persistent 400, 403 or 404 (or the provider profile's own not-found answer) on the probe call and on send ends in InvalidRequestError, PermissionDeniedError, NotFoundError respectively: not retryable, this provider, that status",
    requires: withFaults,
    async run(context) {
      const probe = await prepareProbe(context);
      const conversationId = await context.peer.startConversation();
      const send = {
        name: 'send',
        idempotent: false,
        call: () => context.messenger.send(conversationId, uniqueText('status')),
      };
      const { notFound } = faultsOf(context).profile;
      for (const call of probe.name === 'send' ? [probe] : [probe, send]) {
        for (const [httpStatus, errorClass] of STATUS_CLASSES) {
          // The provider's own "does not exist" answer where it is not a plain 404 (XRPC: 400 InvalidConvo).
          const fault: Fault =
            httpStatus === 404 && notFound
              ? { kind: 'status', status: notFound.status, body: notFound.body }
              : { kind: 'status', status: httpStatus };
          const status = fault.kind === 'status' ? fault.status : httpStatus;
          const { error } = await expectPersistentFailure(context, call, fault, errorClass);
          faultsOf(context).clear();
          assert.equal(error.retryable, false, `${call.name}() under HTTP ${status}: retryable is not false`);
          assert.equal(
            error.provider,
            context.adapter.provider,
            `${call.name}() under HTTP ${status}: error.provider is not adapter.provider`,
          );
          if (error.status !== undefined)
            assert.equal(
              error.status,
              status,
              `${call.name}() under HTTP ${status}: error.status is ${error.status}`,
            );
        }
      }
    },
  },
  {
    id: 'send-ambiguous-no-duplicate',
    group: 'errors',
    title:
      'a send whose answer is lost after the provider stored it (reset after processing) either resolves with exactly one stored copy, or rejects with retryable false (outcome unknown); never two copies',
    requires: withFaults,
    async run(context) {
      const { messenger, peer } = context;
      const faults = faultsOf(context);
      const conversationId = await peer.startConversation();
      // Log in, resolve ids and fill caches first, so the faulted request is the send itself.
      await messenger.send(conversationId, uniqueText('warm up'));
      if (!peer.readMessages && !hasCapability(context.capabilities, 'listMessages'))
        context.notChecked('no way to count stored copies: no listMessages and no `peer.readMessages`');
      const text = uniqueText('ambiguous');
      faults.inject({ fault: { kind: 'reset-after-processing' }, times: 1 });
      const outcome = await settle(messenger.send(conversationId, text));
      faults.clear();
      const counts = await copiesOf(context, conversationId, text);
      for (const [source, copies] of counts)
        assert.ok(
          copies <= 1,
          `${source}: the message is stored ${copies} times (the send was posted again after its answer was lost)`,
        );
      if ('value' in outcome) {
        for (const [source, copies] of counts)
          assert.equal(copies, 1, `${source}: send resolved but the message is stored ${copies} times`);
        return;
      }
      const error = outcome.error;
      assert.ok(
        SwitchboardError.isInstance(error),
        `send rejected with ${describeThrown(error)}, not a SwitchboardError`,
      );
      assert.equal(
        error.retryable,
        false,
        `send rejected with ${describeThrown(error)} and retryable true, but the message may have been stored: a retry could duplicate it`,
      );
      const recorded = (error as { outcome?: unknown }).outcome;
      if (recorded !== undefined)
        assert.equal(
          recorded,
          'unknown',
          `the ambiguous send's error says outcome ${JSON.stringify(recorded)}`,
        );
    },
  },
  {
    id: 'errors-are-switchboard-errors',
    group: 'errors',
    title:
      'under 400/401/404/malformed faults every declared operation, called on the adapter directly and through the Messenger, rejects only with SwitchboardErrors of this provider',
    requires: withFaults,
    async run(context) {
      const { adapter, messenger, peer, capabilities } = context;
      const faults = faultsOf(context);
      const conversationId = await peer.startConversation();
      const sent = await messenger.send(conversationId, uniqueText('errors'));
      const target: OperationTarget = {
        conversationId,
        messageId: sent.id,
        participant: peer.participant ?? 'contract-participant',
        text: uniqueText('errors'),
      };
      const calls: Array<[string, () => Promise<unknown> | undefined]> = [
        ['adapter.connect()', () => adapter.connect?.()],
        ...declaredOperations(capabilities).flatMap(
          (operation): Array<[string, () => Promise<unknown> | undefined]> => [
            [`adapter.${operation.name}()`, () => operation.viaAdapter(adapter, target)],
            [`messenger: ${operation.name}()`, () => operation.viaMessenger(messenger, target)],
          ],
        ),
      ];
      for (const fault of MAPPING_FAULTS) {
        const rule = faults.inject({ fault, times: Number.POSITIVE_INFINITY });
        for (const [name, call] of calls) {
          const pending = call();
          if (pending === undefined) continue;
          const outcome = await settle(pending);
          if (!('error' in outcome)) continue;
          const what = `${name} under ${describeFault(fault)}`;
          assert.ok(
            SwitchboardError.isInstance(outcome.error),
            `${what} threw ${describeThrown(outcome.error)}, which is not a SwitchboardError`,
          );
          assert.equal(
            outcome.error.provider,
            adapter.provider,
            `${what}: error.provider is not adapter.provider`,
          );
        }
        rule.remove();
      }
    },
  },
];
