import { createMessenger, type Messenger } from '@switchboard/core';
import type { ContractCase } from './contract-case.js';
import { type ResourceTracker, trackResources } from './contract-cases/resource-tracker.js';
import { contractEnvironment, contractSkipReason } from './contract-environment.js';
import type { AdapterContractOptions } from './contract-types.js';

/** Default of `AdapterContractOptions.realtimeTimeoutMs`, in ms. */
export const DEFAULT_REALTIME_TIMEOUT_MS = 5_000;

/** How one case ended. */
export type ContractCaseResult =
  | { status: 'passed' }
  | { status: 'skipped'; reason: string }
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
  let shutdownRun: Promise<void> | undefined;
  const shutdown = () => {
    shutdownRun ??= (async () => {
      context.faults?.clear();
      try {
        await (messenger ? messenger.close() : context.adapter.close?.());
      } finally {
        await context.teardown();
      }
    })();
    return shutdownRun;
  };

  let result: ContractCaseResult;
  try {
    const reason = contractSkipReason(testCase, contractEnvironment(context), options.skip);
    if (reason !== undefined) {
      result = { status: 'skipped', reason };
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
      });
      result = { status: 'passed' };
    }
  } catch (error) {
    result = { status: 'failed', error };
  }
  try {
    await shutdown();
  } catch (error) {
    if (result.status !== 'failed') result = { status: 'failed', error };
  }
  return result;
}
