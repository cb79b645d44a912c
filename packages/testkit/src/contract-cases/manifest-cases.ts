import assert from 'node:assert/strict';
import {
  type Capabilities,
  type CapabilityName,
  capabilitiesSchema,
  capabilityNames,
  hasCapability,
  type Messenger,
  UnsupportedOperationError,
} from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import { expectRejection } from './contract-assert.js';
import { sampleAttachments, uniqueText } from './fixtures.js';
import { contractOperations, type OperationTarget } from './operations.js';
import { expectRejectedLocally, faultsOf } from './requests.js';
import { allOf, undeclared, withFaults } from './requirements.js';

/** The adapter methods each declared capability needs. */
function requiredMethods(capability: CapabilityName, capabilities: Capabilities): string[] {
  switch (capability) {
    case 'reactions':
      return ['addReaction', 'removeReaction'];
    case 'attachments':
      return [];
    case 'streamedReplies':
      return ['streamReply'];
    case 'realtime':
      return capabilities.realtime === 'webhook' ? ['subscribe', 'handleWebhook'] : ['subscribe'];
    default:
      return [capability];
  }
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The Messenger calls that need `capability`, each named for failures. */
function callsNeeding(
  capability: CapabilityName,
  messenger: Messenger,
  target: OperationTarget,
): Array<[string, () => Promise<unknown>]> {
  if (capability === 'realtime') {
    return [
      ['start()', () => messenger.start()],
      [
        'handleWebhook()',
        () =>
          messenger.handleWebhook(new Request('http://127.0.0.1/webhook', { method: 'POST', body: '{}' })),
      ],
    ];
  }
  const calls = contractOperations
    .filter((operation) => operation.capability === capability)
    .map((operation): [string, () => Promise<unknown>] => [
      `${operation.name}()`,
      () => operation.viaMessenger(messenger, target),
    ]);
  if (capability === 'muteConversation')
    calls.push(['unmuteConversation()', () => messenger.unmuteConversation(target.conversationId)]);
  return calls;
}

/** One case per capability: when the manifest leaves it out, the Messenger refuses it without a request. */
function rejectsCase(capability: CapabilityName): ContractCase {
  if (capability === 'attachments') {
    return {
      id: 'manifest-rejects-attachments',
      group: 'manifest',
      title:
        'sending an attachment kind the manifest leaves out throws UnsupportedOperationError, with no request',
      requires: allOf(
        (capabilities) =>
          capabilities.attachments.length === 2 ? 'every attachment kind is declared' : undefined,
        withFaults,
      ),
      async run(context) {
        const conversationId = await context.peer.startConversation();
        for (const kind of ['image', 'file'] as const) {
          if (context.capabilities.attachments.includes(kind)) continue;
          await expectRejectedLocally(
            faultsOf(context),
            () =>
              context.messenger.send(conversationId, {
                text: uniqueText('attachment'),
                attachments: [sampleAttachments[kind]],
              }),
            UnsupportedOperationError,
            `send() with an undeclared '${kind}' attachment`,
          );
        }
      },
    };
  }
  return {
    id: `manifest-rejects-${kebab(capability)}`,
    group: 'manifest',
    title: `an undeclared '${capability}' throws UnsupportedOperationError through the Messenger, with no request`,
    requires: allOf(undeclared(capability), withFaults),
    async run(context) {
      const target = await rejectTarget(context);
      for (const [name, call] of callsNeeding(capability, context.messenger, target)) {
        await expectRejectedLocally(faultsOf(context), call, UnsupportedOperationError, name);
      }
    },
  };
}

async function rejectTarget(context: ContractCaseContext): Promise<OperationTarget> {
  return {
    conversationId: await context.peer.startConversation(),
    messageId: 'contract-message-id',
    participant: context.peer.participant ?? 'contract-participant',
    text: uniqueText('unsupported'),
  };
}

/** The manifest group: the capability manifest is valid, matches the methods, and is enforced. */
export const manifestCases: readonly ContractCase[] = [
  {
    id: 'manifest-valid',
    group: 'manifest',
    title: 'spec v1, a kebab-case provider name, and a manifest that validates against capabilitiesSchema',
    async run({ adapter }) {
      assert.equal(adapter.specificationVersion, 'v1', `specificationVersion must be 'v1'`);
      assert.match(adapter.provider, /^[a-z0-9]+(-[a-z0-9]+)*$/, 'provider must be a kebab-case name');
      const parsed = capabilitiesSchema.safeParse(adapter.capabilities);
      assert.ok(
        parsed.success,
        `capabilities do not validate: ${parsed.error?.issues
          .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
          .join('; ')}`,
      );
      assert.deepEqual(
        { ...adapter.capabilities },
        parsed.data,
        'capabilities lack defaults the schema fills in: build them with defineCapabilities()',
      );
    },
  },
  {
    id: 'manifest-matches-methods',
    group: 'manifest',
    title: 'every declared capability has its adapter methods (and sendMessage exists)',
    async run({ adapter, capabilities }) {
      const methods = adapter as unknown as Record<string, unknown>;
      assert.equal(typeof adapter.sendMessage, 'function', 'sendMessage must be implemented');
      for (const capability of capabilityNames) {
        if (!hasCapability(capabilities, capability)) continue;
        for (const method of requiredMethods(capability, capabilities)) {
          assert.equal(
            typeof methods[method],
            'function',
            `declares '${capability}' but adapter.${method} is not a function`,
          );
        }
      }
    },
  },
  {
    id: 'manifest-undeclared-methods-absent',
    group: 'manifest',
    title:
      'the adapter methods of an undeclared capability are absent, or (called directly) reject with UnsupportedOperationError',
    requires: (capabilities) =>
      capabilityNames.some(
        (capability) => !hasCapability(capabilities, capability) && capability !== 'attachments',
      )
        ? undefined
        : 'every capability is declared',
    async run(context) {
      const { adapter, capabilities } = context;
      const target = await rejectTarget(context);
      const methods = adapter as unknown as Record<string, unknown>;
      for (const capability of capabilityNames) {
        if (hasCapability(capabilities, capability) || capability === 'attachments') continue;
        const names = capability === 'realtime' ? ['subscribe'] : requiredMethods(capability, capabilities);
        for (const name of names) {
          if (methods[name] === undefined) continue;
          assert.equal(typeof methods[name], 'function', `adapter.${name} is neither absent nor a function`);
          const call =
            name === 'subscribe'
              ? () => adapter.subscribe!(() => undefined, {}).then((subscription) => subscription.close())
              : () =>
                  contractOperations
                    .find((operation) => operation.name === name)
                    ?.viaAdapter(adapter, target) ?? Promise.resolve();
          const error: UnsupportedOperationError = await expectRejection(
            call,
            UnsupportedOperationError,
            `'${capability}' is not declared but adapter.${name}() exists; called directly it`,
          );
          assert.equal(
            error.provider,
            adapter.provider,
            `adapter.${name}(): error.provider is not adapter.provider`,
          );
        }
      }
    },
  },
  {
    id: 'connect-returns-self',
    group: 'manifest',
    title:
      'connect() resolves with our own Participant (isSelf, an id), the same sender our sent messages carry',
    async run({ adapter, messenger, peer }) {
      if (!adapter.connect) return;
      const self = await messenger.connect();
      assert.ok(self, 'adapter.connect exists but resolved with nothing; it must return our Participant');
      assert.ok(typeof self.id === 'string' && self.id !== '', 'connect() returned a participant without id');
      assert.equal(self.isSelf, true, 'connect() returned a participant with isSelf !== true');
      const sent = await messenger.send(await peer.startConversation(), uniqueText('connect'));
      assert.equal(
        sent.sender.id,
        self.id,
        'our sent message names another sender id than connect() returned',
      );
    },
  },
  ...capabilityNames.map(rejectsCase),
];
