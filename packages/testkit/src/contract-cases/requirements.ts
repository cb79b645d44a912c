import { type Capabilities, type CapabilityName, hasCapability } from '@switchboard/core';
import type { CaseRequirement, CaseVerdict, ContractEnvironment } from '../contract-case.js';

type RequirementFn = (
  capabilities: Capabilities,
  environment: ContractEnvironment,
) => string | CaseVerdict | undefined;

/** A requirement that fails because `setup()` cannot build the scenario: the case is "not checked". */
export const notCheckedBecause = (reason: string): CaseVerdict => ({ outcome: 'not-checked', reason });

/** A reason (skipped) or verdict as a verdict. */
export const asVerdict = (reason: string | CaseVerdict): CaseVerdict =>
  typeof reason === 'string' ? { outcome: 'skipped', reason } : reason;

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
  environment.faults ? undefined : notCheckedBecause('setup() returned no `faults` (fault injection)');

/** Runs when `setup()` returned the credentials given to the adapter. */
export const withSecrets: RequirementFn = (_capabilities, environment) =>
  environment.secrets
    ? undefined
    : notCheckedBecause('setup() returned no `secrets` (the credentials given to the adapter)');

/** Runs when the peer names a participant `openConversation` accepts. */
export const withParticipant: RequirementFn = (_capabilities, environment) =>
  environment.participant ? undefined : notCheckedBecause('peer.participant is not set');

/** Why realtime cannot be exercised: not declared, or webhooks with no way to route them to the Messenger. */
export function realtimeSkipReason(
  capabilities: Capabilities,
  canRouteWebhooks: boolean,
): string | CaseVerdict | undefined {
  if (!hasCapability(capabilities, 'realtime')) return `capability 'realtime' is not declared`;
  if (capabilities.realtime === 'webhook' && !canRouteWebhooks)
    return notCheckedBecause('realtime is webhook but setup() returned no `routeWebhooks`');
  return undefined;
}

/** Runs when realtime is one of `kinds` (the case's scenario is specific to them). */
export const realtimeKind =
  (...kinds: Array<Capabilities['realtime']>): RequirementFn =>
  (capabilities) =>
    kinds.includes(capabilities.realtime)
      ? undefined
      : `realtime is '${capabilities.realtime}' (this case is for ${kinds.map((k) => `'${k}'`).join(', ')})`;

/** Runs when the kit has a way to read messages back: `getMessage`, `listMessages` or `peer.readMessages`. */
export const withReadBack: RequirementFn = (capabilities, environment) =>
  hasCapability(capabilities, 'getMessage') ||
  hasCapability(capabilities, 'listMessages') ||
  environment.backendReads
    ? undefined
    : notCheckedBecause(
        'no way to read a message back: neither getMessage nor listMessages is declared and setup() gives no `peer.readMessages`',
      );

/** Runs when the manifest declares realtime and, for webhook adapters, `setup()` can route webhooks. */
export const withRealtime: RequirementFn = (capabilities, environment) =>
  realtimeSkipReason(capabilities, environment.webhooks);

/** Runs when every requirement holds; the first failing one gives the skip reason. */
export function allOf(...requirements: CaseRequirement[]): RequirementFn {
  return (capabilities, environment) => {
    let notChecked: CaseVerdict | undefined;
    for (const requirement of requirements) {
      const reason = requirementReason(requirement, capabilities, environment);
      // A case that does not apply is skipped even when setup() also lacks something.
      if (typeof reason === 'string') return reason;
      notChecked ??= reason;
    }
    return notChecked;
  };
}

/** Runs when at least one requirement holds; otherwise the reasons are joined. */
export function anyOf(...requirements: CaseRequirement[]): RequirementFn {
  return (capabilities, environment) => {
    const reasons: CaseVerdict[] = [];
    for (const requirement of requirements) {
      const reason = requirementReason(requirement, capabilities, environment);
      if (reason === undefined) return undefined;
      reasons.push(asVerdict(reason));
    }
    const reason = reasons.map((verdict) => verdict.reason).join(' and ');
    return reasons.some((verdict) => verdict.outcome === 'not-checked') ? notCheckedBecause(reason) : reason;
  };
}

/** The reason a requirement does not hold (a string: skipped), or `undefined` when it does. */
export function requirementReason(
  requirement: CaseRequirement,
  capabilities: Capabilities,
  environment: ContractEnvironment,
): string | CaseVerdict | undefined {
  return typeof requirement === 'string'
    ? declared(requirement)(capabilities, environment)
    : requirement(capabilities, environment);
}
