/**
 * `@switchboard/bluesky`: Bluesky direct messages (`chat.bsky.convo.*` through your PDS) as a
 * Switchboard adapter.
 *
 * ```ts
 * import { createMessenger } from '@switchboard/core';
 * import { createBlueskyAdapter } from '@switchboard/bluesky';
 *
 * const messenger = createMessenger(createBlueskyAdapter()); // BLUESKY_IDENTIFIER, BLUESKY_APP_PASSWORD
 * const convo = await messenger.openConversation({ participants: ['bob.bsky.social'] });
 * await messenger.send(convo.id, 'hi 👋 https://example.com');
 * ```
 * @module @switchboard/bluesky
 */
export { type BlueskyAdapter, createBlueskyAdapter } from './bluesky-adapter.js';
export { blueskyCapabilities } from './bluesky-capabilities.js';
export type {
  BlueskyGroupMethods,
  BlueskyJoinLink,
  BlueskyJoinLinkPreview,
  BlueskyJoinRequest,
  BlueskyJoinRule,
} from './bluesky-group-methods.js';
export type { BlueskyAdapterOptions } from './bluesky-options.js';
