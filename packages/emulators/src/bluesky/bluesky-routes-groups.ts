import { type ChatRouteDeps, chatProcedure, chatQuery, viewerOf } from './bluesky-chat-method.js';
import { isValidDid } from './bluesky-identity.js';
import { inputObject, limitParam, requireParam, requireString } from './bluesky-lex-reader.js';
import { LEXICON_LIMITS } from './bluesky-lexicon-limits.js';
import type { Convo, JoinLink } from './bluesky-model.js';
import { invalidRequest } from './bluesky-xrpc-error.js';
import type { XrpcCall, XrpcMethod } from './bluesky-xrpc-router.js';

type JsonObject = Record<string, unknown>;

/** A required array of DIDs (`min`..`max` items), with the lexicon validator's messages. */
function requireDids(obj: JsonObject, key: string, limits: { min?: number; max?: number } = {}): string[] {
  const value = obj[key];
  if (value === undefined) throw invalidRequest(`Input must have the property "${key}"`);
  if (!Array.isArray(value)) throw invalidRequest(`Input/${key} must be an array`);
  if (limits.max !== undefined && value.length > limits.max)
    throw invalidRequest(`Input/${key} must not have more than ${limits.max} elements`);
  if (limits.min !== undefined && value.length < limits.min)
    throw invalidRequest(`Input/${key} must not have fewer than ${limits.min} elements`);
  return value.map((did, i) => {
    if (typeof did !== 'string' || !isValidDid(did))
      throw invalidRequest(`Input/${key}/${i} must be a valid did`);
    return did;
  });
}

function optionalBoolean(obj: JsonObject, key: string): boolean | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`Input/${key} must be a boolean`);
  return value;
}

function optionalJoinRule(obj: JsonObject): JoinLink['joinRule'] | undefined {
  const value = obj.joinRule;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidRequest('Input/joinRule must be a string');
  // DEFINE: knownValues are open in the lexicon; the emulator knows these two rules only.
  if (value !== 'anyone' && value !== 'followedByOwner') throw invalidRequest(`Unknown join rule: ${value}`);
  return value;
}

/**
 * The group-chat methods (spec §2.4 and the group additions of §2.1): `chat.bsky.group.*` (create,
 * add/remove members, edit, join links, join requests, mutual groups), `chat.bsky.convo.lockConvo`
 * / `unlockConvo` / `getConvoMembers` / `listConvoRequests`, and `chat.bsky.actor.getStatus`.
 * None is in the PDS's `PRIVILEGED_METHODS`, so an app password without DM access passes the PDS.
 */
