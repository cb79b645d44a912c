import { NotFoundError, type Participant } from '@switchboard/core';
import type { AuroraApi } from './aurora-api.js';
import type { AuroraChat } from './aurora-schemas.js';
import { mapAuroraCharacterParticipant, mapAuroraSelfParticipant } from './map-aurora-participant.js';

/**
 * Who is who, cached for the adapter's lifetime: the logged-in user, characters (one
 * `GET /character` each), and which character each chat is with (from `GET /chats`; a chat never
 * changes character). Failed look-ups are not cached.
 */
export function createAuroraDirectory(api: AuroraApi, username: string | undefined) {
  let self: Promise<Participant> | undefined;
  const characters = new Map<number, Promise<Participant>>();
  const chatCharacters = new Map<number, number>();

  const cached = <K>(cache: Map<K, Promise<Participant>>, key: K, load: () => Promise<Participant>) => {
    let entry = cache.get(key);
    if (!entry) {
      entry = load();
      cache.set(key, entry);
      entry.catch(() => cache.delete(key));
    }
    return entry;
  };

  const loadSelf = (signal?: AbortSignal) => {
    const loading = api.userInfo(signal).then((info) => mapAuroraSelfParticipant(info.username, info));
    loading.catch(() => {
      if (self === loading) self = undefined;
    });
    return loading;
  };

  const directory = {
    /** The logged-in user: from the options, else `GET /user/info` (v11, once), else `'me'` (v5). */
    self(signal?: AbortSignal): Promise<Participant> {
      if (username !== undefined || api.version === 'v5')
        return Promise.resolve(mapAuroraSelfParticipant(username));
      self ??= loadSelf(signal);
      return self;
    },

    /** Checks the credentials with one request and returns the user: `GET /user/info` (v11), `GET /chats` (v5). */
    async connect(signal?: AbortSignal): Promise<Participant> {
      if (api.version === 'v5') {
        await directory.chats(signal);
        return directory.self(signal);
      }
      self = loadSelf(signal);
      return self;
    },

    /** A character as a participant (`GET /character`, once per character). */
    character(characterId: number, signal?: AbortSignal): Promise<Participant> {
      return cached(characters, characterId, async () =>
        mapAuroraCharacterParticipant(characterId, await api.character(characterId, signal), api.version),
      );
    },

    /** Every chat of the user (`GET /chats`), remembering each chat's character. */
    async chats(signal?: AbortSignal): Promise<AuroraChat[]> {
      const chats = await api.chats(signal);
      for (const chat of chats) chatCharacters.set(chat.chatId, chat.characterId);
      return chats;
    },

    /**
     * The character a chat is with.
     * @throws {NotFoundError} when the user has no such chat.
     */
    async characterOf(chatId: number, signal?: AbortSignal): Promise<number> {
      if (!chatCharacters.has(chatId)) await directory.chats(signal);
      const characterId = chatCharacters.get(chatId);
      if (characterId === undefined)
        throw new NotFoundError(`aurora: no chat ${chatId} among this user's chats.`, { provider: 'aurora' });
      return characterId;
    },

    /** Records a chat just created, or forgets a deleted one (`characterId` undefined). */
    remember(chatId: number, characterId: number | undefined): void {
      if (characterId === undefined) chatCharacters.delete(chatId);
      else chatCharacters.set(chatId, characterId);
    },
  };
  return directory;
}

/** The adapter's cache of participants and chats. */
export type AuroraDirectory = ReturnType<typeof createAuroraDirectory>;
