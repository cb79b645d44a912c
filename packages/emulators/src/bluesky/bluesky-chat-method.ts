import type { BlueskyChatStore } from './bluesky-store.js';
import type { BlueskyViews } from './bluesky-views.js';
import type { XrpcCall, XrpcMethod } from './bluesky-xrpc-router.js';

/** What the chat methods need. */
export interface ChatRouteDeps {
  store: BlueskyChatStore;
  views: BlueskyViews;
}

/** The viewer's DID (chat methods always run with a verified access token). */
export const viewerOf = (call: XrpcCall) => call.token!.did;

/** A chat query (GET); `privileged` = needs an app password with DM access. */
export const chatQuery = (privileged: boolean, handle: XrpcMethod['handle']): XrpcMethod => ({
  type: 'query',
  auth: 'access',
  chat: { privileged },
  handle,
});

/** A chat procedure (POST with a JSON body); `privileged` = needs an app password with DM access. */
export const chatProcedure = (privileged: boolean, handle: XrpcMethod['handle']): XrpcMethod => ({
  type: 'procedure',
  auth: 'access',
  input: true,
  chat: { privileged },
  handle,
});
