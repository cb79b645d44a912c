/**
 * `@switchboard/testkit`: the contract suite for Switchboard adapters.
 * @packageDocumentation
 */
export type * from './contract-types.js';
export * from './faults/index.js';
