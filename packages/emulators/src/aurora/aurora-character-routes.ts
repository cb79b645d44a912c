import type { Hono } from 'hono';
import { auroraErrorText } from './aurora-error-bodies.js';
import {
  type AuroraApiVersion,
  type AuroraEnv,
  fail,
  intQuery,
  pageQuery,
  requireToken,
} from './aurora-http.js';
import type { AuroraCharacterRecord, AuroraStore } from './aurora-store.js';

/** Most characters one `GET /characters` returns (the SDK documents "≤100"). */
const MAX_CHARACTERS = 100;

/**
 * `GET /characters?numCharacters=&from=` (ascending ids; `from` is the first id to include) and
 * `GET /character?characterId=`. An unknown id answers 400 with the generic literal (the API declares
 * nothing more specific); someone else's private character answers 403 in v11 and looks unknown in v5,
 * which had no private characters.
 */
export function registerAuroraCharacterRoutes(
  app: Hono<AuroraEnv>,
  store: AuroraStore,
  version: AuroraApiVersion,
) {
  const auth = requireToken(store);
  const summary = (character: AuroraCharacterRecord) =>
    version === 'v11'
      ? {
          name: character.name,
          description: character.description,
          isOfficial: character.isOfficial,
          isPrivate: character.isPrivate,
          id: character.id,
        }
      : {
          name: character.name,
          description: character.description,
          iconImage: character.iconImage,
          isOfficial: character.isOfficial,
          id: character.id,
        };

  app.get('/characters', auth, (c) => {
    const query = pageQuery(c, 'numCharacters', MAX_CHARACTERS);
    if (!query) return fail(c, 400, auroraErrorText.badRequest);
    const page = store.listCharacters(c.get('user').username, query.from ?? 0, query.count);
    return c.json({ success: true, characters: page.characters.map(summary), isEndOfList: page.isEndOfList });
  });

  app.get('/character', auth, (c) => {
    const id = intQuery(c.req.query('characterId'));
    const character = id === undefined ? undefined : store.character(id);
    if (!character) return fail(c, 400, auroraErrorText.badRequest);
    if (!store.canUse(character, c.get('user').username))
      return version === 'v11'
        ? fail(c, 403, auroraErrorText.privateCharacter)
        : fail(c, 400, auroraErrorText.badRequest);
    const { name, description, isOfficial, isPrivate, ttsCharacter, iconImage } = character;
    return c.json(
      version === 'v11'
        ? { name, description, isOfficial, isPrivate, ttsCharacter }
        : { iconImage, name, description, isOfficial },
    );
  });
}
