import {
  type CapabilitiesInput,
  type CapabilityName,
  capabilityNames,
  type GroupCapabilityName,
  groupCapabilityNames,
} from '../src/capabilities.js';
import type { Message } from '../src/model.js';

/**
 * Capability manifests and model values for tests of core (and of packages whose tests fake an
 * adapter, e.g. inbox): a test states only what differs from "nothing declared".
 */

/** The same value for each name. */
const each = <Name extends string, Value>(names: readonly Name[], value: Value) =>
  Object.fromEntries(names.map((name) => [name, value])) as Record<Name, Value>;

/**
 * A manifest declaring nothing: every capability `supports()` answers about off (text only, no
 * realtime), one-item pages, text up to 10 graphemes. Tests switch on what they need.
 */
export const nothingDeclared: CapabilitiesInput = {
  ...each<CapabilityName, false>(capabilityNames, false),
  attachments: [],
  realtime: 'none',
  maxTextLength: 10,
  pageSize: { min: 1, max: 1, default: 1 },
};

/**
 * A manifest declaring every capability `supports()` answers about (except the group ones, see
 * {@link everyGroupCapability}): the booleans on, the widest value of the others, webhook realtime,
 * text up to 1000 graphemes, pages of 1–100 (50 by default).
 */
export const everythingDeclared: CapabilitiesInput = {
  ...each<CapabilityName, true>(capabilityNames, true),
  openConversation: 'direct-and-group',
  deleteConversation: 'for-everyone',
  deleteMessage: 'for-everyone',
  attachments: ['image', 'file'],
  realtime: 'webhook',
  maxTextLength: 1000,
  textLengthUnit: 'graphemes',
  pageSize: { min: 1, max: 100, default: 50 },
};

/** Every group and batch capability on: batches all-or-nothing, at most 3 items per provider call. */
export const everyGroupCapability: Partial<CapabilitiesInput> = {
  ...each<GroupCapabilityName, true>(groupCapabilityNames, true),
  sendBatch: 'all-or-nothing',
  maxBatchSize: 3,
};

/** {@link nothingDeclared} with `declared` on top: the manifest input of a fake adapter. */
export function capabilitiesWith(declared: Partial<CapabilitiesInput>): CapabilitiesInput {
  return { ...nothingDeclared, ...declared };
}

/**
 * A message we sent (`me`, provider `fake`, at epoch 0, no attachments or reactions) in
 * conversation `c1`, text = id unless given; `fields` override any of that.
 */
export function ownMessage(id: string, fields: Partial<Message> = {}): Message {
  return {
    id,
    conversationId: 'c1',
    provider: 'fake',
    sender: { id: 'me', kind: 'user', isSelf: true },
    text: id,
    attachments: [],
    sentAt: new Date(0),
    reactions: [],
    raw: {},
    ...fields,
  };
}
