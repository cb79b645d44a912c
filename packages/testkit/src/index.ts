/**
 * `@switchboard/testkit`: the contract suite for Switchboard adapters.
 * @packageDocumentation
 */
export * from './faults/index.js';
