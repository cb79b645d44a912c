/**
 * `@switchboard/redis`: a StateStore (v2) on Redis, so several instances of an app share Brevo
 * records, webhook dedupe, cursors, leases, rate-limit windows and sessions.
 * See docs/running-several-instances.md.
 * @module @switchboard/redis
 */
export * from './redis-state-store.js';
