/**
 * `@switchboard/testkit/soak`: the seeded send fault soak of issue 10 §3 (every adapter that sends
 * runs it against its emulator). Imports no test runner.
 * @module @switchboard/testkit/soak
 */
export * from './send-soak.js';
export * from './soak-suite.js';
