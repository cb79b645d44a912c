/**
 * `@switchboard/testkit/state-store`: the StateStore v2 conformance suite (vitest). Every store —
 * the memory store of `@switchboard/core`, `@switchboard/redis`, your own — runs this one suite.
 * @packageDocumentation
 */
export * from './describe-state-store-conformance.js';
