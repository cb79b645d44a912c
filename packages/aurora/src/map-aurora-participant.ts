import type { Participant } from '@switchboard/core';
import type { AuroraApiVersion } from './aurora-options.js';
import type { AuroraCharacter } from './aurora-schemas.js';

/** Where Aurora serves character images since v7 (README "Getting Character Images"). */
const CDN = 'https://ai-chat-cdn.aurora-interactive.online/characters';

/**
 * An AI character as a participant (`kind: 'bot'`). The avatar is the CDN icon (v11) or the icon the
 * v5 API embeds, as a `data:` URL.
 */
export function mapAuroraCharacterParticipant(
  characterId: number,
  character: AuroraCharacter,
  version: AuroraApiVersion,
): Participant {
  const avatarUrl =
    version === 'v11'
      ? `${CDN}/${characterId}/icon.avif`
      : character.iconImage && `data:image/avif;base64,${character.iconImage}`;
  return {
    id: String(characterId),
    displayName: character.name,
    ...(avatarUrl ? { avatarUrl } : {}),
    kind: 'bot',
    isSelf: false,
    raw: character,
  };
}

/**
 * The logged-in user. Aurora exposes no user id, so the id is the username (unique per account), or
 * `'me'` when the username is unknown (a v5 adapter given only an access token).
 */
export function mapAuroraSelfParticipant(username: string | undefined, raw?: unknown): Participant {
  return {
    id: username ?? 'me',
    ...(username === undefined ? {} : { handle: username }),
    kind: 'user',
    isSelf: true,
    ...(raw === undefined ? {} : { raw }),
  };
}

/** The sender of `system`-role messages (prompts saved with `message/save`). */
export const auroraSystemParticipant: Participant = Object.freeze({
  id: 'system',
  displayName: 'System',
  kind: 'bot',
  isSelf: false,
});
