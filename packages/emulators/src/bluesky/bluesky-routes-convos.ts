import { type ChatRouteDeps, chatProcedure, chatQuery, viewerOf } from './bluesky-chat-method.js';
import {
  inputObject,
  limitParam,
  membersParam,
  optionalString,
  requireParam,
  requireString,
} from './bluesky-lex-reader.js';
import type { Convo } from './bluesky-model.js';
import type { XrpcCall, XrpcMethod } from './bluesky-xrpc-router.js';

/**
 * The conversation methods of `chat.bsky.convo.*` (spec §2.1 and updateRead/updateAllRead), for
 * direct (1-1) convos. Privileged flags follow the PDS's `PRIVILEGED_METHODS`; the newer methods
 * (acceptConvo, getConvoAvailability, updateAllRead) are not in it, so the PDS lets them through.
 */
export function convoMethods({ store, views }: ChatRouteDeps): Record<string, XrpcMethod> {
  const wrap = (call: XrpcCall, convo: Convo) => ({ convo: views.convo(convo, viewerOf(call)) });
  const convoIdOf = (call: XrpcCall) => requireString(inputObject(call.input), 'convoId');

  return {
    'chat.bsky.convo.listConvos': chatQuery(true, (call) => {
      const viewer = viewerOf(call);
      const cursor = call.params.get('cursor') ?? undefined;
      const readState = call.params.get('readState') ?? undefined;
      const status = call.params.get('status') ?? undefined;
      const kind = call.params.get('kind') ?? undefined;
      const lockStatus = call.params.get('lockStatus') ?? undefined;
      const page = store.listConvos(viewer, {
        ...(kind === undefined ? {} : { kind }),
        ...(lockStatus === undefined ? {} : { lockStatus }),
        limit: limitParam(call.params),
        ...(cursor === undefined ? {} : { cursor }),
        ...(readState === undefined ? {} : { readState }),
        ...(status === undefined ? {} : { status }),
      });
      return {
        ...(page.cursor ? { cursor: page.cursor } : {}),
        convos: page.items.map((convo) => views.convo(convo, viewer)),
      };
    }),
    'chat.bsky.convo.getConvo': chatQuery(true, (call) =>
      wrap(call, store.convo(viewerOf(call), requireParam(call.params, 'convoId'))),
    ),
    'chat.bsky.convo.getConvoForMembers': chatQuery(true, (call) =>
      wrap(call, store.getOrCreateDirectConvo(viewerOf(call), membersParam(call.params))),
    ),
    'chat.bsky.convo.getConvoAvailability': chatQuery(false, (call) => {
      const { canChat, convo } = store.availability(viewerOf(call), membersParam(call.params));
      return { canChat, ...(convo ? wrap(call, convo) : {}) };
    }),
    'chat.bsky.convo.acceptConvo': chatProcedure(false, (call) => {
      const rev = store.accept(viewerOf(call), convoIdOf(call));
      return rev === undefined ? {} : { rev };
    }),
    'chat.bsky.convo.leaveConvo': chatProcedure(true, (call) => {
      const convoId = convoIdOf(call);
      return { convoId, rev: store.leave(viewerOf(call), convoId) };
    }),
    'chat.bsky.convo.muteConvo': chatProcedure(true, (call) =>
      wrap(call, store.setMuted(viewerOf(call), convoIdOf(call), true)),
    ),
    'chat.bsky.convo.unmuteConvo': chatProcedure(true, (call) =>
      wrap(call, store.setMuted(viewerOf(call), convoIdOf(call), false)),
    ),
    'chat.bsky.convo.updateRead': chatProcedure(true, (call) => {
      const input = inputObject(call.input);
      const convoId = requireString(input, 'convoId');
      const messageId = optionalString(input, 'messageId');
      return wrap(call, store.markRead(viewerOf(call), convoId, messageId));
    }),
    'chat.bsky.convo.updateAllRead': chatProcedure(false, (call) => {
      const status = optionalString(inputObject(call.input), 'status');
      return { updatedCount: store.markAllRead(viewerOf(call), status) };
    }),
  };
}
