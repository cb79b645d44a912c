import { createHash } from 'node:crypto';

const HANDLE = /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Whether `value` has the atproto `handle` syntax (a domain name, at most 253 characters). */
export function isValidHandle(value: string): boolean {
  return value.length <= 253 && HANDLE.test(value);
}

/** Whether `value` has the atproto `did` syntax. */
export function isValidDid(value: string): boolean {
  return value.length <= 2048 && DID.test(value);
}

/**
 * The `did:plc:` identifier the emulator gives a handle: 24 lower-case base32 characters of the
 * handle's SHA-256, so a handle always maps to the same DID across emulator runs.
 */
export function didForHandle(handle: string): string {
  const digest = createHash('sha256').update(handle.toLowerCase()).digest();
  let suffix = '';
  for (let i = 0; i < 24; i += 1) suffix += BASE32[digest[i]! % 32];
  return `did:plc:${suffix}`;
}
