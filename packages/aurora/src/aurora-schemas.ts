import * as z from 'zod';

/**
 * zod schemas of the Aurora API responses the adapter reads (SDK v11.4.0 and v5.1.0 models).
 * Lenient on fields we do not read (kept in `raw`), strict on those we do.
 * @module
 */

/** Who wrote a message. */
export const auroraRoleSchema = z.enum(['system', 'user', 'assistant']);
/** Who wrote a message, in Aurora's terms. */
export type AuroraRole = z.infer<typeof auroraRoleSchema>;

const id = z.number().int().nonnegative();

/** `AccessTokenObj`: `POST /login`. */
export const accessTokenSchema = z.looseObject({ accessToken: z.string().min(1) });

/** `GET /user/info` (v11). */
export const userInfoSchema = z.looseObject({ username: z.string(), email: z.string() });

/** `GET /character`: v11 adds `isPrivate` and `ttsCharacter`, v5 has `iconImage` (base64 AVIF). */
export const characterSchema = z.looseObject({
  name: z.string(),
  description: z.string(),
  isOfficial: z.boolean(),
  iconImage: z.string().optional(),
});
/** One character, as `GET /character` describes it. */
export type AuroraCharacter = z.infer<typeof characterSchema>;

/** `GET /chats`. */
export const chatsSchema = z.looseObject({
  chats: z.array(z.looseObject({ characterId: id, chatId: id })),
});
/** One of the user's chats. */
export type AuroraChat = z.infer<typeof chatsSchema>['chats'][number];

/** `POST /chat`. */
export const initializeChatSchema = z.looseObject({ chatId: id });

/** `GET /chat/preview`: the newest message. */
export const chatPreviewSchema = z.looseObject({ content: z.string(), timestamp: z.number() });

/** `SuccessfulRequest`: deletes. */
export const successSchema = z.looseObject({ success: z.boolean().optional() });

const timestampedMessage = { role: auroraRoleSchema, content: z.string(), timestamp: z.number() };

/** `GET /messages` (v11): newest first. */
export const messagesPageSchema = z.looseObject({
  messages: z.array(z.looseObject({ ...timestampedMessage, id })),
  endOfList: z.boolean(),
});

/** `GET /message/history` (v5): the whole chat, oldest first, without ids. */
export const chatHistorySchema = z.looseObject({
  chatHistory: z.array(z.looseObject(timestampedMessage)),
});

/** `ChatCompletionFragment`: the JSON in each SSE `data:` field of a streamed reply. */
export const chatCompletionFragmentSchema = z.looseObject({ content: z.string() });

/** Every Aurora error body: `{ success?: false, error: <literal> }`. */
export const errorBodySchema = z.looseObject({ error: z.string() });
