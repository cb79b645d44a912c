import type { ChatsApiRest } from './chats-api-rest.js';
import type { ChatDetail, ChatPreview, MessageOut } from './chats-api-schemas.js';

/** Page size of catch-up requests (the API's maximum). */
const PAGE = 100;
/** Most messages fetched for one chat in one catch-up; older ones are left to `listMessages`. */
export const MAX_CATCH_UP = 1_000;

/** Every chat we are in (`GET /chats`, all pages), latest activity first. */
export async function listAllChats(rest: ChatsApiRest, signal?: AbortSignal): Promise<ChatPreview[]> {
  const chats: ChatPreview[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await rest.listChats(PAGE, offset, { signal });
    chats.push(...page.items);
    if (page.items.length === 0 || offset + page.items.length >= page.total) return chats;
  }
}

/** Most pages one catch-up reads for one chat (messages arriving meanwhile make pages overlap). */
const MAX_PAGES = (5 * MAX_CATCH_UP) / PAGE;

/**
 * The messages of a chat newer than `knownId` (all of them when `null`), newest first, each once, at
 * most {@link MAX_CATCH_UP}; with the chat's detail (its users, to name the senders).
 *
 * `GET /chats/{id}` pages by offset from the newest message, so messages that arrive while we page push
 * older ones to higher offsets: the next page then starts with messages already read, which are skipped
 * (a message met twice counts once towards the limit). At most `MAX_PAGES` requests: when a chat gets
 * new messages faster than we page back, `complete` is `false` (the messages read leave a gap after
 * `knownId`) and the caller should try again later rather than deliver them.
 */
export async function fetchMissed(
  rest: ChatsApiRest,
  chatId: string,
  knownId: string | null,
  signal?: AbortSignal,
): Promise<{ chat: ChatDetail; messages: MessageOut[]; complete: boolean }> {
  const messages: MessageOut[] = [];
  const seen = new Set<string>();
  let chat: ChatDetail | undefined;
  let offset = 0;
  for (let pages = 0; pages < MAX_PAGES; pages += 1) {
    const page = await rest.getChat(chatId, PAGE, offset, { signal });
    for (const message of page.messages) {
      if (message.id === knownId || messages.length >= MAX_CATCH_UP)
        return { chat: page.chat, messages, complete: true };
      if (seen.has(message.id)) continue;
      seen.add(message.id);
      messages.push(message);
    }
    if (page.messages.length === 0 || offset + page.messages.length >= page.total)
      return { chat: page.chat, messages, complete: true };
    offset += page.messages.length;
    chat = page.chat;
  }
  return { chat: chat!, messages, complete: false };
}
