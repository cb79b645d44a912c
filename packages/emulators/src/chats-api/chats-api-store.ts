import type { Micros } from './chats-api-clock.js';
import { DatabaseError, HttpException } from './chats-api-errors.js';
import type { IdKind } from './chats-api-ids.js';

/** A row of the `user` table. */
export interface UserRecord {
  id: string;
  email: string;
  username: string;
  /** Kept in clear: this is an in-memory emulator, never a real account store. */
  password: string;
  firstName: string | null;
  lastName: string | null;
  avatar: string | null;
  lastSeen: Micros | null;
}

/** A row of `message_seen`. */
export interface SeenRecord {
  userId: string;
  seenAt: Micros;
}

/** A row of `message`, with its `seen_by` relationship. */
export interface MessageRecord {
  id: string;
  chatId: string;
  fromUserId: string;
  text: string | null;
  image: string | null;
  createdAt: Micros;
  seenBy: SeenRecord[];
}

/** A row of `chat`, its members (insertion order) and its messages (oldest first). */
export interface ChatRecord {
  id: string;
  isGroup: boolean;
  name: string | null;
  avatar: string | null;
  memberIds: string[];
  messages: MessageRecord[];
  /** Creation order: the tie-break for chats without messages, which the server lists last. */
  sequence: number;
}

/** A user to create. */
export interface NewUser {
  email: string;
  username: string;
  password: string;
  firstName?: string | null;
  lastName?: string | null;
  avatar?: string | null;
}

/** One page of a listing and the total it was cut from. */
export interface Slice<T> {
  items: T[];
  total: number;
}

/** The result of creating (or finding) a chat. */
export interface CreatedChat {
  chat: ChatRecord;
  /** The participants, the caller first, as `POST /chats` lists them. */
  members: UserRecord[];
  /** `true` when an existing direct chat between the same pair came back. */
  deduplicated: boolean;
}

/** Options of {@link createChatsApiStore}. */
export interface ChatsApiStoreOptions {
  nextId(kind: IdKind): string;
  clock(): Micros;
}

/** Enforces a `varchar(maxLength)` column as Postgres would (length in characters). */
function varchar(column: string, value: string | null | undefined, maxLength: number): void {
  if (value && [...value].length > maxLength) throw new DatabaseError(column, maxLength);
}

/** The in-memory database behind the emulator, with the server's rules (what `app/routers/*.py` enforce). */
export type ChatsApiStore = ReturnType<typeof createChatsApiStore>;

