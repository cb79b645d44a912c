/**
 * `@switchboard/core/http`: the one HTTP choke point for adapters. See {@link createHttpClient}.
 * @module @switchboard/core/http
 */
export * from './http-client.js';
export * from './http-error-options.js';
export * from './long-poll.js';
export * from './map-http-error.js';
export * from './provider-error-body.js';
export * from './rate-limit-headers.js';
export * from './session-auth.js';
