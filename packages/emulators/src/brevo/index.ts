/**
 * `@switchboard/emulators/brevo`: a local Brevo Conversations API (`/v3/conversations/*`) that also
 * plays website visitors and delivers Conversations webhooks to a URL you choose.
 * @module @switchboard/emulators/brevo
 */
export type { BrevoVisitorWrite } from './brevo-conversations.js';
export {
  type BrevoAgentInput,
  type BrevoAgents,
  type BrevoEmulator,
  type BrevoEmulatorOptions,
  type BrevoVisitor,
  type BrevoVisitorWriteOptions,
  startBrevoEmulator,
} from './brevo-emulator.js';
export type {
  BrevoAttachment,
  BrevoConversationFragment,
  BrevoConversationStarted,
  BrevoConversationTranscript,
  BrevoRestMessage,
  BrevoWebhookAgent,
  BrevoWebhookEvent,
  BrevoWebhookEventName,
  BrevoWebhookMessage,
  BrevoWebhookVisitor,
} from './brevo-payloads.js';
export { type BrevoErrorBody, brevoProfile } from './brevo-profile.js';
export type { BrevoAgentRecord, BrevoFileInput, BrevoFileShape, BrevoVisitorInput } from './brevo-state.js';
export {
  type BrevoWebhookControl,
  type BrevoWebhookDelivery,
  type BrevoWebhookDeliveryOptions,
  WEBHOOK_TOKEN_PARAM,
} from './brevo-webhook-sender.js';
