/**
 * Typed calls to `chat.bsky.*` through the PDS: queries as GET with URL parameters, procedures as
 * POST with a JSON body, every call with `atproto-proxy: <chatServiceDid>#bsky_chat`.
 * @module
 */
import type { HttpClient, QueryValue } from '@switchboard/core/http';
import type { ZodType } from 'zod';

/** Calls chat methods of the Bluesky chat service, proxied by the user's PDS. */
export interface BlueskyApi {
  /** `GET /xrpc/<nsid>?<params>`. Retried on network errors, 5xx and 429. */
  query<T>(
    nsid: string,
    params: Record<string, QueryValue>,
    schema: ZodType<T>,
    signal?: AbortSignal,
  ): Promise<T>;
  /**
   * `POST /xrpc/<nsid>` with a JSON body. `idempotent` procedures (mark read, react, mute…) are
   * retried like queries; others only when the server certainly did not process them (429, 503, refused).
   */
  procedure<T>(
    nsid: string,
    input: Record<string, unknown>,
    schema: ZodType<T>,
    options: { idempotent: boolean; signal?: AbortSignal | undefined },
  ): Promise<T>;
}

/**
 * Creates a {@link BlueskyApi} over the authenticated PDS client. `ensureSession` runs before
 * each call: the first login tells which PDS to call, so no URL may be built before it.
 */
export function createBlueskyApi(
  http: HttpClient,
  chatServiceDid: string,
  ensureSession: (signal?: AbortSignal) => Promise<unknown>,
): BlueskyApi {
  const headers = { 'atproto-proxy': `${chatServiceDid}#bsky_chat` };
  return {
    async query(nsid, params, schema, signal) {
      await ensureSession(signal);
      return http.request({ method: 'GET', path: `/xrpc/${nsid}`, query: params, headers, schema, signal });
    },
    async procedure(nsid, input, schema, { idempotent, signal }) {
      await ensureSession(signal);
      return http.request({
        method: 'POST',
        path: `/xrpc/${nsid}`,
        body: input,
        headers,
        schema,
        idempotent,
        signal,
      });
    },
  };
}
