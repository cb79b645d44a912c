import type { AuroraApi } from './aurora-api.js';
import { decodeCursor, encodeCursor } from './aurora-cursor.js';
import type { AuroraRole } from './aurora-schemas.js';

/** A stored message, before it is mapped to the model. */
export interface AuroraStoredMessage {
  /** Aurora's message id (v11), or the message's position in the chat, 0 = oldest (v5 has no ids). */
  id: string;
  role: AuroraRole;
  content: string;
  /** Epoch milliseconds (see `fromAuroraTimestamp`). */
  timestamp: number;
  raw: unknown;
}

/** One page of a chat's history, newest first. */
export interface AuroraHistoryPage {
  items: AuroraStoredMessage[];
  nextCursor?: string;
}

/** Reads a chat's history, newest first, in pages. */
export interface AuroraHistory {
  page(
    chatId: number,
    limit: number,
    cursor: string | undefined,
    signal?: AbortSignal,
  ): Promise<AuroraHistoryPage>;
}

/** The history reader of the API profile: server-side paging (v11), or the whole chat paged locally (v5). */
export function createAuroraHistory(api: AuroraApi): AuroraHistory {
  return api.version === 'v11' ? pagedHistory(api) : wholeHistory(api);
}

/** v11 `GET /messages`: the cursor is the next `from` (the newest id to include). */
function pagedHistory(api: AuroraApi): AuroraHistory {
  return {
    async page(chatId, limit, cursor, signal) {
      const { messages, endOfList } = await api.messages(chatId, limit, decodeCursor(cursor), signal);
      const items = messages.map((raw) => stored(raw, raw.id));
      const last = messages.at(-1);
      return endOfList || !last ? { items } : { items, nextCursor: encodeCursor(last.id - 1) };
    },
  };
}

/** v5 `GET /message/history` returns everything, oldest first: one request per page, sliced here. */
function wholeHistory(api: AuroraApi): AuroraHistory {
  return {
    async page(chatId, limit, cursor, signal) {
      const history = await api.history(chatId, signal);
      const end = Math.min(decodeCursor(cursor) ?? history.length, history.length);
      const start = Math.max(0, end - limit);
      const items = history
        .slice(start, end)
        .map((raw, i) => stored(raw, start + i))
        .reverse();
      return start === 0 ? { items } : { items, nextCursor: encodeCursor(start) };
    },
  };
}

function stored(
  raw: { role: AuroraRole; content: string; timestamp: number },
  id: number,
): AuroraStoredMessage {
  return { id: String(id), role: raw.role, content: raw.content, timestamp: raw.timestamp, raw };
}