/** Creates an empty store. Every listing costs O(page), whatever the history length. */
export function createChatsApiStore({ nextId, clock }: ChatsApiStoreOptions) {
  const users = new Map<string, UserRecord>();
  const chats = new Map<string, ChatRecord>();
  const chatsByUser = new Map<string, ChatRecord[]>();
  const messages = new Map<string, MessageRecord>();
  let chatSequence = 0;

  const userByLogin = (login: string) => {
    for (const user of users.values()) if (user.username === login || user.email === login) return user;
    return undefined;
  };

  const lastActivity = (chat: ChatRecord) => chat.messages.at(-1)?.createdAt;

  return {
    /** `POST /register`. @throws {HttpException} 400 when the email or username is taken. @throws {DatabaseError} */
    addUser(input: NewUser): UserRecord {
      if (userByLogin(input.username) || userByLogin(input.email))
        throw new HttpException(400, 'Email or username already in use');
      varchar('user.avatar', input.avatar, 2048);
      const user: UserRecord = {
        id: nextId('user'),
        email: input.email,
        username: input.username,
        password: input.password,
        firstName: input.firstName ?? null,
        lastName: input.lastName ?? null,
        avatar: input.avatar ?? null,
        lastSeen: clock(),
      };
      users.set(user.id, user);
      chatsByUser.set(user.id, []);
      return user;
    },

    user(id: string): UserRecord | undefined {
      return users.get(id);
    },

    /** `POST /login` and `/token`: the user whose username or email is `login`, if the password matches. */
    authenticate(login: string, password: string): UserRecord | undefined {
      const user = userByLogin(login);
      return user && user.password === password ? user : undefined;
    },

    userByUsername(username: string): UserRecord | undefined {
      for (const user of users.values()) if (user.username === username) return user;
      return undefined;
    },

    /**
     * `GET /search`: SQL `LIKE 'q%'` (so `%` and `_` in `q` are wildcards, as on the server) on
     * username, first and last name, case-insensitive, caller excluded; exact username first, then
     * username prefix, then by username, first name, last name.
     */
    searchUsers(callerId: string, q: string, limit: number, offset: number): Slice<UserRecord> {
      const query = q.trim().toLowerCase();
      const like = new RegExp(
        `^${[...query].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}`,
        's',
      );
      const key = (user: UserRecord) => {
        const username = user.username.toLowerCase();
        return [
          username === query ? 0 : 1,
          like.test(username) ? 0 : 1,
          username,
          user.firstName?.toLowerCase() ?? '',
          user.lastName?.toLowerCase() ?? '',
        ] as const;
      };
      const found = [...users.values()]
        .filter(
          (user) =>
            user.id !== callerId &&
            [user.username, user.firstName, user.lastName].some(
              (v) => v !== null && like.test(v.toLowerCase()),
            ),
        )
        .map((user) => ({ user, key: key(user) }))
        .sort((a, b) => {
          for (let i = 0; i < a.key.length; i += 1) {
            const x = a.key[i]!;
            const y = b.key[i]!;
            if (x !== y) return x < y ? -1 : 1;
          }
          return 0;
        });
      return { items: found.slice(offset, offset + limit).map((f) => f.user), total: found.length };
    },

    /**
     * `POST /chats`: participants are the caller plus `userIds`, deduplicated; a group when `name` is
     * non-empty or there are more than two; a direct chat between the same pair is returned as is.
     * @throws {HttpException} 400 "At least 1 other user is required", 400 "Users not found: …".
     */
    createChat(callerId: string, userIds: string[], name: string | null, avatar: string | null): CreatedChat {
      const participantIds = [...new Set([callerId, ...userIds])];
      if (participantIds.length < 2) throw new HttpException(400, 'At least 1 other user is required');
      const missing = participantIds.filter((id) => !users.has(id));
      if (missing.length > 0) throw new HttpException(400, `Users not found: ${missing.join(', ')}`);
      const members = participantIds.map((id) => users.get(id)!);
      const isGroup = Boolean(name) || participantIds.length > 2;

      if (!isGroup) {
        const [a, b] = participantIds as [string, string];
        const existing = chatsByUser.get(a)!.find((chat) => !chat.isGroup && chat.memberIds.includes(b));
        if (existing) return { chat: existing, members, deduplicated: true };
      }

      varchar('chat.name', isGroup ? name : null, 100);
      varchar('chat.avatar', isGroup ? avatar : null, 2048);
      chatSequence += 1;
      const chat: ChatRecord = {
        id: nextId('chat'),
        isGroup,
        name: isGroup ? name : null,
        avatar: isGroup ? avatar : null,
        memberIds: participantIds,
        messages: [],
        sequence: chatSequence,
      };
      chats.set(chat.id, chat);
      for (const id of participantIds) chatsByUser.get(id)!.push(chat);
      return { chat, members, deduplicated: false };
    },

    chat(id: string): ChatRecord | undefined {
      return chats.get(id);
    },

    /** The chat, if `userId` is a member of it (the server answers "Chat not found" either way). */
    memberChat(chatId: string, userId: string): ChatRecord | undefined {
      const chat = chats.get(chatId);
      return chat?.memberIds.includes(userId) ? chat : undefined;
    },

    chatIdsOf(userId: string): string[] {
      return (chatsByUser.get(userId) ?? []).map((chat) => chat.id);
    },

    /** `GET /chats`: latest message first, chats without messages last (in creation order). */
    chatsOf(userId: string, limit: number, offset: number): Slice<ChatRecord> {
      const mine = chatsByUser.get(userId) ?? [];
      const sorted = [...mine].sort((a, b) => {
        const x = lastActivity(a);
        const y = lastActivity(b);
        if (x === undefined || y === undefined) {
          if (x !== y) return x === undefined ? 1 : -1;
          return a.sequence - b.sequence;
        }
        return y - x;
      });
      return { items: sorted.slice(offset, offset + limit), total: mine.length };
    },

    members(chat: ChatRecord): UserRecord[] {
      return chat.memberIds.map((id) => users.get(id)!);
    },

    /** Stores a message (REST or WebSocket send). @throws {DatabaseError} on an over-long column. */
    addMessage(
      chat: ChatRecord,
      fromUserId: string,
      text: string | null,
      image: string | null,
    ): MessageRecord {
      varchar('message.text_content', text, 4000);
      varchar('message.image_content', image, 2048);
      const message: MessageRecord = {
        id: nextId('message'),
        chatId: chat.id,
        fromUserId,
        text,
        image,
        createdAt: clock(),
        seenBy: [],
      };
      chat.messages.push(message);
      messages.set(message.id, message);
      return message;
    },

    /** `GET /chats/{id}` messages: newest first, `O(limit)`. */
    messagePage(chat: ChatRecord, limit: number, offset: number): MessageRecord[] {
      const page: MessageRecord[] = [];
      const newest = chat.messages.length - 1 - offset;
      for (let i = newest; i >= 0 && i > newest - limit; i -= 1) page.push(chat.messages[i]!);
      return page;
    },

    /**
     * The `seen` event's inserts, in one transaction as on the server: when any id is unknown, or
     * already seen by this user, the commit fails and nothing is recorded. Resolves whether it was.
     */
    markSeen(userId: string, messageIds: string[]): boolean {
      const targets = messageIds.map((id) => messages.get(id));
      const unique = new Set(messageIds);
      if (
        unique.size !== messageIds.length ||
        targets.some((m) => m === undefined || m.seenBy.some((s) => s.userId === userId))
      )
        return false;
      const seenAt = clock();
      for (const message of targets) message!.seenBy.push({ userId, seenAt });
      return true;
    },
  };
}
