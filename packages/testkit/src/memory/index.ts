/**
 * The reference pair: a memory chat backend (a small HTTP provider) and the adapter over it.
 * @module @switchboard/testkit/memory
 */
export * from './memory-adapter.js';
export * from './memory-backend.js';
export { memoryCapabilities } from './memory-capabilities.js';
export { memoryProfile } from './memory-profile.js';
