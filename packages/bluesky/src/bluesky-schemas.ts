/**
 * zod schemas of the XRPC outputs the adapter reads (lexicons `chat.bsky.convo.*`,
 * `com.atproto.server.*`, `com.atproto.identity.resolveHandle`).
 *
 * Lenient where the protocol grows, strict on what we read: objects keep unknown fields (so `raw`
 * loses nothing), union members with a `$type` we do not know are kept as {@link UnknownMember},
 * but a member whose `$type` we know must match its schema.
 * @module
 */
import * as z from 'zod';

const DEFS = 'chat.bsky.convo.defs';

/** `$type`s of the union members the adapter understands. */
export const BlueskyTypes = {
  messageView: `${DEFS}#messageView`,
  deletedMessageView: `${DEFS}#deletedMessageView`,
  logBeginConvo: `${DEFS}#logBeginConvo`,
  logAcceptConvo: `${DEFS}#logAcceptConvo`,
  logLeaveConvo: `${DEFS}#logLeaveConvo`,
  logMuteConvo: `${DEFS}#logMuteConvo`,
  logUnmuteConvo: `${DEFS}#logUnmuteConvo`,
  logCreateMessage: `${DEFS}#logCreateMessage`,
  logDeleteMessage: `${DEFS}#logDeleteMessage`,
  logReadMessage: `${DEFS}#logReadMessage`,
  logReadConvo: `${DEFS}#logReadConvo`,
  logAddReaction: `${DEFS}#logAddReaction`,
  logRemoveReaction: `${DEFS}#logRemoveReaction`,
  groupConvo: `${DEFS}#groupConvo`,
  systemMessageView: `${DEFS}#systemMessageView`,
  logAddMember: `${DEFS}#logAddMember`,
  logRemoveMember: `${DEFS}#logRemoveMember`,
  logMemberJoin: `${DEFS}#logMemberJoin`,
  logMemberLeave: `${DEFS}#logMemberLeave`,
  logLockConvo: `${DEFS}#logLockConvo`,
  logUnlockConvo: `${DEFS}#logUnlockConvo`,
  logLockConvoPermanently: `${DEFS}#logLockConvoPermanently`,
  logEditGroup: `${DEFS}#logEditGroup`,
  groupConvoMember: 'chat.bsky.actor.defs#groupConvoMember',
  linkFeature: 'app.bsky.richtext.facet#link',
  mentionFeature: 'app.bsky.richtext.facet#mention',
} as const;

/** A union member whose `$type` the adapter does not know (newer lexicons); `value` is the member as received. */
export interface UnknownMember {
  $type: 'unknown';
  value: { $type: string; rev?: string; [key: string]: unknown };
}

/**
 * An open union: the known members (each with a literal `$type`), plus any member whose `$type` is
 * not one of theirs, kept as an {@link UnknownMember}.
 */
function openUnion<const M extends readonly [z.ZodType, ...z.ZodType[]]>(
  known: readonly string[],
  members: M,
) {
  const unknownMember = z
    .looseObject({ $type: z.string(), rev: z.string().optional() })
    .refine((value) => !known.includes(value.$type), { message: 'malformed known union member' })
    .transform((value): UnknownMember => ({ $type: 'unknown', value }));
  return z.union([...members, unknownMember]);
}

const senderSchema = z.looseObject({ did: z.string() });
/** An atproto `datetime`: RFC 3339 with a time zone. */
const datetimeSchema = z.iso.datetime({ offset: true });

/** `chat.bsky.actor.defs#profileViewBasic` (the fields we read). */
const profileViewBasicSchema = z.looseObject({
  did: z.string(),
  handle: z.string(),
  displayName: z.string().optional(),
  avatar: z.string().optional(),
});
/** A parsed `profileViewBasic`. */
export type ProfileViewBasic = z.output<typeof profileViewBasicSchema>;

/** `app.bsky.richtext.facet`; features are kept as received, links and mentions are read by `$type`. */
const facetSchema = z.looseObject({
  index: z.looseObject({ byteStart: z.number().int(), byteEnd: z.number().int() }),
  features: z.array(
    z.looseObject({ $type: z.string().optional(), uri: z.unknown().optional(), did: z.unknown().optional() }),
  ),
});

/** `chat.bsky.convo.defs#reactionView`. */
const reactionViewSchema = z.looseObject({
  value: z.string(),
  sender: senderSchema,
  createdAt: datetimeSchema,
});
/** A parsed `reactionView`. */
export type ReactionView = z.output<typeof reactionViewSchema>;

const messageViewFields = {
  id: z.string(),
  rev: z.string(),
  text: z.string(),
  sender: senderSchema,
  sentAt: datetimeSchema,
  facets: z.array(facetSchema).optional(),
  embed: z.looseObject({ $type: z.string().optional() }).optional(),
  reactions: z.array(reactionViewSchema).optional(),
  replyTo: z.looseObject({ id: z.string().optional() }).optional(),
};

