/**
 * `chat.bsky.actor.defs#profileViewBasic` (or a bare `{did}` sender) → {@link Participant}.
 * @module
 */
import type { Participant } from '@switchboard/core';
import type { ProfileViewBasic } from './bluesky-schemas.js';

/** What mapping needs to know besides the payload: who we are, and the profiles the response carried. */
export interface BlueskyMappingContext {
  /** The DID of the logged-in account (`isSelf`). */
  selfDid: string;
  /** Profiles by DID (convo members, `relatedProfiles`), used to fill in bare `{did}` senders. */
  profiles: ReadonlyMap<string, ProfileViewBasic>;
}

/** Indexes profiles by DID. */
export function indexProfiles(...lists: ReadonlyArray<readonly ProfileViewBasic[] | undefined>) {
  const profiles = new Map<string, ProfileViewBasic>();
  for (const list of lists) for (const profile of list ?? []) profiles.set(profile.did, profile);
  return profiles;
}

/**
 * Maps a DID to a participant, with handle, display name and avatar when a profile for it is known.
 * Placeholder handles of missing accounts (`*.invalid`, e.g. `handle.invalid`) are left out.
 */
export function mapBlueskyParticipant(did: string, context: BlueskyMappingContext): Participant {
  const profile = context.profiles.get(did);
  const participant: Participant = { id: did, kind: 'user', isSelf: did === context.selfDid };
  if (!profile) return participant;
  if (!profile.handle.endsWith('.invalid')) participant.handle = profile.handle;
  if (profile.displayName) participant.displayName = profile.displayName;
  if (profile.avatar) participant.avatarUrl = profile.avatar;
  participant.raw = profile;
  return participant;
}
