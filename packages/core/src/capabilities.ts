import * as z from 'zod';

/**
 * The zod schema of an adapter's capability manifest. The manifest is the single source of truth:
 * the Messenger throws `UnsupportedOperationError` for what it says is missing, the contract suite
 * checks both directions (declared ⇒ works, not declared ⇒ `UnsupportedOperationError`), and the
 * docs' feature matrix is generated from it.
 */
export const capabilitiesSchema = z
  .object({
    /** `listConversations` / `messenger.conversations()` work. */
    listConversations: z.boolean(),
    /** `getConversation` works. */
    getConversation: z.boolean(),
    /** Which conversations `openConversation` can open (get-or-create), or `false`. */
    openConversation: z.union([z.literal(false), z.enum(['direct', 'group', 'direct-and-group'])]),
    /** `deleteConversation`: `'for-self'` hides/leaves it for us only, `'for-everyone'` deletes it. */
    deleteConversation: z.union([z.literal(false), z.enum(['for-self', 'for-everyone'])]),
    /** `muteConversation` / `unmuteConversation` work. */
    muteConversation: z.boolean(),
    /** `listMessages` / `messenger.messages()` (history, newest first) work. */
    listMessages: z.boolean(),
    /** `getMessage` works. */
    getMessage: z.boolean(),
    /** `editMessage` works on our own messages. */
    editMessage: z.boolean(),
    /** `deleteMessage`: `'for-self'` hides it for us only, `'for-everyone'` deletes it, or `false`. */
    deleteMessage: z.union([z.literal(false), z.enum(['for-self', 'for-everyone'])]),
    /** `markRead` works. */
    markRead: z.boolean(),
    /** `addReaction` / `removeReaction` work. */
    reactions: z.boolean(),
    /** Attachment kinds `send` accepts (empty: text only). */
    attachments: z.array(z.enum(['image', 'file'])),
    /**
     * `streamReply` / `messenger.sendStreaming` work: the answer to a message (an AI assistant's
     * reply) can be read as text chunks while it is generated.
     */
    streamedReplies: z.boolean().default(false),
    /**
     * The provider's history is authoritative for our own sends (a stored message is in
     * `listMessages` at once, with its real `sentAt`), so the Messenger can resolve a send that failed
     * with `outcome: 'unknown'` by reading history back (send reconciliation; opt out with
     * `createMessenger(adapter, { reconcileSends: false })`).
     */
    sendReconciliation: z.boolean().default(false),
    /** `addParticipants` adds people to a group conversation (see {@link groupCapabilityNames}). */
    addParticipants: z.boolean().default(false),
    /** `removeParticipants` removes people from a group conversation. */
    removeParticipants: z.boolean().default(false),
    /** `updateConversation` renames a group conversation (`title`). */
    updateConversation: z.boolean().default(false),
    /**
     * Conversations carry a `status` (`'request'` until we accept, then `'accepted'`), and
     * `acceptConversation` accepts a request.
     */
    conversationRequests: z.boolean().default(false),
    /** `listParticipants` / `messenger.participants()` page through a conversation's participants. */
    listParticipants: z.boolean().default(false),
    /**
     * `sendBatch` sends many messages (to one or several conversations) in one provider call, or `false`.
     * `'all-or-nothing'`: a provider call stores every item of the batch or none of them;
     * `'per-item'`: each item succeeds or fails on its own.
     */
    sendBatch: z.union([z.literal(false), z.enum(['all-or-nothing', 'per-item'])]).default(false),
    /** Most items one provider batch call takes (`sendBatch` splits longer lists into calls of this size). */
    maxBatchSize: z.number().int().positive().default(1),
    /** How events reach `subscribe` (`'none'`: no realtime). */
    realtime: z.enum(['polling', 'websocket', 'webhook', 'stream', 'none']),
    /** Longest text `send` accepts, in `textLengthUnit`s. */
    maxTextLength: z.number().int().positive(),
    /**
     * How the provider counts text length: grapheme clusters (Bluesky), Unicode code points, or
     * UTF-16 code units (`'utf-16'`, JavaScript's `text.length`: Telegram, LINE). Declaring code
     * points for a provider that counts UTF-16 lets through text the provider rejects (an emoji is
     * one code point but two code units).
     */
    textLengthUnit: z.enum(['graphemes', 'code-points', 'utf-16']).default('graphemes'),
    /** Page sizes the provider accepts for list calls, and the size it uses when none is given. */
    pageSize: z
      .object({
        min: z.number().int().positive(),
        max: z.number().int().positive(),
        default: z.number().int().positive(),
      })
      .refine((p) => p.min <= p.default && p.default <= p.max, 'pageSize must satisfy min ≤ default ≤ max'),
  })
  .strict();

/** An adapter's capability manifest. See {@link capabilitiesSchema} for each field. */
export type Capabilities = z.output<typeof capabilitiesSchema>;
/** The manifest as an adapter author writes it (defaults may be omitted). */
export type CapabilitiesInput = z.input<typeof capabilitiesSchema>;

/** Names of the operations a Messenger can be asked about with `supports()`, in manifest order. */
export const capabilityNames = [
  'listConversations',
  'getConversation',
  'openConversation',
  'deleteConversation',
  'muteConversation',
  'listMessages',
  'getMessage',
  'editMessage',
  'deleteMessage',
  'markRead',
  'reactions',
  'attachments',
  'streamedReplies',
  'realtime',
] as const satisfies readonly (keyof Capabilities)[];

/** The name of one capability `supports()` answers about. */
export type CapabilityName = (typeof capabilityNames)[number];

/**
 * Names of the group-conversation and batch capabilities (all default to `false`, so adapters
 * written before them need no change). `supports()` answers about these too.
 */
export const groupCapabilityNames = [
  'addParticipants',
  'removeParticipants',
  'updateConversation',
  'conversationRequests',
  'listParticipants',
  'sendBatch',
] as const satisfies readonly (keyof Capabilities)[];

/** The name of one group or batch capability. */
export type GroupCapabilityName = (typeof groupCapabilityNames)[number];

/**
 * Validates a manifest and fills in defaults.
 * @throws {z.ZodError} when the manifest is malformed (an adapter bug, not a user error).
 */
export function defineCapabilities(input: CapabilitiesInput): Capabilities {
  return Object.freeze(capabilitiesSchema.parse(input));
}

/** `true` when the manifest declares the capability (any non-`false`, non-`'none'`, non-empty value). */
export function hasCapability(
  capabilities: Capabilities,
  name: CapabilityName | GroupCapabilityName,
): boolean {
  const value = capabilities[name];
  if (Array.isArray(value)) return value.length > 0;
  return value !== false && value !== 'none';
}
