import type { ChatsApiApi } from './chats-api-api.js';
import type { ChatDetail, ChatPreview, MessageOut } from './chats-api-schemas.js';

/** Page size of catch-up requests (the API's maximum). */
const PAGE = 100;
/** Most messages fetched for one chat in one catch-up; older ones are left to `listMessages`. */
export const MAX_CATCH_UP = 1_000;

/** Every chat we are in (`GET /chats`, all pages), latest activity first. */
export async function listAllChats(api: ChatsApiApi, signal?: AbortSignal): Promise<ChatPreview[]> {
  const chats: ChatPreview[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await api.listChats(PAGE, offset, { signal });
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
 * `GET /chats/{id}` pages by offset from the newest message, so messages that arrive while we page shift
 * the pages. Each message's position counted from the oldest (`total - offset - 1 - index`, stable as
 * the API deletes nothing) says where it is: the next page starts just below the oldest position read,
 * and anything at or above it (read already, or newer than the first page) is skipped. At most
 * `MAX_PAGES` requests: when a chat gets new messages faster than we page back, `complete` is `false`
 * (the messages read leave a gap after `knownId`) and the caller should try again rather than deliver.
 * `truncated` is `true` when {@link MAX_CATCH_UP} messages were read before `knownId` was met: older
 * ones are left out.
 */
export async function fetchMissed(
  api: ChatsApiApi,
  chatId: string,
  knownId: string | null,
  signal?: AbortSignal,
): Promise<{ chat: ChatDetail; messages: MessageOut[]; complete: boolean; truncated: boolean }> {
  const messages: MessageOut[] = [];
  let chat: ChatDetail | undefined;
  /** Lowest position (from the oldest message, 0) read so far. */
  let low = Number.POSITIVE_INFINITY;
  let offset = 0;
  for (let pages = 0; pages < MAX_PAGES; pages += 1) {
    const page = await api.getChat(chatId, PAGE, offset, { signal });
    chat = page.chat;
    for (const [index, message] of page.messages.entries()) {
      if (message.id === knownId) return { chat, messages, complete: true, truncated: false };
      if (messages.length >= MAX_CATCH_UP) return { chat, messages, complete: true, truncated: true };
      const position = page.total - offset - 1 - index;
      if (position >= low) continue;
      low = position;
      messages.push(message);
    }
    if (page.messages.length === 0 || low <= 0) return { chat, messages, complete: true, truncated: false };
    offset = Math.max(offset + 1, page.total - low);
  }
  return { chat: chat!, messages, complete: false, truncated: false };
}