/** `chat.bsky.convo.defs#messageView` where it is a plain ref (e.g. the `sendMessage` output): `$type` optional. */
export const messageViewSchema = z.looseObject({
  $type: z.literal(BlueskyTypes.messageView).optional(),
  ...messageViewFields,
});
/** A parsed `messageView`. */
export type MessageView = z.output<typeof messageViewSchema>;

/** `chat.bsky.convo.defs#deletedMessageView` as a plain ref. */
export const deletedMessageViewSchema = z.looseObject({
  $type: z.literal(BlueskyTypes.deletedMessageView).optional(),
  id: z.string(),
  rev: z.string(),
  sender: senderSchema,
  sentAt: datetimeSchema,
});
/** A parsed `deletedMessageView`. */
export type DeletedMessageView = z.output<typeof deletedMessageViewSchema>;

/** A message as a union member (`getMessages`, `lastMessage`, log events): `$type` required. */
export const messageUnionSchema = openUnion(
  [BlueskyTypes.messageView, BlueskyTypes.deletedMessageView],
  [
    messageViewSchema.extend({ $type: z.literal(BlueskyTypes.messageView) }),
    deletedMessageViewSchema.extend({ $type: z.literal(BlueskyTypes.deletedMessageView) }),
  ],
);
/** A parsed message union member: a message, a deleted message, or an {@link UnknownMember}. */
export type MessageUnion = z.output<typeof messageUnionSchema>;

/** `chat.bsky.convo.defs#convoView`. */
export const convoViewSchema = z.looseObject({
  id: z.string(),
  rev: z.string(),
  members: z.array(profileViewBasicSchema),
  lastMessage: messageUnionSchema.optional(),
  muted: z.boolean(),
  status: z.string().optional(),
  unreadCount: z.number().int(),
  kind: z
    .looseObject({
      $type: z.string(),
      name: z.string().optional(),
      memberCount: z.number().int().optional(),
      lockStatus: z.string().optional(),
    })
    .optional(),
});
/** A parsed `convoView`. */
export type ConvoView = z.output<typeof convoViewSchema>;

/** Outputs of `getConvo`, `getConvoForMembers`, `muteConvo`, `unmuteConvo`, `updateRead`. */
export const convoOutputSchema = z.looseObject({ convo: convoViewSchema });

/** Output of `chat.bsky.convo.listConvos`. */
export const listConvosOutputSchema = z.looseObject({
  cursor: z.string().optional(),
  convos: z.array(convoViewSchema),
});

/** Output of `chat.bsky.convo.getMessages` (newest first). */
export const getMessagesOutputSchema = z.looseObject({
  cursor: z.string().optional(),
  messages: z.array(messageUnionSchema),
  relatedProfiles: z.array(profileViewBasicSchema).optional(),
});

/** Output of `addReaction` / `removeReaction`. */
export const reactionOutputSchema = z.looseObject({ message: messageViewSchema });

/** Output of `chat.bsky.convo.leaveConvo`. */
export const leaveConvoOutputSchema = z.looseObject({ convoId: z.string(), rev: z.string() });

/** `chat.bsky.convo.defs#systemMessageView`: a group event shown in the history (`data.$type` says which). */
export const systemMessageViewSchema = z.looseObject({
  $type: z.literal(BlueskyTypes.systemMessageView).optional(),
  id: z.string(),
  rev: z.string(),
  sentAt: datetimeSchema,
  data: z.looseObject({ $type: z.string() }),
});
/** A parsed `systemMessageView`. */
export type SystemMessageView = z.output<typeof systemMessageViewSchema>;

/** Output of `chat.bsky.convo.getConvoMembers`. */
export const getConvoMembersOutputSchema = z.looseObject({
  cursor: z.string().optional(),
  members: z.array(profileViewBasicSchema),
});

/** Output of `chat.bsky.group.addMembers`. */
export const addMembersOutputSchema = z.looseObject({
  convo: convoViewSchema,
  addedMembers: z.array(profileViewBasicSchema).optional(),
});

/** Output of `chat.bsky.convo.sendMessageBatch`: the stored messages, in item order. */
export const sendMessageBatchOutputSchema = z.looseObject({ items: z.array(messageViewSchema) });

/** `chat.bsky.group.defs#joinLinkView`. */
export const joinLinkViewSchema = z.looseObject({
  code: z.string(),
  enabledStatus: z.string(),
  requireApproval: z.boolean(),
  joinRule: z.string(),
  createdAt: datetimeSchema,
});
/** Outputs of `createJoinLink`, `editJoinLink`, `enableJoinLink`, `disableJoinLink`. */
export const joinLinkOutputSchema = z.looseObject({ joinLink: joinLinkViewSchema });

/** Output of `chat.bsky.group.requestJoin`. */
export const requestJoinOutputSchema = z.looseObject({
  status: z.string(),
  convo: convoViewSchema.optional(),
});

/** Output of `chat.bsky.group.listJoinRequests`. */
export const listJoinRequestsOutputSchema = z.looseObject({
  cursor: z.string().optional(),
  requests: z.array(
    z.looseObject({ convoId: z.string(), requestedBy: profileViewBasicSchema, requestedAt: datetimeSchema }),
  ),
});

