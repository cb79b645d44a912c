/**
 * `@switchboard/testkit/soak`: the seeded send fault soak of issue 10 §3 (every adapter that sends
 * runs it against its emulator). Imports no test runner.
 * @module
 */
export * from './send-soak.js';
