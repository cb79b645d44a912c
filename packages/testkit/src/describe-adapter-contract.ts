import { describe, it } from 'vitest';
import { type ContractGroup, contractGroups } from './contract-case.js';
import { contractCases } from './contract-cases/index.js';
import { contractEnvironment, contractSkipReason } from './contract-environment.js';
import type { AdapterContractOptions } from './contract-types.js';
import { runContractCase } from './run-contract-case.js';

/** Default of `AdapterContractOptions.caseTimeoutMs`, in ms. */
export const DEFAULT_CASE_TIMEOUT_MS = 60_000;

/**
 * Calls `setup()` once while vitest collects the tests, to read the manifest and what setup provides
 * (so skipped cases are listed as skipped, with their reason), then closes the adapter and tears down.
 */
async function probeEnvironment(options: AdapterContractOptions) {
  const context = await options.setup();
  try {
    return contractEnvironment(context);
  } finally {
    try {
      await context.adapter.close?.();
    } finally {
      await context.teardown();
    }
  }
}

function assertKnownSkips(options: AdapterContractOptions): void {
  const known = new Set(contractCases.map((testCase) => testCase.id));
  const unknown = Object.keys(options.skip ?? {}).filter((id) => !known.has(id));
  if (unknown.length > 0) throw new RangeError(`skip names unknown contract case ids: ${unknown.join(', ')}`);
}

/** Declares one vitest suite with the cases of `groups`. */
function describeContract(options: AdapterContractOptions, groups: readonly ContractGroup[]): void {
  assertKnownSkips(options);
  const timeout = options.caseTimeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
  describe(`${options.name} adapter contract`, async () => {
    const environment = await probeEnvironment(options);
    for (const group of groups) {
      describe(group, () => {
        for (const testCase of contractCases.filter((candidate) => candidate.group === group)) {
          const reason = contractSkipReason(testCase, environment, options.skip);
          if (reason !== undefined) {
            it.skip(`${testCase.id} — skipped: ${reason}`, () => {});
            continue;
          }
          it(
            `${testCase.id} — ${testCase.title}`,
            async (test) => {
              const result = await runContractCase(testCase, options);
              if (result.status === 'failed') throw result.error;
              if (result.status === 'skipped') test.skip(result.reason);
            },
            timeout,
          );
        }
      });
    }
  });
}

/**
 * Declares the whole Switchboard adapter contract as a vitest suite: one test per case, in groups
 * (manifest, conversations, messages, realtime, errors, validation, secrets). `setup()` runs once at
 * collection (to read the manifest) and once per case; the suite creates `createMessenger(adapter)`,
 * runs the case, then calls `messenger.close()` and `teardown()`. Cases the manifest, `skip` or a
 * missing `faults`/`secrets`/`peer.participant`/`routeWebhooks` rule out are listed as
 * `'<id> — skipped: <reason>'`.
 *
 * @throws {RangeError} when `skip` names an unknown case id.
 * @example
 * ```ts
 * describeAdapterContract({
 *   name: 'memory',
 *   setup: async () => {
 *     const backend = await startMemoryBackend();
 *     const adapter = createMemoryAdapter({ baseUrl: backend.url, token: backend.token });
 *     return { adapter, peer: backend.peer, faults: backend.faults, secrets: [backend.token], teardown: backend.close };
 *   },
 * });
 * ```
 */
export function describeAdapterContract(options: AdapterContractOptions): void {
  describeContract(options, contractGroups);
}

/** The manifest group only: valid manifest, methods match, undeclared capabilities are refused. */
export function describeManifestContract(options: AdapterContractOptions): void {
  describeContract(options, ['manifest']);
}

/** The conversations group only: listing pages, get, open, delete, mute. */
export function describeConversationsContract(options: AdapterContractOptions): void {
  describeContract(options, ['conversations']);
}

/** The messages group only: send, history paging newest first, get, edit, delete, read, reactions, attachments. */
export function describeMessagesContract(options: AdapterContractOptions): void {
  describeContract(options, ['messages']);
}

/** The realtime group only: a peer's message reaches `'message'`; close leaves no sockets or timers. */
export function describeRealtimeContract(options: AdapterContractOptions): void {
  describeContract(options, ['realtime']);
}

/** The errors group only: 429, 5xx, 401, malformed bodies, resets map to the right errors and retries. */
export function describeErrorsContract(options: AdapterContractOptions): void {
  describeContract(options, ['errors']);
}

/** The validation group only: bad input is an `InvalidRequestError` with no request sent. */
export function describeValidationContract(options: AdapterContractOptions): void {
  describeContract(options, ['validation']);
}

/** The secrets group only: credentials never appear in errors or in the printed adapter. */
export function describeSecretsContract(options: AdapterContractOptions): void {
  describeContract(options, ['secrets']);
}
