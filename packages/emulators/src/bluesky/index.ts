/**
 * `@switchboard/emulators/bluesky`: a local Bluesky PDS that proxies `chat.bsky.convo.*` to an
 * emulated chat service, for tests, benchmarks and the demo.
 * @module @switchboard/emulators/bluesky
 */
export type { BlueskyAccountSeed } from './bluesky-accounts.js';
export {
  type BlueskyEmulator,
  type BlueskyEmulatorOptions,
  type BlueskyEmulatorStats,
  startBlueskyEmulator,
} from './bluesky-emulator.js';
export { LEXICON_LIMITS } from './bluesky-lexicon-limits.js';
export type { BlueskyPeer } from './bluesky-peer.js';
export { BLUESKY_PDS_RATE_LIMIT, blueskyProfile, xrpcErrorBody } from './bluesky-profile.js';
export { BlueskyXrpcError } from './bluesky-xrpc-error.js';
