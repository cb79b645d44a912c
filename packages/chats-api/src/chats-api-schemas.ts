/**
 * zod schemas of what the chats API answers (REST bodies and WebSocket frames), after its OpenAPI and
 * AsyncAPI documents. Lenient on fields we do not read, strict on those we do.
 * @module
 */
import * as z from 'zod';

/** `Token`: `POST /token` and `POST /login`. */
export const tokenSchema = z.object({ access_token: z.string().min(1), token_type: z.string().optional() });

/** `UserPublic`. */
export const userPublicSchema = z.object({
  id: z.string(),
  email: z.string().optional(),
  username: z.string(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  avatar: z.string().nullish(),
  last_seen: z.string().nullish(),
});
export type UserPublic = z.infer<typeof userPublicSchema>;

/** `UserSearchPublic`. */
export const userSearchPublicSchema = userPublicSchema.omit({ email: true, last_seen: true });

const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not an ISO date-time');

/** `MessageOut`: a message in history, a REST send's answer, and inside WebSocket `message` frames. */
export const messageOutSchema = z.object({
  id: z.string(),
  chat_id: z.string(),
  from_user_id: z.string(),
  text_content: z.string().nullish(),
  image_content: z.string().nullish(),
  created_at: isoDate,
  seen_by: z.array(z.object({ user_id: z.string(), seen_at: isoDate })).default([]),
});
export type MessageOut = z.infer<typeof messageOutSchema>;

/** `LastMessagePreview`. */
export const lastMessagePreviewSchema = messageOutSchema.omit({ chat_id: true, seen_by: true });
export type LastMessagePreview = z.infer<typeof lastMessagePreviewSchema>;

/** `ChatDetail`. */
export const chatDetailSchema = z.object({
  id: z.string(),
  is_group: z.boolean(),
  name: z.string().nullish(),
  avatar: z.string().nullish(),
  users: z.array(userPublicSchema),
});
export type ChatDetail = z.infer<typeof chatDetailSchema>;

/** `ChatPreview`. */
export const chatPreviewSchema = z.object({
  id: z.string(),
  name: z.string(),
  avatar: z.string().nullish(),
  is_group: z.boolean(),
  last_message: lastMessagePreviewSchema.nullish(),
});
export type ChatPreview = z.infer<typeof chatPreviewSchema>;

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int().min(0),
    limit: z.number().int(),
    offset: z.number().int(),
  });

/** `Page[ChatPreview]`: `GET /chats`. */
export const chatPreviewPageSchema = pageOf(chatPreviewSchema);
export type ChatPreviewPage = z.infer<typeof chatPreviewPageSchema>;
/** `Page[UserSearchPublic]`: `GET /search`. */
export const userSearchPageSchema = pageOf(userSearchPublicSchema);
export type UserSearchPage = z.infer<typeof userSearchPageSchema>;

/** `ChatWithMessagesPage`: `GET /chats/{chat_id}` (messages newest first). */
export const chatWithMessagesPageSchema = z.object({
  chat: chatDetailSchema,
  messages: z.array(messageOutSchema),
  total: z.number().int().min(0),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type ChatWithMessagesPage = z.infer<typeof chatWithMessagesPageSchema>;

/**
 * A server → client WebSocket frame. `message` frames from `/ws/chats/{id}` senders have no top-level
 * `chat_id` (read `message.chat_id`); `subscribed`/`unsubscribed` come from the server code, not the
 * AsyncAPI document.
 */
export const serverFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), chat_id: z.string().optional(), message: messageOutSchema }),
  z.object({
    type: z.literal('seen'),
    chat_id: z.string(),
    user_id: z.string(),
    message_ids: z.array(z.string()),
  }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('subscribed'), chat_id: z.string() }),
  z.object({ type: z.literal('unsubscribed'), chat_id: z.string() }),
  z.object({ type: z.literal('error'), error: z.string() }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
