/**
 * `@switchboard/testkit/faults`: the fault and rate-limit kit shared by every emulator. It imports
 * no test runner, so emulators (and `pnpm demo`) can load it without vitest.
 * @module @switchboard/testkit/faults
 */
export * from './fault-kit.js';
export * from './window-rate-limiter.js';
