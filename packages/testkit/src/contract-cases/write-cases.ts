import assert from 'node:assert/strict';
import { hasCapability, NotFoundError, PermissionDeniedError, SwitchboardError } from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import type { Fault } from '../faults/index.js';
import { describeThrown, settle } from './contract-assert.js';
import { describeFault } from './fault-probe.js';
import { uniqueText } from './fixtures.js';
import { faultsOf, withinRequestBudget } from './requests.js';
import { allOf, withFaults } from './requirements.js';

/** Requests one write may send while one fault hits it: the faulted attempt plus a few retries. */
const WRITE_BUDGET = 6;

/**
 * A write that sets state, so repeating it cannot change the result: logging in, opening (get-or-create)
 * a direct conversation, muting, editing to a given text, marking read up to a message.
 */
interface IdempotentWrite {
  name: string;
  call(): Promise<unknown>;
  /** Checks the state after the call (throws when it is wrong). */
  verify?(): Promise<void>;
}

/** The idempotent writes the manifest declares, on a conversation with one message of ours. */
async function idempotentWrites(context: ContractCaseContext): Promise<IdempotentWrite[]> {
  const { messenger, peer, capabilities } = context;
  const conversationId = await peer.startConversation();
  const sent = await messenger.send(conversationId, uniqueText('idempotent writes'));
  await peer.send(conversationId, uniqueText('to mark read'));
  const writes: IdempotentWrite[] = [];
  if (
    hasCapability(capabilities, 'openConversation') &&
    capabilities.openConversation !== 'group' &&
    peer.participant
  )
    writes.push({
      name: 'openConversation (direct: get-or-create)',
      call: () => messenger.openConversation({ participants: [peer.participant!] }),
    });
  if (hasCapability(capabilities, 'muteConversation'))
    writes.push({
      name: 'muteConversation',
      call: async () => {
        const muted = await messenger.muteConversation(conversationId);
        assert.equal(muted.muted, true, 'muteConversation: muted is not true');
      },
    });
  if (hasCapability(capabilities, 'editMessage')) {
    let text = '';
    writes.push({
      name: 'edit',
      call: async () => {
        text = uniqueText('edited');
        const edited = await messenger.edit(conversationId, sent.id, text);
        assert.equal(edited.text, text, 'edit: the returned text is not the new one');
      },
      async verify() {
        if (!hasCapability(capabilities, 'getMessage')) return;
        const read = await messenger.getMessage(conversationId, sent.id);
        assert.equal(read.text, text, 'edit: getMessage shows another text');
      },
    });
  }
  if (hasCapability(capabilities, 'markRead'))
    writes.push({ name: 'markRead', call: () => messenger.markRead(conversationId) });
  return writes;
}

/**
 * The reads the manifest declares, each called once on a conversation with one message of ours. A read
 * changes nothing, so every one must be retried after a 5xx or a reset.
 */
async function declaredReads(context: ContractCaseContext): Promise<IdempotentWrite[]> {
  const { adapter, messenger, peer, capabilities } = context;
  const conversationId = await peer.startConversation();
  const sent = await messenger.send(conversationId, uniqueText('reads'));
  const reads: IdempotentWrite[] = [];
  if (hasCapability(capabilities, 'listConversations') && adapter.listConversations)
    reads.push({ name: 'listConversations', call: () => adapter.listConversations!({}) });
  if (hasCapability(capabilities, 'getConversation') && adapter.getConversation)
    reads.push({ name: 'getConversation', call: () => adapter.getConversation!(conversationId) });
  if (hasCapability(capabilities, 'listMessages') && adapter.listMessages)
    reads.push({ name: 'listMessages', call: () => adapter.listMessages!(conversationId, {}) });
  if (hasCapability(capabilities, 'getMessage') && adapter.getMessage)
    reads.push({ name: 'getMessage', call: () => adapter.getMessage!(conversationId, sent.id) });
  return reads;
}

/** Runs `write` with `fault` on its first request; it must succeed through a retry. */
async function expectRetried(context: ContractCaseContext, write: IdempotentWrite, fault: Fault) {
  const faults = faultsOf(context);
  const rule = faults.inject({ fault, times: 1 });
  const what = `${write.name} after one ${describeFault(fault)}`;
  const outcome = await withinRequestBudget(faults, WRITE_BUDGET, what, write.call);
  rule.remove();
  if (rule.hits === 0) return false;
  assert.ok(
    !('error' in outcome),
    `${what}: failed (${'error' in outcome ? describeThrown(outcome.error) : ''}); the call is idempotent, so it must be retried (is it flagged idempotent?)`,
  );
  assert.ok(outcome.requests >= 2, `${what}: sent ${outcome.requests} request(s); expected a retry`);
  await write.verify?.();
  return true;
}

/**
 * Calls each of `calls` once without faults (ids, caches and tokens are ready, so the faulted request
 * is the call's own), then once under each of `faultsToTry` through {@link expectRetried}. Returns the
 * names of the calls a fault reached (a call served locally sends no request and is left out).
 */
