/**
 * The people the emulator tests seed: one name gives the login and its password (`pw-<name>`), so a
 * test reads `auroraUsers('ann', 'eve')` instead of repeating each account literal.
 * @module
 */
import type { AuroraUserSeed } from '../src/aurora/index.js';
import type { BlueskyAccountSeed } from '../src/bluesky/index.js';

/** The Bluesky account `<name>.test` with the password `pw-<name>`, plus `extra` seed fields. */
export function blueskyAccount(name: string, extra: Partial<BlueskyAccountSeed> = {}): BlueskyAccountSeed {
  return { handle: `${name}.test`, password: `pw-${name}`, ...extra };
}

/** {@link blueskyAccount} for each name, in order. */
export function blueskyAccounts(...names: string[]): BlueskyAccountSeed[] {
  return names.map((name) => blueskyAccount(name));
}

/** The Aurora users `<name>` with the password `pw-<name>`, in order. */
export function auroraUsers(...names: string[]): AuroraUserSeed[] {
  return names.map((name) => ({ username: name, password: `pw-${name}` }));
}
