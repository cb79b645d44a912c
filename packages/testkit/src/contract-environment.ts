import { capabilitiesSchema } from '@switchboard/core';
import type { CaseVerdict, ContractCase, ContractEnvironment } from './contract-case.js';
import { asVerdict, requirementReason } from './contract-cases/requirements.js';
import type { ContractContext } from './contract-types.js';

/** Reads what a `setup()` result provides: the validated manifest and the optional parts. */
export function contractEnvironment(context: ContractContext): ContractEnvironment {
  const parsed = capabilitiesSchema.safeParse(context.adapter.capabilities);
  return {
    capabilities: parsed.success ? parsed.data : undefined,
    faults: context.faults !== undefined,
    secrets: (context.secrets?.length ?? 0) > 0,
    participant: context.peer.participant !== undefined,
    webhooks: context.routeWebhooks !== undefined,
    backendReads: context.peer.readMessages !== undefined,
    peers: 1 + (context.peers?.length ?? 0),
    secondAdapter: context.secondAdapter !== undefined,
  };
}

/**
 * Why `testCase` is skipped in `environment` (`undefined`: it runs). In order: the caller's `skip`
 * option, an invalid manifest (only `manifest-valid` runs then), the case's requirement.
 */
export function contractSkipReason(
  testCase: ContractCase,
  environment: ContractEnvironment,
  skip: Readonly<Record<string, string>> = {},
): string | undefined {
  return contractCaseVerdict(testCase, environment, skip)?.reason;
}

/**
 * Whether `testCase` runs in `environment` (`undefined`) or why not: `'skipped'` (the caller's `skip`,
 * an invalid manifest, a manifest that rules it out) or `'not-checked'` (`setup()` lacks what the
 * scenario needs: faults, secrets, a participant, webhooks routing, backend reads, observers).
 */
export function contractCaseVerdict(
  testCase: ContractCase,
  environment: ContractEnvironment,
  skip: Readonly<Record<string, string>> = {},
): CaseVerdict | undefined {
  const skipped = skip[testCase.id];
  if (skipped !== undefined) return { outcome: 'skipped', reason: skipped };
  if (environment.capabilities === undefined) {
    return testCase.id === 'manifest-valid'
      ? undefined
      : { outcome: 'skipped', reason: 'the capability manifest is invalid (see manifest-valid)' };
  }
  if (testCase.requires === undefined) return undefined;
  const reason = requirementReason(testCase.requires, environment.capabilities, environment);
  return reason === undefined ? undefined : asVerdict(reason);
}
