import { capabilityNames, defineCapabilities } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { type ContractEnvironment, contractGroups } from './contract-case.js';
import { contractCase, contractCases } from './contract-cases/index.js';
import { contractCaseVerdict, contractSkipReason } from './contract-environment.js';
import { contractSummaryLine, describeAdapterContract } from './describe-adapter-contract.js';
import { memoryCapabilities } from './memory/memory-capabilities.js';
import { runContractCase } from './run-contract-case.js';
import {
  directOnlyMemoryAdapter,
  nothingDeclared,
  writeOnlyDeclared,
} from './self-test/broken-memory-adapters.js';
import { memoryContractSetup } from './self-test/memory-contract-setup.js';

const everything: ContractEnvironment = {
  capabilities: memoryCapabilities,
  faults: true,
  secrets: true,
  participant: true,
  webhooks: true,
  backendReads: true,
  peers: 4,
  secondAdapter: true,
};

const runs = (id: string, environment: ContractEnvironment) =>
  contractSkipReason(contractCase(id), environment) === undefined;

describe('contract cases', () => {
  it('have unique kebab-case ids, and every group has cases', () => {
    const ids = contractCases.map((testCase) => testCase.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const group of contractGroups) expect(contractCases.some((c) => c.group === group)).toBe(true);
  });

  it.each(capabilityNames)(
    'check both directions of %s: one case runs when declared, another when not',
    (name) => {
      const kebab = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
      const rejects = `manifest-rejects-${kebab}`;
      expect(runs(rejects, { ...everything, capabilities: nothingDeclared })).toBe(true);
      expect(contractSkipReason(contractCase(rejects), everything)).toMatch(/is declared/);
      const working = contractCases.filter(
        (c) =>
          c.group !== 'manifest' &&
          runs(c.id, everything) &&
          !runs(c.id, { ...everything, capabilities: nothingDeclared }),
      );
      expect(working.length).toBeGreaterThan(0);
    },
  );

  it('give the reason a case is skipped: the skip option first, then the manifest, then what setup() lacks', () => {
    const editCase = contractCase('edit-message');
    expect(contractSkipReason(editCase, everything, { 'edit-message': 'provider bug #12' })).toBe(
      'provider bug #12',
    );
    expect(contractSkipReason(editCase, { ...everything, capabilities: nothingDeclared })).toBe(
      "capability 'editMessage' is not declared",
    );
    expect(contractSkipReason(contractCase('rate-limit-exhausted'), { ...everything, faults: false })).toBe(
      'setup() returned no `faults` (fault injection)',
    );
    expect(
      contractSkipReason(contractCase('secrets-absent-from-adapter'), { ...everything, secrets: false }),
    ).toMatch(/no `secrets`/);
    expect(contractSkipReason(contractCase('open-conversation'), { ...everything, participant: false })).toBe(
      'peer.participant is not set',
    );
    const webhook = defineCapabilities({ ...memoryCapabilities, realtime: 'webhook' });
    expect(
      contractSkipReason(contractCase('realtime-delivers-peer-message'), {
        ...everything,
        capabilities: webhook,
        webhooks: false,
      }),
    ).toMatch(/no `routeWebhooks`/);
  });

  it('run only manifest-valid when the manifest is invalid', () => {
    const invalid = { ...everything, capabilities: undefined };
    expect(
      contractCases.filter((c) => contractSkipReason(c, invalid) === undefined).map((c) => c.id),
    ).toEqual(['manifest-valid']);
  });

  it('refuse unknown ids', () => {
    expect(() => contractCase('no-such-case')).toThrow(RangeError);
    expect(() =>
      describeAdapterContract({
        name: 'typo',
        setup: () => Promise.reject(new Error('not reached')),
        skip: { 'no-such-case': 'typo' },
      }),
    ).toThrow(/unknown contract case ids: no-such-case/);
  });
});

describe('"not checked": a case that cannot set up its scenario never passes', () => {
  it('is the verdict when setup() lacks what the case needs, skipped when the case does not apply', () => {
    expect(
      contractCaseVerdict(contractCase('rate-limit-exhausted'), { ...everything, faults: false }),
    ).toEqual({
      outcome: 'not-checked',
      reason: 'setup() returned no `faults` (fault injection)',
    });
    expect(
      contractCaseVerdict(contractCase('edit-message'), { ...everything, capabilities: nothingDeclared }),
    ).toEqual({
      outcome: 'skipped',
      reason: "capability 'editMessage' is not declared",
    });
    const writeOnly = { ...everything, capabilities: writeOnlyDeclared };
    expect(contractCaseVerdict(contractCase('edit-message'), writeOnly)).toBeUndefined();
    expect(
      contractCaseVerdict(contractCase('edit-message'), { ...writeOnly, backendReads: false }),
    ).toMatchObject({
      outcome: 'not-checked',
      reason: expect.stringMatching(/no way to read a message back/),
    });
  });

  it.each([
    ['list-conversations-pages', /paging needs more than 2 conversations, and only 1/],
    ['get-conversation', /only one conversation can be built here/],
    ['delete-for-everyone-seen-by-others', /nobody but the adapter under test can see a delete/],
  ])(
    '%s reports "not checked" at run time on a backend without extra peers and observers',
    async (id, reason) => {
      const setup = memoryContractSetup(directOnlyMemoryAdapter, { observers: false, backendReads: false });
      const result = await runContractCase(contractCase(id), { name: 'memory (one peer)', setup });
      expect(result).toMatchObject({ status: 'not-checked', reason: expect.stringMatching(reason) });
    },
  );

  it('has a summary line naming every case not checked', () => {
    expect(
      contractSummaryLine('acme', { passed: ['a'], failed: [], notChecked: ['b', 'c'], skipped: ['d'] }),
    ).toBe('[contract] acme: 1 passed, 0 failed, 2 NOT CHECKED (b, c), 1 skipped (not applicable)');
  });
});
