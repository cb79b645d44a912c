/**
 * zod schemas of what the adapter reads from Brevo: REST `ConversationsMessage`s and the three
 * Conversations webhooks.
 *
 * Lenient where Brevo varies, strict on what we read: objects keep unknown fields (so `raw` loses
 * nothing), nullable and absent fields are both accepted, and a file may come in any of the shapes
 * seen in the wild (REST `file.filename/url`, webhook `file.name/link`, `attachments[]` with
 * `name/link` or `fileName/url`). Messages of a webhook are parsed one by one, so one odd message
 * does not drop the others.
 * @module
 */
import * as z from 'zod';

const text = z.string().nullish();
const flag = z.boolean().nullish();

/** A file or attachment, in every shape Brevo uses. Sizes in bytes, dimensions in pixels. */
export const brevoFileSchema = z.looseObject({
  name: text,
  filename: text,
  fileName: text,
  link: text,
  url: text,
  mimeType: text,
  size: z.number().nullish(),
  isImage: flag,
  isSticker: flag,
  imageInfo: z
    .looseObject({
      width: z.number().nullish(),
      height: z.number().nullish(),
      previewUrl: text,
      previewLink: text,
    })
    .nullish(),
});
export type BrevoFile = z.output<typeof brevoFileSchema>;

/** A message, from REST (`ConversationsMessage`) or a webhook. `createdAt` is epoch milliseconds. */
export const brevoMessageSchema = z.looseObject({
  id: z.string().min(1),
  type: z.enum(['agent', 'visitor']),
  text,
  createdAt: z.number(),
  visitorId: text,
  agentId: text,
  agentName: text,
  agentUserpic: text,
  isPushed: flag,
  isBot: flag,
  receivedFrom: text,
  file: brevoFileSchema.nullish(),
  attachments: z.array(brevoFileSchema).nullish(),
});
export type BrevoMessage = z.output<typeof brevoMessageSchema>;

/** The `agent` / `agents[]` objects of webhooks. */
export const brevoAgentSchema = z.looseObject({
  id: z.string().min(1),
  name: text,
  email: text,
  userpic: text,
});
export type BrevoAgent = z.output<typeof brevoAgentSchema>;

/** The `visitor` object of webhooks (the fields we read; everything else is kept). */
export const brevoVisitorSchema = z.looseObject({
  id: z.string().min(1),
  displayedName: text,
  source: text,
  threadId: text,
  attributes: z.record(z.string(), z.unknown()).nullish(),
});
export type BrevoVisitor = z.output<typeof brevoVisitorSchema>;

const startPage = z.looseObject({ link: text, title: text }).nullish();

/** `conversationStarted`: the first message of a chat. */
export const brevoConversationStartedSchema = z.looseObject({
  eventName: z.literal('conversationStarted'),
  conversationId: z.string().min(1),
  message: z.unknown(),
  agent: z.unknown().optional(),
  visitor: brevoVisitorSchema,
  conversationStartPage: startPage,
});

/** The fields of the webhooks that carry a list of messages (fragment and transcript). */
const messagesWebhookShape = {
  conversationId: z.string().min(1),
  messages: z.array(z.unknown()),
  agents: z.array(z.unknown()).nullish(),
  visitor: brevoVisitorSchema,
};

/** `conversationFragment`: new messages of an ongoing chat. */
export const brevoConversationFragmentSchema = z.looseObject({
  eventName: z.literal('conversationFragment'),
  ...messagesWebhookShape,
});

/** `conversationTranscript`: the whole chat, once finished. */
export const brevoConversationTranscriptSchema = z.looseObject({
  eventName: z.literal('conversationTranscript'),
  ...messagesWebhookShape,
  conversationStartPage: startPage,
});

/** Any Conversations webhook the adapter understands, discriminated on `eventName`. */
export const brevoWebhookSchema = z.discriminatedUnion('eventName', [
  brevoConversationStartedSchema,
  brevoConversationFragmentSchema,
  brevoConversationTranscriptSchema,
]);
export type BrevoWebhook = z.output<typeof brevoWebhookSchema>;

/** The event names {@link brevoWebhookSchema} handles; other names are acknowledged and ignored. */
export const BREVO_WEBHOOK_EVENTS: ReadonlySet<string> = new Set([
  'conversationStarted',
  'conversationFragment',
  'conversationTranscript',
]);
