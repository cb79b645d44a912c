/**
 * Bluesky-only group operations that the provider-neutral core does not model: lock/unlock, join
 * links, join requests and mutual groups (`chat.bsky.group.*`, `chat.bsky.convo.lockConvo`…).
 * @module
 */
import type { CallOptions, Conversation, Page, PageParams, Participant } from '@switchboard/core';
import { InvalidRequestError } from '@switchboard/core';
import type { BlueskyApi } from './bluesky-api.js';
import { parseActor } from './bluesky-identity.js';
import { assertId } from './bluesky-limits.js';
import { createBlueskyPagedQuery } from './bluesky-paged-query.js';
import {
  convoOutputSchema,
  emptyOutputSchema,
  joinLinkOutputSchema,
  joinLinkPreviewsOutputSchema,
  listConvosOutputSchema,
  listJoinRequestsOutputSchema,
  requestJoinOutputSchema,
} from './bluesky-schemas.js';
import { mapBlueskyConversation } from './map-bluesky-conversation.js';
import { indexProfiles, mapBlueskyParticipant } from './map-bluesky-participant.js';

/** Who may join a group by its link: anyone with the link, or only accounts the owner follows. */
export type BlueskyJoinRule = 'anyone' | 'followedByOwner';

/** A group's join link (`chat.bsky.group.defs#joinLinkView`). */
export interface BlueskyJoinLink {
  /** The code people join with (`requestJoin(code)`), also shared as a `chat.bsky.embed.joinLink`. */
  code: string;
  enabled: boolean;
  /** `true`: joining waits for the owner's approval (`approveJoinRequest`). */
  requireApproval: boolean;
  joinRule: BlueskyJoinRule | (string & {});
  createdAt: Date;
  raw: unknown;
}

/** A pending request to join a group, as its owner sees it. */
export interface BlueskyJoinRequest {
  conversationId: string;
  participant: Participant;
  requestedAt: Date;
  raw: unknown;
}

/** What a join link code leads to (`getJoinLinkPreviews`). */
export type BlueskyJoinLinkPreview =
  | {
      status: 'valid';
      code: string;
      conversationId: string;
      title: string;
      owner: Participant;
      participantCount: number;
      participantLimit: number;
      requireApproval: boolean;
      joinRule: string;
      raw: unknown;
    }
  | { status: 'disabled' | 'invalid'; code: string; raw: unknown };

/** The Bluesky-only group methods of the Bluesky adapter. All check their input before any request. */
export interface BlueskyGroupMethods {
  /**
   * Locks a group (owner only, `chat.bsky.convo.lockConvo`): nobody can send, react or add members
   * until it is unlocked. An owner can leave only a locked group.
   * @throws {PermissionDeniedError} `InsufficientRole` (not the owner), `ConvoLocked` (already locked).
   */
  lockConversation(conversationId: string, callOptions?: CallOptions): Promise<Conversation>;
  /** Unlocks a group (owner only, `chat.bsky.convo.unlockConvo`). */
  unlockConversation(conversationId: string, callOptions?: CallOptions): Promise<Conversation>;
  /**
   * Creates the group's join link (owner only, `chat.bsky.group.createJoinLink`).
   * @throws {InvalidRequestError} `EnabledJoinLinkAlreadyExists`.
   */
  createJoinLink(
    conversationId: string,
    params: { joinRule: BlueskyJoinRule; requireApproval?: boolean },
    callOptions?: CallOptions,
  ): Promise<BlueskyJoinLink>;
  /** Changes the join link's rule or approval (`chat.bsky.group.editJoinLink`). @throws {InvalidRequestError} `NoJoinLink`. */
  editJoinLink(
    conversationId: string,
    params: { joinRule?: BlueskyJoinRule; requireApproval?: boolean },
    callOptions?: CallOptions,
  ): Promise<BlueskyJoinLink>;
  /** Enables (`chat.bsky.group.enableJoinLink`) or disables (`disableJoinLink`) the join link. */
  setJoinLinkEnabled(
    conversationId: string,
    enabled: boolean,
    callOptions?: CallOptions,
  ): Promise<BlueskyJoinLink>;
  /** What 1..50 join link codes lead to, in input order (`chat.bsky.group.getJoinLinkPreviews`). */
  getJoinLinkPreviews(codes: string[], callOptions?: CallOptions): Promise<BlueskyJoinLinkPreview[]>;
  /**
   * Joins a group by its link code (`chat.bsky.group.requestJoin`): `'joined'` (with the
   * conversation) or `'pending'` (the owner must approve).
   * @throws {PermissionDeniedError} `LinkDisabled`, `FollowRequired`, `UserKicked`, `ConvoLocked`.
   */
  requestJoin(
    code: string,
    callOptions?: CallOptions,
  ): Promise<{ status: 'joined' | 'pending' | (string & {}); conversation?: Conversation }>;
  /** One page of pending join requests of a group we own (`chat.bsky.group.listJoinRequests`). */
  listJoinRequests(
    conversationId: string,
    params?: PageParams,
    callOptions?: CallOptions,
  ): Promise<Page<BlueskyJoinRequest>>;
  /** Approves a join request (`chat.bsky.group.approveJoinRequest`); the requester becomes a participant. */
  approveJoinRequest(
    conversationId: string,
    participant: string,
    callOptions?: CallOptions,
  ): Promise<Conversation>;
  /** Rejects a join request (`chat.bsky.group.rejectJoinRequest`). */
  rejectJoinRequest(conversationId: string, participant: string, callOptions?: CallOptions): Promise<void>;
  /** Withdraws our own pending join request (`chat.bsky.group.withdrawJoinRequest`). */
  withdrawJoinRequest(conversationId: string, callOptions?: CallOptions): Promise<void>;
  /** Marks a group's join requests seen (`chat.bsky.group.updateJoinRequestsRead`). */
  markJoinRequestsRead(conversationId: string, callOptions?: CallOptions): Promise<void>;
  /**
   * One page of the groups both we and `participant` (a DID) are in (`chat.bsky.group.listMutualGroups`).
   */
  listMutualGroups(
    participant: string,
    params?: PageParams,
    callOptions?: CallOptions,
  ): Promise<Page<Conversation>>;
}