async function expectEachRetried(
  context: ContractCaseContext,
  calls: readonly IdempotentWrite[],
  faultsToTry: readonly Fault[],
): Promise<string[]> {
  const checked: string[] = [];
  for (const call of calls) {
    await call.call();
    for (const fault of faultsToTry) if (await expectRetried(context, call, fault)) checked.push(call.name);
  }
  return checked;
}

/** The write cases (groups errors and conversations). */
export const writeCases: readonly ContractCase[] = [
  {
    id: 'idempotent-writes-retried',
    group: 'errors',
    title:
      'writes that set state (login, opening a direct conversation, mute, edit, markRead) are retried after one 500 and after one reset after processing, and succeed',
    requires: withFaults,
    async run(context) {
      const faults = faultsOf(context);
      const checked: string[] = [];
      // The first request of the case is the login, if the adapter logs in.
      if (context.adapter.connect) {
        const login: IdempotentWrite = { name: 'connect (login)', call: () => context.adapter.connect!() };
        if (await expectRetried(context, login, { kind: 'status', status: 500 })) checked.push(login.name);
      }
      // A write served locally (no request, e.g. a conversation id the adapter can derive) has nothing to retry.
      checked.push(
        ...(await expectEachRetried(context, await idempotentWrites(context), [
          { kind: 'status', status: 500 },
          { kind: 'reset-after-processing' },
        ])),
      );
      faults.clear();
      if (checked.length === 0)
        context.notChecked('no idempotent write is declared and connect() sends no request');
    },
  },
  {
    id: 'reads-retried',
    group: 'errors',
    title:
      'every declared read (listConversations, getConversation, listMessages, getMessage) is retried after one 500 and after one connection reset, and succeeds',
    requires: withFaults,
    async run(context) {
      const faults = faultsOf(context);
      // A read served locally (no request, e.g. history kept from webhooks) has nothing to retry.
      const checked = await expectEachRetried(context, await declaredReads(context), [
        { kind: 'status', status: 500 },
        { kind: 'reset' },
      ]);
      faults.clear();
      if (checked.length === 0) context.notChecked('no declared read sends a request to the provider');
    },
  },
  {
    id: 'send-500-not-repeated',
    group: 'errors',
    title:
      'a send answered 500 (the provider may have stored it) is not posted again: one request, rejected with retryable false (outcome unknown)',
    requires: withFaults,
    async run(context) {
      const { adapter, peer } = context;
      const faults = faultsOf(context);
      const conversationId = await peer.startConversation();
      await adapter.sendMessage(conversationId, { text: uniqueText('warm up') });
      const rule = faults.inject({ fault: { kind: 'status', status: 500 }, times: 1 });
      const what = 'adapter.sendMessage() answered HTTP 500';
      const outcome = await withinRequestBudget(faults, WRITE_BUDGET, what, () =>
        adapter.sendMessage(conversationId, { text: uniqueText('500') }),
      );
      rule.remove();
      if (rule.hits === 0) context.notChecked('the send sent no request to the provider');
      assert.equal(
        outcome.requests,
        1,
        `${what}: sent ${outcome.requests} requests; a 500 may come after the message was stored, so it must not be posted again`,
      );
      assert.ok('error' in outcome, `${what}: resolved`);
      const { error } = outcome;
      assert.ok(SwitchboardError.isInstance(error), `${what}: threw ${describeThrown(error)}`);
      assert.equal(error.retryable, false, `${what}: retryable is true, but a retry could duplicate it`);
      if (error.outcome !== undefined)
        assert.equal(
          error.outcome,
          'unknown',
          `${what}: outcome is ${error.outcome}; a 500 leaves it unknown`,
        );
    },
  },
  {
    id: 'write-after-leave-refused',
    group: 'conversations',
    title:
      "after deleteConversation ('for-self': we leave), a send there is refused with PermissionDeniedError or NotFoundError (not retryable, this provider), or stays allowed",
    requires: allOf((capabilities) =>
      capabilities.deleteConversation === 'for-self'
        ? undefined
        : `deleteConversation is '${capabilities.deleteConversation}', not 'for-self'`,
    ),
    async run({ messenger, peer, adapter }) {
      const conversationId = await peer.startConversation();
      await messenger.send(conversationId, uniqueText('before leaving'));
      await messenger.deleteConversation(conversationId);
      const outcome = await settle(messenger.send(conversationId, uniqueText('after leaving')));
      // A provider whose 'for-self' delete only hides the conversation may still accept the send.
      if (!('error' in outcome)) return;
      const { error } = outcome;
      assert.ok(
        PermissionDeniedError.isInstance(error) || NotFoundError.isInstance(error),
        `a send to a conversation we left threw ${describeThrown(error)}; expected PermissionDeniedError (or NotFoundError)`,
      );
      assert.equal(error.retryable, false, 'the refused send is retryable');
      assert.equal(error.provider, adapter.provider, 'error.provider is not adapter.provider');
      assert.ok(error.message.trim() !== '', 'the error has no message');
    },
  },
];
