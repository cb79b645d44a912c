import { type ChatRouteDeps, chatProcedure, chatQuery, viewerOf } from './bluesky-chat-method.js';
import {
  inputObject,
  limitParam,
  readMessageInput,
  requireArray,
  requireParam,
  requireReactionValue,
  requireString,
} from './bluesky-lex-reader.js';
import { LEXICON_LIMITS } from './bluesky-lexicon-limits.js';
import type { XrpcCall, XrpcMethod } from './bluesky-xrpc-router.js';

/**
 * The message methods of `chat.bsky.convo.*` (spec §2.2): getMessages (newest first, cursor walks
 * back in time), sendMessage, sendMessageBatch, deleteMessageForSelf, addReaction/removeReaction,
 * and getLog (the viewer's events after a cursor).
 */
export function messageMethods({ store, views }: ChatRouteDeps): Record<string, XrpcMethod> {
  const reactionInput = (call: XrpcCall) => {
    const input = inputObject(call.input);
    return {
      convoId: requireString(input, 'convoId'),
      messageId: requireString(input, 'messageId'),
      value: requireReactionValue(input),
    };
  };

  return {
    'chat.bsky.convo.getMessages': chatQuery(true, (call) => {
      const viewer = viewerOf(call);
      const convoId = requireParam(call.params, 'convoId');
      const cursor = call.params.get('cursor') ?? undefined;
      const page = store.messages(viewer, convoId, {
        limit: limitParam(call.params),
        ...(cursor === undefined ? {} : { cursor }),
      });
      return {
        ...(page.cursor ? { cursor: page.cursor } : {}),
        messages: page.items.map((message) => views.message(message, viewer)),
        relatedProfiles: views.relatedProfiles(page.items),
      };
    }),
    'chat.bsky.convo.sendMessage': chatProcedure(true, (call) => {
      const input = inputObject(call.input);
      const convoId = requireString(input, 'convoId');
      return views.liveMessage(store.send(viewerOf(call), convoId, readMessageInput(input, 'Input')));
    }),
    'chat.bsky.convo.sendMessageBatch': chatProcedure(true, (call) => {
      const items = requireArray(inputObject(call.input), 'items', 'Input', LEXICON_LIMITS.batch.max).map(
        (value, i) => {
          const path = `Input/items/${i}`;
          const item = inputObject(value, path);
          return {
            convoId: requireString(item, 'convoId', path),
            message: readMessageInput(item, path),
          };
        },
      );
      return { items: store.sendBatch(viewerOf(call), items).map((message) => views.liveMessage(message)) };
    }),
    'chat.bsky.convo.deleteMessageForSelf': chatProcedure(true, (call) => {
      const input = inputObject(call.input);
      const convoId = requireString(input, 'convoId');
      const messageId = requireString(input, 'messageId');
      return views.deletedMessage(store.deleteForSelf(viewerOf(call), convoId, messageId));
    }),
    'chat.bsky.convo.addReaction': chatProcedure(false, (call) => {
      const { convoId, messageId, value } = reactionInput(call);
      return { message: views.liveMessage(store.addReaction(viewerOf(call), convoId, messageId, value)) };
    }),
    'chat.bsky.convo.removeReaction': chatProcedure(false, (call) => {
      const { convoId, messageId, value } = reactionInput(call);
      return { message: views.liveMessage(store.removeReaction(viewerOf(call), convoId, messageId, value)) };
    }),
    'chat.bsky.convo.getLog': chatQuery(true, (call) => {
      const viewer = viewerOf(call);
      const page = store.logPage(viewer, call.params.get('cursor') ?? undefined);
      return { cursor: page.cursor, logs: page.items.map((entry) => views.log(entry, viewer)) };
    }),
  };
}
