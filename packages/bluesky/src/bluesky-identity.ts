/**
 * DIDs and handles: syntax checks (before any request) and handle → DID resolution with
 * `com.atproto.identity.resolveHandle`.
 * @module
 */
import { InvalidRequestError } from '@switchboard/core';
import type { HttpClient } from '@switchboard/core/http';
import { resolveHandleOutputSchema } from './bluesky-schemas.js';

const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$/;
const HANDLE = /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/** A participant as given by the app: a DID, or a handle (without `@`, lower-case). */
export type ActorRef = { did: string } | { handle: string };

/**
 * Parses a DID (`did:plc:…`) or a handle (`alice.bsky.social`, a leading `@` allowed).
 * @throws {InvalidRequestError} when it is neither.
 */
export function parseActor(value: string): ActorRef {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed.startsWith('did:') && trimmed.length <= 2048 && DID.test(trimmed)) return { did: trimmed };
  const handle = trimmed.replace(/^@/, '').toLowerCase();
  if (handle.length <= 253 && HANDLE.test(handle)) return { handle };
  throw new InvalidRequestError(`bluesky: "${String(value).slice(0, 100)}" is neither a DID nor a handle.`, {
    provider: 'bluesky',
    issues: [
      { path: 'participantIds', message: 'expected a DID (did:plc:…) or a handle (alice.bsky.social)' },
    ],
  });
}

/**
 * The DID of an actor; handles are resolved with `GET /xrpc/com.atproto.identity.resolveHandle`.
 * @throws {NotFoundError} when the handle does not resolve (`HandleNotFound`, "Unable to resolve handle").
 */
export async function resolveActor(http: HttpClient, actor: ActorRef, signal?: AbortSignal): Promise<string> {
  if ('did' in actor) return actor.did;
  const { did } = await http.request({
    method: 'GET',
    path: '/xrpc/com.atproto.identity.resolveHandle',
    query: { handle: actor.handle },
    schema: resolveHandleOutputSchema,
    auth: false,
    signal,
  });
  return did;
}
