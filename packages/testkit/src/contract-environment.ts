import { capabilitiesSchema } from '@switchboard/core';
import type { ContractCase, ContractEnvironment } from './contract-case.js';
import { requirementReason } from './contract-cases/requirements.js';
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
  const skipped = skip[testCase.id];
  if (skipped !== undefined) return skipped;
  if (environment.capabilities === undefined) {
    return testCase.id === 'manifest-valid'
      ? undefined
      : 'the capability manifest is invalid (see manifest-valid)';
  }
  return testCase.requires === undefined
    ? undefined
    : requirementReason(testCase.requires, environment.capabilities, environment);
}
