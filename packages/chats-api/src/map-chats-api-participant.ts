import type { Participant } from '@switchboard/core';

/** The fields of `UserPublic` / `UserSearchPublic` a participant is made of. */
export interface ChatsApiUser {
  id: string;
  username: string;
  first_name?: string | null;
  last_name?: string | null;
  avatar?: string | null;
}

/** "first last" as the server writes it (either part may be missing), or `undefined`. */
export function displayNameOf(user: ChatsApiUser): string | undefined {
  return [user.first_name, user.last_name].filter(Boolean).join(' ') || undefined;
}

/** Maps a user to a `Participant` (`handle` = username; every account is a `'user'`). */
export function mapChatsApiParticipant(user: ChatsApiUser, selfId: string): Participant {
  const participant: Participant = {
    id: user.id,
    handle: user.username,
    kind: 'user',
    isSelf: user.id === selfId,
    raw: user,
  };
  const displayName = displayNameOf(user);
  if (displayName) participant.displayName = displayName;
  if (user.avatar) participant.avatarUrl = user.avatar;
  return participant;
}

/** A participant known only by id (a message sender outside a response that lists the chat's users). */
export function participantById(id: string, selfId: string): Participant {
  return { id, kind: 'user', isSelf: id === selfId };
}