/** Output of `chat.bsky.group.getJoinLinkPreviews` (members kept as received; `$type` says which kind). */
export const joinLinkPreviewsOutputSchema = z.looseObject({
  joinLinkPreviews: z.array(z.looseObject({ $type: z.string().optional(), code: z.string() })),
});

/** An empty output (`{}`): rejectJoinRequest, withdrawJoinRequest, updateJoinRequestsRead. */
export const emptyOutputSchema = z.looseObject({});

/** Output of `chat.bsky.convo.acceptConvo` (`rev` absent: it was already accepted). */
export const acceptConvoOutputSchema = z.looseObject({ rev: z.string().optional() });

const logBase = { rev: z.string(), convoId: z.string() };
const convoLog = <T extends string>(type: T) => z.looseObject({ $type: z.literal(type), ...logBase });
/** A log entry carrying a message (a chat message, or a group's system message) and its profiles. */
const logWithMessage = <T extends string, M extends z.ZodType>(type: T, message: M) =>
  z.looseObject({
    $type: z.literal(type),
    ...logBase,
    message,
    relatedProfiles: z.array(profileViewBasicSchema).optional(),
  });
const messageLog = <T extends string>(type: T) => logWithMessage(type, messageUnionSchema);
const reactionLog = <T extends string>(type: T) => messageLog(type).extend({ reaction: reactionViewSchema });
const systemLog = <T extends string>(type: T) => logWithMessage(type, systemMessageViewSchema);

const knownLogTypes = [
  BlueskyTypes.logAddMember,
  BlueskyTypes.logRemoveMember,
  BlueskyTypes.logMemberJoin,
  BlueskyTypes.logMemberLeave,
  BlueskyTypes.logLockConvo,
  BlueskyTypes.logUnlockConvo,
  BlueskyTypes.logLockConvoPermanently,
  BlueskyTypes.logEditGroup,
  BlueskyTypes.logBeginConvo,
  BlueskyTypes.logAcceptConvo,
  BlueskyTypes.logLeaveConvo,
  BlueskyTypes.logMuteConvo,
  BlueskyTypes.logUnmuteConvo,
  BlueskyTypes.logCreateMessage,
  BlueskyTypes.logDeleteMessage,
  BlueskyTypes.logReadMessage,
  BlueskyTypes.logReadConvo,
  BlueskyTypes.logAddReaction,
  BlueskyTypes.logRemoveReaction,
];

/** One entry of `getLog.logs`. */
const logEntrySchema = openUnion(knownLogTypes, [
  systemLog(BlueskyTypes.logAddMember),
  systemLog(BlueskyTypes.logRemoveMember),
  systemLog(BlueskyTypes.logMemberJoin),
  systemLog(BlueskyTypes.logMemberLeave),
  systemLog(BlueskyTypes.logLockConvo),
  systemLog(BlueskyTypes.logUnlockConvo),
  systemLog(BlueskyTypes.logLockConvoPermanently),
  systemLog(BlueskyTypes.logEditGroup),
  convoLog(BlueskyTypes.logBeginConvo),
  convoLog(BlueskyTypes.logAcceptConvo),
  convoLog(BlueskyTypes.logLeaveConvo),
  convoLog(BlueskyTypes.logMuteConvo),
  convoLog(BlueskyTypes.logUnmuteConvo),
  messageLog(BlueskyTypes.logCreateMessage),
  messageLog(BlueskyTypes.logDeleteMessage),
  messageLog(BlueskyTypes.logReadMessage),
  messageLog(BlueskyTypes.logReadConvo),
  reactionLog(BlueskyTypes.logAddReaction),
  reactionLog(BlueskyTypes.logRemoveReaction),
]);
/** A parsed `getLog` entry: one of the known log kinds, or an {@link UnknownMember}. */
export type LogEntry = z.output<typeof logEntrySchema>;

/** Output of `chat.bsky.convo.getLog`. */
export const getLogOutputSchema = z.looseObject({
  cursor: z.string().optional(),
  logs: z.array(logEntrySchema),
});
/** A parsed `getLog` output. */
export type GetLogOutput = z.output<typeof getLogOutputSchema>;

/** Output of `com.atproto.server.createSession` and `refreshSession`. */
export const sessionOutputSchema = z.looseObject({
  accessJwt: z.string(),
  refreshJwt: z.string(),
  handle: z.string(),
  did: z.string(),
  didDoc: z.unknown().optional(),
});
/** A parsed `createSession` / `refreshSession` output. */
export type SessionOutput = z.output<typeof sessionOutputSchema>;

/** Output of `com.atproto.identity.resolveHandle`. */
export const resolveHandleOutputSchema = z.looseObject({ did: z.string() });

/** The part of a DID document we read: its services (to find `#atproto_pds`). */
export const didDocSchema = z.looseObject({
  service: z.array(
    z.looseObject({ id: z.string(), type: z.string().optional(), serviceEndpoint: z.unknown() }),
  ),
});
