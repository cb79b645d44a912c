import { afterAll, describe, it } from 'vitest';
import { type ContractGroup, contractGroups } from './contract-case.js';
import { contractCases } from './contract-cases/index.js';
import { contractCaseVerdict, contractEnvironment } from './contract-environment.js';
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

/** Title marker of a case that applies but whose scenario could not be set up (never a pass). */
export const NOT_CHECKED = 'NOT CHECKED';

/** Outcomes of one suite run, for its closing summary line. */
interface ContractTally {
  passed: string[];
  failed: string[];
  notChecked: string[];
  skipped: string[];
}

/** The closing line of a suite run, e.g. `[contract] memory: 60 passed, 0 failed, 2 NOT CHECKED (a, b), 14 skipped`. */
export function contractSummaryLine(name: string, tally: ContractTally): string {
  const notChecked = tally.notChecked.length
    ? `${tally.notChecked.length} ${NOT_CHECKED} (${tally.notChecked.join(', ')})`
    : `0 not checked`;
  return `[contract] ${name}: ${tally.passed.length} passed, ${tally.failed.length} failed, ${notChecked}, ${tally.skipped.length} skipped (not applicable)`;
}

/** Declares one vitest suite with the cases of `groups`. */
function describeContract(options: AdapterContractOptions, groups: readonly ContractGroup[]): void {
  assertKnownSkips(options);
  const timeout = options.caseTimeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
  describe(`${options.name} adapter contract`, async () => {
    const environment = await probeEnvironment(options);
    const tally: ContractTally = { passed: [], failed: [], notChecked: [], skipped: [] };
    afterAll(() => {
      // One line per run, so a "not checked" case cannot hide among the skipped ones.
      console.log(contractSummaryLine(options.name, tally));
    });
    for (const group of groups) {
      describe(group, () => {
        for (const testCase of contractCases.filter((candidate) => candidate.group === group)) {
          const verdict = contractCaseVerdict(testCase, environment, options.skip);
          if (verdict?.outcome === 'skipped') {
            tally.skipped.push(testCase.id);
            it.skip(`${testCase.id} — skipped: ${verdict.reason}`, () => {});
            continue;
          }
          if (verdict?.outcome === 'not-checked') {
            tally.notChecked.push(testCase.id);
            it.skip(`${testCase.id} — ${NOT_CHECKED}: ${verdict.reason}`, () => {});
            continue;
          }
          it(
            `${testCase.id} — ${testCase.title}`,
            async (test) => {
              const result = await runContractCase(testCase, options);
              if (result.status === 'failed') {
                tally.failed.push(testCase.id);
                throw result.error;
              }
              if (result.status === 'passed') tally.passed.push(testCase.id);
              if (result.status === 'skipped') {
                tally.skipped.push(testCase.id);
                test.skip(`skipped: ${result.reason}`);
              }
              if (result.status === 'not-checked') {
                tally.notChecked.push(testCase.id);
                await test.annotate(result.reason, NOT_CHECKED);
                test.skip(`${NOT_CHECKED}: ${result.reason}`);
              }
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
 * runs the case, then calls `messenger.close()` and `teardown()`. Cases the manifest or `skip` rule
 * out are listed as `'<id> — skipped: <reason>'`; cases whose scenario cannot be set up (a missing
 * `faults`/`secrets`/`peer.participant`/`routeWebhooks`/`peer.readMessages`/`peers`/`secondAdapter`,
 * or a backend that cannot build it) as `'<id> — NOT CHECKED: <reason>'` (vitest: skipped, with a
 * `NOT CHECKED` annotation when found at run time), and every run ends with one summary line
 * `[contract] <name>: N passed, N failed, N NOT CHECKED (ids), N skipped (not applicable)`.
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
