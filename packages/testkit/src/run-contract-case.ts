import { type ChatAdapter, createMessenger, type Messenger } from '@switchboard/core';
import { type ContractCase, ContractNotChecked } from './contract-case.js';
import { type ResourceTracker, trackResources } from './contract-cases/resource-tracker.js';
import { contractCaseVerdict, contractEnvironment } from './contract-environment.js';
import type { AdapterContractOptions } from './contract-types.js';

/** Default of `AdapterContractOptions.realtimeTimeoutMs`, in ms. */
export const DEFAULT_REALTIME_TIMEOUT_MS = 5_000;

/**
 * How one case ended. `'skipped'`: the case does not apply (manifest, `skip` option);
 * `'not-checked'`: it applies but its scenario could not be set up here (see `CaseVerdict`).
 */
export type ContractCaseResult =
  | { status: 'passed' }
  | { status: 'skipped'; reason: string }
  | { status: 'not-checked'; reason: string }
  | { status: 'failed'; error: unknown };

/**
 * Runs one contract case without a test runner: `setup()`, the skip decision on the real adapter,
 * `createMessenger(adapter)`, the case, then `messenger.close()` and `teardown()` (always, also when
 * the case failed). Never throws: a failure, including one in setup or shutdown, is the result.
 *
 * @example Prove a case catches a broken adapter
 * ```ts
 * const result = await runContractCase(caseById('history-newest-first-default-page-size'), { name, setup });
 * expect(result.status).toBe('failed');
 * ```
 */
export async function runContractCase(
  testCase: ContractCase,
  options: AdapterContractOptions,
): Promise<ContractCaseResult> {
  const resources = testCase.tracksResources ? trackResources() : undefined;
  try {
    return await setUpAndRun(testCase, options, resources);
  } finally {
    resources?.stop();
  }
}

async function setUpAndRun(
  testCase: ContractCase,
  options: AdapterContractOptions,
  resources: ResourceTracker | undefined,
): Promise<ContractCaseResult> {
  let context: Awaited<ReturnType<AdapterContractOptions['setup']>>;
  try {
    context = await options.setup();
  } catch (error) {
    return { status: 'failed', error };
  }
  let messenger: Messenger | undefined;
  const observers: ChatAdapter[] = [];
  let shutdownRun: Promise<void> | undefined;
  const shutdown = () => {
    shutdownRun ??= (async () => {
      context.faults?.clear();
      try {
        await Promise.all(observers.map((observer) => observer.close?.()));
        await (messenger ? messenger.close() : context.adapter.close?.());
      } finally {
        await context.teardown();
      }
    })();
    return shutdownRun;
  };
  const openSecondAdapter = async () => {
    if (!context.secondAdapter) return undefined;
    const observer = await context.secondAdapter();
    observers.push(observer);
    await observer.connect?.();
    return observer;
  };

  let result: ContractCaseResult;
  try {
    const verdict = contractCaseVerdict(testCase, contractEnvironment(context), options.skip);
    if (verdict !== undefined) {
      result =
        verdict.outcome === 'skipped'
          ? { status: 'skipped', reason: verdict.reason }
          : { status: 'not-checked', reason: verdict.reason };
    } else {
      const created = createMessenger(context.adapter);
      messenger = created;
      await context.routeWebhooks?.((request) => created.handleWebhook(request));
      await testCase.run({
        ...context,
        messenger: created,
        capabilities: created.capabilities,
        secrets: context.secrets ?? [],
        realtimeTimeoutMs: options.realtimeTimeoutMs ?? DEFAULT_REALTIME_TIMEOUT_MS,
        resources,
        shutdown,
        peers: context.peers ?? [],
        notChecked: (reason) => {
          throw new ContractNotChecked(reason);
        },
        openSecondAdapter,
      });
      result = { status: 'passed' };
    }
  } catch (error) {
    result =
      error instanceof ContractNotChecked
        ? { status: 'not-checked', reason: error.reason }
        : { status: 'failed', error };
  }
  try {
    await shutdown();
  } catch (error) {
    if (result.status !== 'failed') result = { status: 'failed', error };
  }
  return result;
}