function did(value: string, path: string): string {
  const actor = parseActor(value);
  if (!('did' in actor))
    throw new InvalidRequestError(`bluesky: ${path} must be a DID (did:plc:…), not a handle.`, {
      provider: 'bluesky',
      issues: [{ path, message: 'expected a DID' }],
    });
  return actor.did;
}

function mapJoinLink(view: {
  code: string;
  enabledStatus: string;
  requireApproval: boolean;
  joinRule: string;
  createdAt: string;
}): BlueskyJoinLink {
  return {
    code: view.code,
    enabled: view.enabledStatus === 'enabled',
    requireApproval: view.requireApproval,
    joinRule: view.joinRule,
    createdAt: new Date(view.createdAt),
    raw: view,
  };
}

/** Builds the Bluesky-only group methods over the chat client. */
export function createBlueskyGroupMethods(
  api: BlueskyApi,
  selfDid: (signal?: AbortSignal) => Promise<string>,
): BlueskyGroupMethods {
  const pagedQuery = createBlueskyPagedQuery(api, selfDid);
  /** An idempotent procedure whose output is empty (reject, withdraw, mark read). */
  const emptyProcedure = async (nsid: string, input: Record<string, unknown>, callOptions?: CallOptions) => {
    await api.procedure(nsid, input, emptyOutputSchema, { idempotent: true, signal: callOptions?.signal });
  };
  const lock = async (nsid: string, conversationId: string, callOptions?: CallOptions) => {
    assertId(conversationId, 'conversationId');
    const signal = callOptions?.signal;
    const me = await selfDid(signal);
    const { convo } = await api.procedure(nsid, { convoId: conversationId }, convoOutputSchema, {
      idempotent: true,
      signal,
    });
    return mapBlueskyConversation(convo, me);
  };
  const joinLink = async (nsid: string, input: Record<string, unknown>, callOptions?: CallOptions) => {
    const { joinLink: view } = await api.procedure(nsid, input, joinLinkOutputSchema, {
      idempotent: nsid !== 'chat.bsky.group.createJoinLink',
      signal: callOptions?.signal,
    });
    return mapJoinLink(view);
  };

  return {
    lockConversation: (conversationId, callOptions) =>
      lock('chat.bsky.convo.lockConvo', conversationId, callOptions),
    unlockConversation: (conversationId, callOptions) =>
      lock('chat.bsky.convo.unlockConvo', conversationId, callOptions),

    async createJoinLink(conversationId, params, callOptions) {
      assertId(conversationId, 'conversationId');
      return joinLink(
        'chat.bsky.group.createJoinLink',
        {
          convoId: conversationId,
          joinRule: params.joinRule,
          requireApproval: params.requireApproval ?? false,
        },
        callOptions,
      );
    },

    async editJoinLink(conversationId, params, callOptions) {
      assertId(conversationId, 'conversationId');
      return joinLink(
        'chat.bsky.group.editJoinLink',
        {
          convoId: conversationId,
          ...(params.joinRule === undefined ? {} : { joinRule: params.joinRule }),
          ...(params.requireApproval === undefined ? {} : { requireApproval: params.requireApproval }),
        },
        callOptions,
      );
    },

    async setJoinLinkEnabled(conversationId, enabled, callOptions) {
      assertId(conversationId, 'conversationId');
      const nsid = enabled ? 'chat.bsky.group.enableJoinLink' : 'chat.bsky.group.disableJoinLink';
      return joinLink(nsid, { convoId: conversationId }, callOptions);
    },

    async getJoinLinkPreviews(codes, callOptions) {
      if (!Array.isArray(codes) || codes.length < 1 || codes.length > 50)
        throw new InvalidRequestError('bluesky: give 1 to 50 join link codes.', {
          provider: 'bluesky',
          issues: [{ path: 'codes', message: 'expected 1..50 codes' }],
        });
      for (const [i, code] of codes.entries()) assertId(code, `codes.${i}`);
      const signal = callOptions?.signal;
      const me = await selfDid(signal);
      const { joinLinkPreviews } = await api.query(
        'chat.bsky.group.getJoinLinkPreviews',
        { codes },
        joinLinkPreviewsOutputSchema,
        signal,
      );
      return joinLinkPreviews.map((view): BlueskyJoinLinkPreview => {
        if (view.$type === 'chat.bsky.group.defs#joinLinkPreviewView') {
          const v = view as typeof view & {
            convoId: string;
            name: string;
            owner: { did: string; handle: string };
            memberCount: number;
            memberLimit: number;
            requireApproval: boolean;
            joinRule: string;
          };
          return {
            status: 'valid',
            code: v.code,
            conversationId: v.convoId,
            title: v.name,
            owner: mapBlueskyParticipant(v.owner.did, { selfDid: me, profiles: indexProfiles([v.owner]) }),
            participantCount: v.memberCount,
            participantLimit: v.memberLimit,
            requireApproval: v.requireApproval,
            joinRule: v.joinRule,
            raw: view,
          };
        }
        const status =
          view.$type === 'chat.bsky.group.defs#disabledJoinLinkPreviewView' ? 'disabled' : 'invalid';
        return { status, code: view.code, raw: view };
      });
    },

    async requestJoin(code, callOptions) {
      assertId(code, 'code');
      const signal = callOptions?.signal;
      const me = await selfDid(signal);
      const answer = await api.procedure('chat.bsky.group.requestJoin', { code }, requestJoinOutputSchema, {
        idempotent: true,
        signal,
      });
      return {
        status: answer.status,
        ...(answer.convo ? { conversation: mapBlueskyConversation(answer.convo, me) } : {}),
      };
    },

    async listJoinRequests(conversationId, params = {}, callOptions) {
      assertId(conversationId, 'conversationId');
      return pagedQuery(
        'chat.bsky.group.listJoinRequests',
        { convoId: conversationId },
        params,
        listJoinRequestsOutputSchema,
        (page, me) =>
          page.requests.map((request) => ({
            conversationId: request.convoId,
            participant: mapBlueskyParticipant(request.requestedBy.did, {
              selfDid: me,
              profiles: indexProfiles([request.requestedBy]),
            }),
            requestedAt: new Date(request.requestedAt),
            raw: request,
          })),
        callOptions?.signal,
      );
    },

    async approveJoinRequest(conversationId, participant, callOptions) {
      assertId(conversationId, 'conversationId');
      const member = did(participant, 'participant');
      const signal = callOptions?.signal;
      const me = await selfDid(signal);
      const { convo } = await api.procedure(
        'chat.bsky.group.approveJoinRequest',
        { convoId: conversationId, member },
        convoOutputSchema,
        { idempotent: true, signal },
      );
      return mapBlueskyConversation(convo, me);
    },

    async rejectJoinRequest(conversationId, participant, callOptions) {
      assertId(conversationId, 'conversationId');
      const member = did(participant, 'participant');
      await emptyProcedure(
        'chat.bsky.group.rejectJoinRequest',
        { convoId: conversationId, member },
        callOptions,
      );
    },

    async withdrawJoinRequest(conversationId, callOptions) {
      assertId(conversationId, 'conversationId');
      await emptyProcedure('chat.bsky.group.withdrawJoinRequest', { convoId: conversationId }, callOptions);
    },

    async markJoinRequestsRead(conversationId, callOptions) {
      assertId(conversationId, 'conversationId');
      await emptyProcedure(
        'chat.bsky.group.updateJoinRequestsRead',
        { convoId: conversationId },
        callOptions,
      );
    },

    async listMutualGroups(participant, params = {}, callOptions) {
      const subject = did(participant, 'participant');
      return pagedQuery(
        'chat.bsky.group.listMutualGroups',
        { subject },
        params,
        listConvosOutputSchema,
        (page, me) => page.convos.map((convo) => mapBlueskyConversation(convo, me)),
        callOptions?.signal,
      );
    },
  };
}
