/**
 * `@switchboard/testkit`: the contract suite for Switchboard adapters (vitest), the reference
 * memory adapter with its backend (also at `@switchboard/testkit/memory`), and the fault/rate-limit
 * kit (also at `@switchboard/testkit/faults`). Those two subpaths import no test runner.
 * @module @switchboard/testkit
 */
export * from './contract-case.js';
export type { ContractGroupPeer, ContractPeerWithGroups } from './contract-cases/group-cases.js';
export { contractCase, contractCases } from './contract-cases/index.js';
export type { ResourceTracker } from './contract-cases/resource-tracker.js';
export { contractEnvironment, contractSkipReason } from './contract-environment.js';
export type * from './contract-types.js';
export * from './describe-adapter-contract.js';
export * from './faults/index.js';
export * from './memory/index.js';
export * from './run-contract-case.js';
