import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { type AuroraErrorText, auroraErrorBody, auroraErrorText } from './aurora-error-bodies.js';
import type { AuroraChatRecord, AuroraStore, AuroraUserRecord } from './aurora-store.js';

/** The API profiles the emulator serves, as path prefixes `/api/<version>`. */
export type AuroraApiVersion = 'v5' | 'v11';

/** Hono environment of the emulator's routes: Node bindings, and the caller once authenticated. */
export interface AuroraEnv {
  Bindings: HttpBindings;
  Variables: { user: AuroraUserRecord };
}

/** Answers with a documented error literal. */
export function fail(c: Context, status: 400 | 401 | 402 | 403 | 429, text: AuroraErrorText): Response {
  return c.json(auroraErrorBody(text), status);
}

/** Rejects a request without a valid `x-access-token` with 401; otherwise sets `user`. */
export function requireToken(store: AuroraStore): MiddlewareHandler<AuroraEnv> {
  return async (c, next) => {
    const user = store.userForToken(c.req.header('x-access-token') ?? '');
    if (!user) return fail(c, 401, auroraErrorText.authenticationFailed);
    c.set('user', user);
    await next();
  };
}

/** A non-negative integer query parameter, or `undefined` when it is absent or malformed. */
export function intQuery(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

/** `true` for a non-negative safe integer (JSON ids are numbers, never strings). */
export function isId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** The JSON object body, or `undefined` when the body is not a JSON object. */
export async function jsonObject(c: Context): Promise<Record<string, unknown> | undefined> {
  try {
    const body: unknown = await c.req.json();
    return typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How an operation answers a chat id the caller may not use. `'specific'`: the v5 literals, where
 * that operation's SDK declares them (v5 `DELETE /chat`, `GET /message/history`, `POST /message`):
 * 400 "Invalid chat ID" for an unknown chat, 401 "Chat or message does not belong to this user" for
 * someone else's. `'generic'`: the generic 400 literal for both, where the SDK declares nothing more
 * specific (every v11 operation, v5 `GET /chat/preview` and `POST /message/save`). Our choice for
 * someone else's chat: 400 rather than the generic 401, whose text ("Invalid username, password, or
 * access token") would send clients to log in again; and it does not reveal that the chat exists.
 */
export type ChatIdAnswers = 'specific' | 'generic';

/** The operations that take a chat id, as {@link chatIdAnswers} names them. */
export type ChatIdOperation = 'deleteChat' | 'history' | 'send' | 'preview' | 'save' | 'messages';

/**
 * The caller's chat `chatId` (by default the `chatId` query parameter), or the documented error to
 * answer with: 400 generic for a malformed id; for an unknown chat or someone else's, the answers of
 * `operation` in `version`'s SDK (see {@link ChatIdAnswers}).
 */
export function ownChat(
  c: Context<AuroraEnv>,
  store: AuroraStore,
  version: AuroraApiVersion,
  operation: ChatIdOperation,
  chatId: unknown = intQuery(c.req.query('chatId')),
): AuroraChatRecord | Response {
  if (!isId(chatId)) return fail(c, 400, auroraErrorText.badRequest);
  const chat = store.chat(chatId);
  const mine = chat !== undefined && chat.owner === c.get('user').username;
  if (mine) return chat;
  if (chatIdAnswers(version, operation) === 'generic') return fail(c, 400, auroraErrorText.badRequest);
  return chat ? fail(c, 401, auroraErrorText.unauthorizedId) : fail(c, 400, auroraErrorText.invalidChatId);
}

/**
 * A page request's size (the query parameter `countName`, 1 to `max`) and optional `from` id, or
 * `undefined` when the size is missing, malformed or out of range, or `from` is malformed (the routes
 * answer the generic 400).
 */
export function pageQuery(
  c: Context,
  countName: string,
  max: number,
): { count: number; from: number | undefined } | undefined {
  const count = intQuery(c.req.query(countName));
  const rawFrom = c.req.query('from');
  const from = intQuery(rawFrom);
  if (count === undefined || count < 1 || count > max || (rawFrom !== undefined && from === undefined))
    return undefined;
  return { count, from };
}

/** The answers of `operation` in `version`'s SDK for a chat id the caller may not use. */
export function chatIdAnswers(version: AuroraApiVersion, operation: ChatIdOperation): ChatIdAnswers {
  return version === 'v5' && (operation === 'deleteChat' || operation === 'history' || operation === 'send')
    ? 'specific'
    : 'generic';
}
