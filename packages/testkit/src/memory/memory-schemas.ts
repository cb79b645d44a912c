import * as z from 'zod';

/**
 * zod schemas of the memory backend's responses, as the adapter reads them: strict on the fields it
 * uses, lenient on everything else (unknown fields pass, unknown event kinds are skipped later).
 * @module
 */

/** A user: id, handle and display name. */
export const memoryUserSchema = z.object({
  id: z.string(),
  handle: z.string(),
  displayName: z.string().nullish(),
});

/** A message: `GET …/messages/:id`, the items of history, events. */
export const memoryMessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  sender: memoryUserSchema,
  text: z.string(),
  attachments: z.array(
    z.object({ kind: z.enum(['image', 'file']), url: z.string(), name: z.string().nullish() }),
  ),
  replyToId: z.string().nullish(),
  sentAt: z.iso.datetime(),
  editedAt: z.iso.datetime().nullish(),
  deleted: z.boolean(),
  reactions: z.array(z.object({ value: z.string(), userId: z.string(), createdAt: z.iso.datetime() })),
});

/** A conversation as we see it (`muted`, `unreadCount` are ours). */
export const memoryConversationSchema = z.object({
  id: z.string(),
  kind: z.enum(['direct', 'group']),
  title: z.string().nullish(),
  members: z.array(memoryUserSchema),
  lastMessage: memoryMessageSchema.nullish(),
  unreadCount: z.number().int().nonnegative(),
  muted: z.boolean(),
  updatedAt: z.iso.datetime(),
});

/** `POST /v1/sessions` and `/v1/sessions/refresh`: a session and who we are. */
export const memorySessionSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  user: memoryUserSchema,
});

/** `GET /v1/conversations`: one page, newest activity first. */
export const memoryConversationPageSchema = z.object({
  conversations: z.array(memoryConversationSchema),
  nextCursor: z.string().nullish(),
});

/** `GET /v1/conversations/:id/messages`: one page, newest first. */
export const memoryMessagePageSchema = z.object({
  messages: z.array(memoryMessageSchema),
  nextCursor: z.string().nullish(),
});

/** One entry of the `/v1/events` feed; `kind` stays a string so newer kinds do not fail validation. */
export const memoryEventSchema = z.object({
  kind: z.string(),
  conversationId: z.string(),
  messageId: z.string().nullish(),
  userId: z.string().nullish(),
  reaction: z.string().nullish(),
  replyId: z.string().nullish(),
  index: z.number().int().nonnegative().nullish(),
  text: z.string().nullish(),
  message: memoryMessageSchema.nullish(),
  conversation: memoryConversationSchema.nullish(),
});

/** One `delta` event of a streamed reply (`POST …/replies`). */
export const memoryReplyDeltaSchema = z.object({
  replyId: z.string(),
  index: z.number().int(),
  text: z.string(),
});

/** `GET /v1/events`: the events after the cursor, and the cursor to continue from. */
export const memoryEventPageSchema = z.object({ events: z.array(memoryEventSchema), cursor: z.string() });

/** The parsed shapes of the schemas above. */
export type MemoryWireUser = z.infer<typeof memoryUserSchema>;
export type MemoryWireMessage = z.infer<typeof memoryMessageSchema>;
export type MemoryWireConversation = z.infer<typeof memoryConversationSchema>;
export type MemoryWireSession = z.infer<typeof memorySessionSchema>;
export type MemoryWireEvent = z.infer<typeof memoryEventSchema>;
