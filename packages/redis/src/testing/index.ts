/**
 * `@switchboard/redis/testing`: start a private `redis-server` for tests and benchmarks (no test
 * runner imported). Used by this package's tests, the multi-instance tests and `pnpm bench`.
 * @module @switchboard/redis/testing
 */
export * from './redis-server.js';
