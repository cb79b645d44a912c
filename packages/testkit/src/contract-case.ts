import type { Capabilities, CapabilityName, ChatAdapter, Messenger } from '@switchboard/core';
import type { ResourceTracker } from './contract-cases/resource-tracker.js';
import type { ContractContext, ContractPeer } from './contract-types.js';

/** The groups of the contract suite; each has its own `describe…Contract` function. */
export type ContractGroup =
  | 'manifest'
  | 'conversations'
  | 'messages'
  | 'realtime'
  | 'errors'
  | 'validation'
  | 'secrets';

/** Every group, in the order the suite runs them. */
export const contractGroups: readonly ContractGroup[] = [
  'manifest',
  'conversations',
  'messages',
  'realtime',
  'errors',
  'validation',
  'secrets',
];

/**
 * What a contract run knows before a case starts: the adapter's manifest (`undefined` when it does not
 * validate) and which optional parts `setup()` provided. Together they decide which cases are skipped.
 */
export interface ContractEnvironment {
  capabilities: Capabilities | undefined;
  /** `setup()` returned `faults`. */
  faults: boolean;
  /** `setup()` returned a non-empty `secrets` list. */
  secrets: boolean;
  /** `peer.participant` is set (an id or handle `openConversation` accepts). */
  participant: boolean;
  /** `setup()` returned `routeWebhooks`. */
  webhooks: boolean;
  /** `peer.readMessages` is set: the kit can read the backend without the adapter. */
  backendReads: boolean;
  /** How many peers `setup()` provides: `peer` plus `peers` (each a different party). */
  peers: number;
  /** `setup()` returned `secondAdapter` (another instance, same account, same backend). */
  secondAdapter: boolean;
}

/**
 * Why a case does not run: `'skipped'` when it does not apply (the manifest rules it out, or the
 * caller's `skip` option), `'not-checked'` when it applies but its scenario cannot be set up (what
 * `setup()` provides is not enough, or the backend cannot build it). Neither is ever a pass.
 */
export interface CaseVerdict {
  outcome: 'skipped' | 'not-checked';
  reason: string;
}

/**
 * When a case applies: a capability the manifest must declare, or a function returning the reason to
 * skip (`undefined`: run it).
 */
export type CaseRequirement =
  | CapabilityName
  | ((capabilities: Capabilities, environment: ContractEnvironment) => string | CaseVerdict | undefined);

/** What a case's `run` receives: the `setup()` result plus the Messenger the suite created over the adapter. */
export interface ContractCaseContext extends Omit<ContractContext, 'secrets' | 'peers' | 'secondAdapter'> {
  /** `createMessenger(adapter)`, closed by the suite after the case. */
  messenger: Messenger;
  /** The validated manifest (`messenger.capabilities`). */
  capabilities: Capabilities;
  /** `setup()`'s secrets, or `[]`. */
  secrets: readonly string[];
  /** See `AdapterContractOptions.realtimeTimeoutMs`. */
  realtimeTimeoutMs: number;
  /** For cases with `tracksResources`: the timers, sockets and servers created since just before `setup()`. */
  resources: ResourceTracker | undefined;
  /** Closes the Messenger (and so the adapter), then calls `teardown()`. Idempotent; the suite calls it after every case. */
  shutdown(): Promise<void>;
  /** `setup()`'s extra peers, or `[]`. */
  peers: readonly ContractPeer[];
  /**
   * Ends the case as "not checked": its scenario cannot be built here (e.g. the backend gives one
   * conversation where the case needs two). Throws; the suite reports the case as not checked, with
   * `reason`, never as passed.
   */
  notChecked(reason: string): never;
  /**
   * A second adapter instance from `setup().secondAdapter` (same account, same backend), connected,
   * closed by the suite after the case; `undefined` when `setup()` offers none.
   */
  openSecondAdapter(): Promise<ChatAdapter | undefined>;
}

/**
 * One contract case, as data: the suite's `describe…Contract` functions turn each into one vitest
 * test, and `runContractCase` runs one directly (how the kit's own self-tests prove a case fails).
 * Cases assert with `node:assert` and throw on a violation.
 */
export interface ContractCase {
  /** Stable kebab-case id, used in `skip` and in reports. */
  readonly id: string;
  readonly group: ContractGroup;
  /** What the case checks, in one line. */
  readonly title: string;
  /** When the case applies; absent: always. */
  readonly requires?: CaseRequirement;
  /** Track the resources created from just before `setup()` on (`context.resources`); off by default (it costs). */
  readonly tracksResources?: boolean;
  run(context: ContractCaseContext): Promise<void>;
}

/** Thrown by `context.notChecked(reason)`; the suite turns it into a "not checked" result. */
export class ContractNotChecked extends Error {
  override readonly name = 'ContractNotChecked';
  constructor(readonly reason: string) {
    super(`not checked: ${reason}`);
  }
}
