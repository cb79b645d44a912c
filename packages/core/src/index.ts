/**
 * `@switchboard/core`: one Conversation/Message interface over many chat providers.
 *
 * Apps use {@link createMessenger} with one adapter (`@switchboard/bluesky`, …). Adapter authors
 * implement {@link ChatAdapter} and use the HTTP toolkit at `@switchboard/core/http`.
 * @module @switchboard/core
 */
export * from './capabilities.js';
export type * from './chat-adapter.js';
export type * from './chat-event.js';
export * from './cursor-codec.js';
export * from './errors.js';
export * from './event-fan-out.js';
export * from './invalid-request.js';
export * from './messenger.js';
export * from './messenger-groups.js';
export type * from './model.js';
export * from './redact.js';
export * from './reply-chunks.js';
export * from './state-store.js';
export * from './subscription-set.js';
export * from './validation.js';
