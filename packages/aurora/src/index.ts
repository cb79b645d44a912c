/**
 * `@switchboard/aurora`: the Switchboard adapter for the Aurora AI chatbot API — chats with AI
 * characters whose replies stream back as server-sent events. Use it as
 * `createMessenger(createAuroraAdapter({ username, password }))`; see docs/adapters/aurora.md.
 * @module @switchboard/aurora
 */
export { type AuroraAdapter, createAuroraAdapter } from './aurora-adapter.js';
export type { AuroraAdapterOptions, AuroraApiVersion } from './aurora-options.js';
export type { AuroraReplyStream } from './aurora-reply.js';
