import { randomBytes } from 'node:crypto';

/** Who wrote a message, in Aurora's terms. */
export type AuroraRole = 'system' | 'user' | 'assistant';

/** An account. */
export interface AuroraUserRecord {
  readonly username: string;
  readonly email: string;
  readonly password: string;
  /** Messages sent (`POST /message`) in the current plan period. */
  quotaUsed: number;
  /** Messages allowed per plan period. */
  quotaMax: number;
}

/** An AI character. Ids are integers from 1. */
export interface AuroraCharacterRecord {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly aiPrompt: string;
  /** Stored as the chat's first (assistant) message when a chat is initialized. */
  readonly initialResponse: string;
  readonly isOfficial: boolean;
  /** Private characters are visible to their creator only. */
  readonly isPrivate: boolean;
  readonly creator?: string;
  readonly ttsCharacter: number;
  /** Base64 AVIF (a placeholder in the emulator). */
  readonly iconImage: string;
}

/** A chat between one user and one character. Ids are integers from 301 (distinct from character ids). */
export interface AuroraChatRecord {
  readonly id: number;
  readonly characterId: number;
  readonly owner: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/** One stored message. Ids are integers from 5001, increasing in creation order. */
export interface AuroraMessageRecord {
  readonly id: number;
  readonly chatId: number;
  readonly role: AuroraRole;
  readonly content: string;
  /**
   * Epoch milliseconds (our answer to the spec's undocumented unit). Server-assigned timestamps never
   * decrease with `id`; `POST /message/save` stores the client's timestamp as given.
   */
  readonly timestamp: number;
}

/** A user to create. */
export interface AuroraUserSeed {
  username: string;
  password: string;
  /** Default `<username>@example.com`. */
  email?: string;
  /** Messages allowed per plan period (default: the emulator's `quota` option). */
  quotaMax?: number;
}

/** A character to create. */
export interface AuroraCharacterSeed {
  name: string;
  description?: string;
  aiPrompt?: string;
  /** Default `Hello, I am <name>.`. */
  initialResponse?: string;
  isOfficial?: boolean;
  isPrivate?: boolean;
  /** Username of the creator (who alone sees a private character). */
  creator?: string;
}

/** A page of one chat's history, newest first. */
export interface AuroraMessagePage {
  messages: AuroraMessageRecord[];
  /** `true` when no older message remains. */
  endOfList: boolean;
}

const PLACEHOLDER_AVIF = 'AAAAHGZ0eXBhdmlmAAAAAGF2aWZtaWYxbWlhZg==';

/** The emulator's in-memory state. Every lookup and history page is O(log n) or better in the history length. */
export class AuroraStore {
  readonly #users = new Map<string, AuroraUserRecord>();
  readonly #tokens = new Map<string, string>();
  readonly #characters: AuroraCharacterRecord[] = [];
  readonly #chats = new Map<number, AuroraChatRecord & { readonly messageIds: number[] }>();
  readonly #messages = new Map<number, AuroraMessageRecord>();
  #nextCharacterId = 1;
  #nextChatId = 301;
  #nextMessageId = 5001;
  #lastTimestamp = 0;

  constructor(
    private readonly now: () => number,
    private readonly defaultQuota: number,
  ) {}

  /** @throws {Error} when the username or email is taken. */
  addUser(seed: AuroraUserSeed): AuroraUserRecord {
    const email = seed.email ?? `${seed.username}@example.com`;
    if (this.isTaken(seed.username, email)) throw new Error(`Aurora user ${seed.username} already exists`);
    const user = {
      username: seed.username,
      email,
      password: seed.password,
      quotaUsed: 0,
      quotaMax: seed.quotaMax ?? this.defaultQuota,
    };
    this.#users.set(user.username, user);
    return user;
  }

