import type { Hono } from 'hono';
import { auroraErrorText } from './aurora-error-bodies.js';
import {
  type AuroraApiVersion,
  type AuroraEnv,
  fail,
  isId,
  jsonObject,
  ownChat,
  requireToken,
} from './aurora-http.js';
import type { AuroraStore } from './aurora-store.js';

/**
 * `GET /chats` (the caller's chats, oldest first), `POST /chat {characterId}` (stores the character's
 * initial response as the first message), `DELETE /chat?chatId=` (with every message) and
 * `GET /chat/preview?chatId=` (the newest message; an emptied chat previews as `''` at its creation time).
 * Unknown or foreign chats answer as `chatIdAnswers` (aurora-http.ts) says for the profile.
 */
export function registerAuroraChatRoutes(
  app: Hono<AuroraEnv>,
  store: AuroraStore,
  version: AuroraApiVersion,
) {
  const auth = requireToken(store);

  app.get('/chats', auth, (c) => {
    const chats = store.chatsOf(c.get('user').username);
    return c.json({
      success: true,
      chats: chats.map(({ characterId, id }) => ({ characterId, chatId: id })),
    });
  });

  app.post('/chat', auth, async (c) => {
    const characterId = (await jsonObject(c))?.characterId;
    const character = isId(characterId) ? store.character(characterId) : undefined;
    const { username } = c.get('user');
    // Unknown and private characters alike: both SDKs declare only the generic 400 here (v11's
    // `initialize` matches 200/400/401/429, no 403).
    if (!character || !store.canUse(character, username)) return fail(c, 400, auroraErrorText.badRequest);
    return c.json({ success: true, chatId: store.createChat(username, character).id });
  });

  app.delete('/chat', auth, (c) => {
    const chat = ownChat(c, store, version, 'deleteChat');
    if (chat instanceof Response) return chat;
    store.deleteChat(chat.id);
    return c.json({ success: true });
  });

  app.get('/chat/preview', auth, (c) => {
    const chat = ownChat(c, store, version, 'preview');
    if (chat instanceof Response) return chat;
    const latest = store.latest(chat.id);
    return c.json({ content: latest?.content ?? '', timestamp: latest?.timestamp ?? chat.createdAt });
  });
}
