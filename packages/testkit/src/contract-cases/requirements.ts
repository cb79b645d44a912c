import { type Capabilities, type CapabilityName, hasCapability } from '@switchboard/core';
import type { CaseRequirement, ContractEnvironment } from '../contract-case.js';

type RequirementFn = (capabilities: Capabilities, environment: ContractEnvironment) => string | undefined;

/** Runs when the manifest declares `capability`. */
export const declared =
  (capability: CapabilityName): RequirementFn =>
  (capabilities) =>
    hasCapability(capabilities, capability) ? undefined : `capability '${capability}' is not declared`;

/** Runs when the manifest does not declare `capability` (the other direction of the same capability). */
export const undeclared =
  (capability: CapabilityName): RequirementFn =>
  (capabilities) =>
    hasCapability(capabilities, capability)
      ? `capability '${capability}' is declared (its working case runs instead)`
      : undefined;

/** Runs when `setup()` returned a fault kit. */
export const withFaults: RequirementFn = (_capabilities, environment) =>
  environment.faults ? undefined : 'setup() returned no `faults` (fault injection)';

/** Runs when `setup()` returned the credentials given to the adapter. */
export const withSecrets: RequirementFn = (_capabilities, environment) =>
  environment.secrets ? undefined : 'setup() returned no `secrets` (the credentials given to the adapter)';

/** Runs when the peer names a participant `openConversation` accepts. */
export const withParticipant: RequirementFn = (_capabilities, environment) =>
  environment.participant ? undefined : 'peer.participant is not set';

/** Why realtime cannot be exercised: not declared, or webhooks with no way to route them to the Messenger. */
export function realtimeSkipReason(
  capabilities: Capabilities,
  canRouteWebhooks: boolean,
): string | undefined {
  if (!hasCapability(capabilities, 'realtime')) return `capability 'realtime' is not declared`;
  if (capabilities.realtime === 'webhook' && !canRouteWebhooks)
    return 'realtime is webhook but setup() returned no `routeWebhooks`';
  return undefined;
}

/** Runs when the manifest declares realtime and, for webhook adapters, `setup()` can route webhooks. */
export const withRealtime: RequirementFn = (capabilities, environment) =>
  realtimeSkipReason(capabilities, environment.webhooks);

/** Runs when every requirement holds; the first failing one gives the skip reason. */
export function allOf(...requirements: CaseRequirement[]): RequirementFn {
  return (capabilities, environment) => {
    for (const requirement of requirements) {
      const reason = requirementReason(requirement, capabilities, environment);
      if (reason !== undefined) return reason;
    }
    return undefined;
  };
}

/** Runs when at least one requirement holds; otherwise the reasons are joined. */
export function anyOf(...requirements: CaseRequirement[]): RequirementFn {
  return (capabilities, environment) => {
    const reasons: string[] = [];
    for (const requirement of requirements) {
      const reason = requirementReason(requirement, capabilities, environment);
      if (reason === undefined) return undefined;
      reasons.push(reason);
    }
    return reasons.join(' and ');
  };
}

/** The reason a requirement does not hold, or `undefined` when it does. */
export function requirementReason(
  requirement: CaseRequirement,
  capabilities: Capabilities,
  environment: ContractEnvironment,
): string | undefined {
  return typeof requirement === 'string'
    ? declared(requirement)(capabilities, environment)
    : requirement(capabilities, environment);
}
