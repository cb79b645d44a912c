import { hasCapability, InvalidRequestError } from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import { textOfLength, uniqueText } from './fixtures.js';
import { declaredOperations, type OperationTarget } from './operations.js';
import { expectRejectedLocally, faultsOf } from './requests.js';
import { allOf, anyOf, declared, withFaults } from './requirements.js';

/** Ids no provider accepts and the Messenger rejects before any request. */
const MALFORMED_IDS: readonly string[] = ['', '   ', ' padded', 'line\nbreak', 'nul\u0000', 'x'.repeat(1025)];

/** Expects `call` to reject with InvalidRequestError before any request is sent (`what` names the call). */
function rejectedLocally(context: ContractCaseContext, call: () => Promise<unknown>, what: string) {
  return expectRejectedLocally(faultsOf(context), call, InvalidRequestError, what);
}

/** The validation group: bad input is an InvalidRequestError, and no request is sent. */
export const validationCases: readonly ContractCase[] = [
  {
    id: 'rejects-empty-text',
    group: 'validation',
    title: 'send (and edit) with empty or whitespace-only text: InvalidRequestError, no request',
    requires: withFaults,
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const conversationId = await peer.startConversation();
      for (const text of ['', '   ', '\n\t']) {
        await rejectedLocally(
          context,
          () => messenger.send(conversationId, text),
          `send(${JSON.stringify(text)})`,
        );
        if (hasCapability(capabilities, 'editMessage')) {
          await rejectedLocally(
            context,
            () => messenger.edit(conversationId, 'contract-message-id', text),
            `edit(${JSON.stringify(text)})`,
          );
        }
      }
    },
  },
  {
    id: 'rejects-text-over-max-length',
    group: 'validation',
    title: 'send with text over maxTextLength (counted in textLengthUnit): InvalidRequestError, no request',
    requires: withFaults,
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const conversationId = await peer.startConversation();
      const over = capabilities.maxTextLength + 1;
      const texts = {
        [`${over} multi-unit ${capabilities.textLengthUnit}`]: textOfLength(
          over,
          capabilities.textLengthUnit,
        ),
        [`${over} ASCII characters`]: 'a'.repeat(over),
      };
      for (const [what, text] of Object.entries(texts)) {
        await rejectedLocally(context, () => messenger.send(conversationId, text), `send() of ${what}`);
      }
    },
  },
  {
    id: 'rejects-malformed-ids',
    group: 'validation',
    title:
      'every declared operation with an empty, padded, control-character or over-long id: InvalidRequestError, no request',
    requires: withFaults,
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const valid: OperationTarget = {
        conversationId: await peer.startConversation(),
        messageId: 'contract-message-id',
        participant: peer.participant ?? 'contract-participant',
        text: uniqueText('ids'),
      };
      for (const operation of declaredOperations(capabilities)) {
        for (const field of operation.ids) {
          for (const id of MALFORMED_IDS) {
            await rejectedLocally(
              context,
              () => operation.viaMessenger(messenger, { ...valid, [field]: id }),
              `${operation.name}() with ${field} ${JSON.stringify(id.slice(0, 20))}`,
            );
          }
        }
      }
    },
  },
  {
    id: 'rejects-out-of-range-limit',
    group: 'validation',
    title: 'a page limit outside capabilities.pageSize (or not an integer): InvalidRequestError, no request',
    requires: allOf(anyOf(declared('listMessages'), declared('listConversations')), withFaults),
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const { min, max } = capabilities.pageSize;
      const conversationId = await peer.startConversation();
      const lists: Array<[string, (limit: number) => Promise<unknown>]> = [];
      if (hasCapability(capabilities, 'listMessages'))
        lists.push(['listMessages', (limit) => messenger.listMessages(conversationId, { limit })]);
      if (hasCapability(capabilities, 'listConversations'))
        lists.push(['listConversations', (limit) => messenger.listConversations({ limit })]);
      for (const [name, list] of lists) {
        for (const limit of [min - 1, max + 1, 0, -1, 1.5, Number.NaN]) {
          await rejectedLocally(context, () => list(limit), `${name}({ limit: ${limit} })`);
        }
      }
    },
  },
];
