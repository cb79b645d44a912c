/**
 * `@switchboard/brevo`: the Switchboard adapter for Brevo Conversations (REST + webhooks).
 *
 * ```ts
 * import { createMessenger } from '@switchboard/core';
 * import { createBrevoAdapter } from '@switchboard/brevo';
 *
 * const messenger = createMessenger(createBrevoAdapter({ agent: { id: 'd9nKoegKSjmCtyK78' } }));
 * // Brevo › Conversations › Settings › Integrations › Webhooks: https://your.app/webhooks/brevo?token=<BREVO_WEBHOOK_SECRET>
 * ```
 * @module @switchboard/brevo
 */
export { type BrevoAdapter, type BrevoProviderOptions, createBrevoAdapter } from './brevo-adapter.js';
export type { BrevoAdapterOptions, BrevoAgentIdentity } from './brevo-options.js';
export { BREVO_WEBHOOK_TOKEN_PARAM } from './brevo-webhook-secret.js';
