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
 * The caller's chat `chatId`, or the documented error to answer with: 400 for a malformed id,
 * 400 "Invalid chat ID" for an unknown chat, 401 "does not belong to this user" for someone else's.
 */
export function ownChat(
  c: Context<AuroraEnv>,
  store: AuroraStore,
  chatId: unknown,
): AuroraChatRecord | Response {
  if (!isId(chatId)) return fail(c, 400, auroraErrorText.badRequest);
  const chat = store.chat(chatId);
  if (!chat) return fail(c, 400, auroraErrorText.invalidChatId);
  if (chat.owner !== c.get('user').username) return fail(c, 401, auroraErrorText.unauthorizedId);
  return chat;
}
