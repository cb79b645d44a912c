/**
 * `@switchboard/testkit/state-store`: the StateStore v2 conformance suite (vitest). Every store —
 * the memory store of `@switchboard/core`, `@switchboard/redis`, your own — runs this one suite.
 * @module @switchboard/testkit/state-store
 */
export * from './describe-state-store-conformance.js';
