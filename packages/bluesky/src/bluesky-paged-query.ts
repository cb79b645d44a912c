/**
 * One page of a `chat.bsky.*` list query (`listConvos`, `getMessages`, `getConvoMembers`,
 * `listJoinRequests`, `listMutualGroups`): the same request and `Page` shape for all of them.
 * @module
 */
import type { Page, PageParams } from '@switchboard/core';
import type { QueryValue } from '@switchboard/core/http';
import type { ZodType } from 'zod';
import type { BlueskyApi } from './bluesky-api.js';
import { assertPageSize } from './bluesky-limits.js';

/**
 * Sends one list query: `GET /xrpc/<nsid>` with `params` plus the page's `limit` and `cursor`, and
 * returns `items(output, selfDid)` with the output's `cursor` as `nextCursor` (absent on the last page).
 * Checks `limit` (1..100, `InvalidRequestError`) before any request; check the other inputs first.
 */
export type BlueskyPagedQuery = <Output extends { cursor?: string | undefined }, Item>(
  nsid: string,
  params: Record<string, QueryValue>,
  page: PageParams,
  schema: ZodType<Output>,
  items: (output: Output, selfDid: string) => Item[],
  signal: AbortSignal | undefined,
) => Promise<Page<Item>>;

/** Builds {@link BlueskyPagedQuery} over the chat API; `selfDid` logs in when needed (our DID maps `isSelf`). */
export function createBlueskyPagedQuery(
  api: BlueskyApi,
  selfDid: (signal?: AbortSignal) => Promise<string>,
): BlueskyPagedQuery {
  return async (nsid, params, page, schema, items, signal) => {
    assertPageSize(page.limit);
    const me = await selfDid(signal);
    const output = await api.query(
      nsid,
      { ...params, limit: page.limit, cursor: page.cursor },
      schema,
      signal,
    );
    return { items: items(output, me), ...(output.cursor ? { nextCursor: output.cursor } : {}) };
  };
}