export function groupMethods({ store, views }: ChatRouteDeps): Record<string, XrpcMethod> {
  const wrap = (call: XrpcCall, convo: Convo) => ({ convo: views.convo(convo, viewerOf(call)) });
  const input = (call: XrpcCall) => inputObject(call.input);
  const convoIdOf = (call: XrpcCall) => requireString(input(call), 'convoId');
  const cursorOf = (call: XrpcCall) => {
    const cursor = call.params.get('cursor');
    return cursor === null ? {} : { cursor };
  };
  const joinLinkChange = (change: 'enable' | 'disable') =>
    chatProcedure(false, (call) => ({
      joinLink: views.joinLink(store.updateJoinLink(viewerOf(call), convoIdOf(call), change)),
    }));

  return {
    'chat.bsky.actor.getStatus': chatQuery(false, (call) => ({
      chatDisabled: false,
      canCreateGroups: store.canCreateGroups(viewerOf(call)),
      groupMemberLimit: LEXICON_LIMITS.groupMemberLimit,
    })),
    'chat.bsky.group.createGroup': chatProcedure(false, (call) => {
      const body = input(call);
      const members = requireDids(body, 'members', { max: LEXICON_LIMITS.createGroup.maxMembers });
      const name = requireString(body, 'name', 'Input', LEXICON_LIMITS.createGroup.name);
      return wrap(call, store.createGroup(viewerOf(call), members, name));
    }),
    'chat.bsky.group.addMembers': chatProcedure(false, (call) => {
      const body = input(call);
      const convoId = requireString(body, 'convoId');
      const { convo, added } = store.addMembers(
        viewerOf(call),
        convoId,
        requireDids(body, 'members', { min: 1 }),
      );
      return {
        ...wrap(call, convo),
        addedMembers: added.map((did) => views.member(convo.members.find((m) => m.did === did)!, convo)),
      };
    }),
    'chat.bsky.group.removeMembers': chatProcedure(false, (call) => {
      const body = input(call);
      const convoId = requireString(body, 'convoId');
      return wrap(
        call,
        store.removeMembers(viewerOf(call), convoId, requireDids(body, 'members', { min: 1 })),
      );
    }),
    'chat.bsky.group.editGroup': chatProcedure(false, (call) => {
      const body = input(call);
      const convoId = requireString(body, 'convoId');
      const name = requireString(body, 'name', 'Input', LEXICON_LIMITS.editGroup.name);
      return wrap(call, store.editGroup(viewerOf(call), convoId, name));
    }),
    'chat.bsky.convo.lockConvo': chatProcedure(false, (call) =>
      wrap(call, store.setLocked(viewerOf(call), convoIdOf(call), true)),
    ),
    'chat.bsky.convo.unlockConvo': chatProcedure(false, (call) =>
      wrap(call, store.setLocked(viewerOf(call), convoIdOf(call), false)),
    ),
    'chat.bsky.convo.getConvoMembers': chatQuery(false, (call) => {
      const convoId = requireParam(call.params, 'convoId');
      const convo = store.convo(viewerOf(call), convoId);
      const page = store.convoMembers(viewerOf(call), convoId, {
        limit: limitParam(call.params),
        ...cursorOf(call),
      });
      return {
        ...(page.cursor ? { cursor: page.cursor } : {}),
        members: page.items.map((member) => views.member(member, convo)),
      };
    }),
    'chat.bsky.convo.listConvoRequests': chatQuery(false, (call) => {
      const viewer = viewerOf(call);
      const page = store.convoRequests(viewer, { limit: limitParam(call.params), ...cursorOf(call) });
      return {
        ...(page.cursor ? { cursor: page.cursor } : {}),
        requests: page.items.map((convo) => ({
          $type: 'chat.bsky.convo.defs#convoView',
          ...views.convo(convo, viewer),
        })),
      };
    }),
    'chat.bsky.group.listMutualGroups': chatQuery(false, (call) => {
      const viewer = viewerOf(call);
      const subject = requireParam(call.params, 'subject');
      if (!isValidDid(subject)) throw invalidRequest('subject must be a valid did');
      const page = store.mutualGroups(viewer, subject, { limit: limitParam(call.params), ...cursorOf(call) });
      return {
        ...(page.cursor ? { cursor: page.cursor } : {}),
        convos: page.items.map((convo) => views.convo(convo, viewer)),
      };
    }),
    'chat.bsky.group.createJoinLink': chatProcedure(false, (call) => {
      const body = input(call);
      const convoId = requireString(body, 'convoId');
      const joinRule = optionalJoinRule(body);
      if (joinRule === undefined) throw invalidRequest('Input must have the property "joinRule"');
      const link = store.createJoinLink(viewerOf(call), convoId, {
        joinRule,
        requireApproval: optionalBoolean(body, 'requireApproval') ?? false,
      });
      return { joinLink: views.joinLink(link) };
    }),
    'chat.bsky.group.editJoinLink': chatProcedure(false, (call) => {
      const body = input(call);
      const convoId = requireString(body, 'convoId');
      const requireApproval = optionalBoolean(body, 'requireApproval');
      const joinRule = optionalJoinRule(body);
      const link = store.updateJoinLink(viewerOf(call), convoId, {
        ...(requireApproval === undefined ? {} : { requireApproval }),
        ...(joinRule === undefined ? {} : { joinRule }),
      });
      return { joinLink: views.joinLink(link) };
    }),
    'chat.bsky.group.enableJoinLink': joinLinkChange('enable'),
    'chat.bsky.group.disableJoinLink': joinLinkChange('disable'),
    'chat.bsky.group.getJoinLinkPreviews': chatQuery(false, (call) => {
      const codes = call.params.getAll('codes');
      const { min, max } = LEXICON_LIMITS.joinLinkCodes;
      if (codes.length === 0) throw invalidRequest('Params must have the property "codes"');
      if (codes.length > max) throw invalidRequest(`codes must not have more than ${max} elements`);
      if (codes.length < min) throw invalidRequest(`codes must not have fewer than ${min} elements`);
      const viewer = viewerOf(call);
      return {
        joinLinkPreviews: codes.map((code) => {
          const convo = store.groupByCode(code);
          const link = convo?.group?.joinLink;
          if (!convo || !link) return { $type: 'chat.bsky.group.defs#invalidJoinLinkPreviewView', code };
          if (!link.enabled) return { $type: 'chat.bsky.group.defs#disabledJoinLinkPreviewView', code };
          const owner = convo.members.find((m) => m.role === 'owner')!;
          const member = convo.members.some((m) => m.did === viewer);
          const requestedAt = convo.group!.joinRequests.get(viewer);
          return {
            $type: 'chat.bsky.group.defs#joinLinkPreviewView',
            convoId: convo.id,
            code,
            name: convo.group!.name,
            owner: views.profile(owner.did),
            memberCount: convo.members.length,
            memberLimit: convo.group!.memberLimit,
            requireApproval: link.requireApproval,
            joinRule: link.joinRule,
            ...(member ? { convo: views.convo(convo, viewer) } : {}),
            viewer: requestedAt === undefined ? {} : { requestedAt: new Date(requestedAt).toISOString() },
          };
        }),
      };
    }),
    'chat.bsky.group.requestJoin': chatProcedure(false, (call) => {
      const { status, convo } = store.requestJoin(viewerOf(call), requireString(input(call), 'code'));
      return status === 'joined' ? { status, ...wrap(call, convo) } : { status };
    }),
    'chat.bsky.group.approveJoinRequest': chatProcedure(false, (call) => {
      const body = input(call);
      const [member] = requireDids({ members: [requireString(body, 'member')] }, 'members');
      return wrap(
        call,
        store.answerJoinRequest(viewerOf(call), requireString(body, 'convoId'), member!, true),
      );
    }),
    'chat.bsky.group.rejectJoinRequest': chatProcedure(false, (call) => {
      const body = input(call);
      const [member] = requireDids({ members: [requireString(body, 'member')] }, 'members');
      store.answerJoinRequest(viewerOf(call), requireString(body, 'convoId'), member!, false);
      return {};
    }),
    'chat.bsky.group.withdrawJoinRequest': chatProcedure(false, (call) => {
      store.withdrawJoinRequest(viewerOf(call), convoIdOf(call));
      return {};
    }),
    'chat.bsky.group.listJoinRequests': chatQuery(false, (call) => {
      const convoId = requireParam(call.params, 'convoId');
      const page = store.joinRequests(viewerOf(call), convoId, {
        limit: limitParam(call.params),
        ...cursorOf(call),
      });
      return {
        ...(page.cursor ? { cursor: page.cursor } : {}),
        requests: page.items.map((request) => ({
          convoId,
          requestedBy: views.profile(request.did),
          requestedAt: new Date(request.requestedAt).toISOString(),
        })),
      };
    }),
    'chat.bsky.group.updateJoinRequestsRead': chatProcedure(false, (call) => {
      store.readJoinRequests(viewerOf(call), convoIdOf(call));
      return {};
    }),
  };
}