  isTaken(username: string, email: string): boolean {
    if (this.#users.has(username)) return true;
    for (const user of this.#users.values()) if (user.email === email) return true;
    return false;
  }

  user(username: string): AuroraUserRecord | undefined {
    return this.#users.get(username);
  }

  /** A new access token for a valid username/password, else `undefined`. */
  login(username: string, password: string): string | undefined {
    return this.#users.get(username)?.password === password ? this.issueToken(username) : undefined;
  }

  issueToken(username: string): string {
    const token = randomBytes(24).toString('base64url');
    this.#tokens.set(token, username);
    return token;
  }

  userForToken(token: string): AuroraUserRecord | undefined {
    const username = this.#tokens.get(token);
    return username === undefined ? undefined : this.#users.get(username);
  }

  /** Invalidates every token of `username`. */
  revokeTokens(username: string): void {
    for (const [token, owner] of this.#tokens) if (owner === username) this.#tokens.delete(token);
  }

  addCharacter(seed: AuroraCharacterSeed): AuroraCharacterRecord {
    const character: AuroraCharacterRecord = {
      id: this.#nextCharacterId++,
      name: seed.name,
      description: seed.description ?? `${seed.name}, an Aurora character.`,
      aiPrompt: seed.aiPrompt ?? `You are ${seed.name}.`,
      initialResponse: seed.initialResponse ?? `Hello, I am ${seed.name}.`,
      isOfficial: seed.isOfficial ?? false,
      isPrivate: seed.isPrivate ?? false,
      ...(seed.creator === undefined ? {} : { creator: seed.creator }),
      ttsCharacter: 1,
      iconImage: PLACEHOLDER_AVIF,
    };
    this.#characters.push(character);
    return character;
  }

  get characters(): readonly AuroraCharacterRecord[] {
    return this.#characters;
  }

  character(id: number): AuroraCharacterRecord | undefined {
    return this.#characters.find((character) => character.id === id);
  }

  /** `true` when `username` may see and chat with the character. */
  canUse(character: AuroraCharacterRecord, username: string): boolean {
    return !character.isPrivate || character.creator === username;
  }

  /** Characters `viewer` can see with id ≥ `from`, ascending by id, at most `count`. */
  listCharacters(
    viewer: string,
    from: number,
    count: number,
  ): { characters: AuroraCharacterRecord[]; isEndOfList: boolean } {
    const visible = this.#characters.filter((c) => c.id >= from && this.canUse(c, viewer));
    return { characters: visible.slice(0, count), isEndOfList: visible.length <= count };
  }

  /** Creates a chat and stores the character's initial response as its first message. */
  createChat(owner: string, character: AuroraCharacterRecord): AuroraChatRecord {
    const chat = {
      id: this.#nextChatId++,
      characterId: character.id,
      owner,
      createdAt: this.#tick(),
      messageIds: [],
    };
    this.#chats.set(chat.id, chat);
    this.addMessage(chat.id, 'assistant', character.initialResponse);
    return chat;
  }

  chat(id: number): AuroraChatRecord | undefined {
    return this.#chats.get(id);
  }

  /** The chats of `owner`, oldest first. */
  chatsOf(owner: string): AuroraChatRecord[] {
    return [...this.#chats.values()].filter((chat) => chat.owner === owner);
  }

  /** Deletes a chat and all its messages. */
  deleteChat(id: number): void {
    const chat = this.#chats.get(id);
    if (!chat) return;
    for (const messageId of chat.messageIds) this.#messages.delete(messageId);
    this.#chats.delete(id);
  }

  /**
   * Appends a message, timestamped now unless `timestamp` (epoch ms) is given.
   * @throws {Error} when the chat does not exist.
   */
  addMessage(chatId: number, role: AuroraRole, content: string, timestamp?: number): AuroraMessageRecord {
    const chat = this.#chats.get(chatId);
    if (!chat) throw new Error(`Aurora chat ${chatId} does not exist`);
    const message = {
      id: this.#nextMessageId++,
      chatId,
      role,
      content,
      timestamp: timestamp ?? this.#tick(),
    };
    this.#messages.set(message.id, message);
    chat.messageIds.push(message.id);
    return message;
  }

  /** The current time in epoch milliseconds, never earlier than a previous tick. */
  #tick(): number {
    this.#lastTimestamp = Math.max(this.now(), this.#lastTimestamp);
    return this.#lastTimestamp;
  }

  message(id: number): AuroraMessageRecord | undefined {
    return this.#messages.get(id);
  }

  deleteMessage(id: number): void {
    const message = this.#messages.get(id);
    if (!message) return;
    const ids = this.#chats.get(message.chatId)!.messageIds;
    ids.splice(indexAtOrBefore(ids, id), 1);
    this.#messages.delete(id);
  }

  /** Up to `count` messages of a chat with id ≤ `from` (default: the newest), newest first. */
  pageMessages(chatId: number, count: number, from?: number): AuroraMessagePage {
    const ids = this.#chats.get(chatId)?.messageIds ?? [];
    const start = from === undefined ? ids.length - 1 : indexAtOrBefore(ids, from);
    const end = Math.max(-1, start - count);
    const messages: AuroraMessageRecord[] = [];
    for (let i = start; i > end; i -= 1) messages.push(this.#messages.get(ids[i]!)!);
    return { messages, endOfList: end < 0 };
  }

  /** Every message of a chat, oldest first. */
  history(chatId: number): AuroraMessageRecord[] {
    return (this.#chats.get(chatId)?.messageIds ?? []).map((id) => this.#messages.get(id)!);
  }

  /** The chat's newest message. */
  latest(chatId: number): AuroraMessageRecord | undefined {
    const ids = this.#chats.get(chatId)?.messageIds ?? [];
    return ids.length === 0 ? undefined : this.#messages.get(ids[ids.length - 1]!);
  }
}

/** Index of the largest element ≤ `value` in an ascending array (-1 when none). */
function indexAtOrBefore(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! <= value) low = mid + 1;
    else high = mid - 1;
  }
  return high;
}
