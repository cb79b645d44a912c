import assert from 'node:assert/strict';
import { type Messenger, type MessengerOptions, SwitchboardError } from '@switchboard/core';
import type { FaultHandle, FaultKit, FaultMatcher, FaultRule } from '../faults/fault-kit.js';

/**
 * The seeded fault mix of issue 10 §3, as shares of the requests to the send endpoint:
 * 10 % 5xx (500 after the provider stored the message, 502, 503 and 504 before, 2.5 % each), 5 % 429,
 * 5 % reset before the provider processed the request, 2 % reset after it stored the message, 1 % a
 * 200 with a truncated body after it stored the message.
 */
export const SOAK_FAULT_MIX: ReadonlyArray<{ label: string; share: number; fault: FaultRule['fault'] }> = [
  { label: '500-after-commit', share: 0.025, fault: { kind: 'status', status: 500, afterProcessing: true } },
  { label: '502', share: 0.025, fault: { kind: 'status', status: 502 } },
  { label: '503', share: 0.025, fault: { kind: 'status', status: 503 } },
  { label: '504', share: 0.025, fault: { kind: 'status', status: 504 } },
  { label: '429', share: 0.05, fault: { kind: 'rate-limit', retryAfterMs: 20 } },
  { label: 'reset-before-commit', share: 0.05, fault: { kind: 'reset' } },
  { label: 'reset-after-commit', share: 0.02, fault: { kind: 'reset-after-processing' } },
  { label: 'malformed-200-after-commit', share: 0.01, fault: { kind: 'malformed', afterProcessing: true } },
];

/** Sends per adapter: `SWITCHBOARD_SOAK_SENDS` when set, else `fallback` (200: CI size). */
export function soakSendCount(fallback = 200, env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.SWITCHBOARD_SOAK_SENDS);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** A message our account stored at the provider, read from the emulator (never through the adapter). */
export interface StoredMessage {
  id: string;
  text: string;
}

/** What {@link runSendSoak} drives: one adapter over its emulator. */
export interface SoakTarget {
  /** Adapter name for the table, e.g. `'Bluesky'`. */
  name: string;
  /** The emulator's fault kit. */
  faults: FaultKit;
  /** The send requests to fault (method and path of the provider's send endpoint). */
  sendRequests: FaultMatcher;
  /** A fresh Messenger over a fresh adapter, created with these options. */
  createMessenger(options: MessengerOptions): Promise<Messenger> | Messenger;
  /** The conversation to send into. */
  conversationId: string;
  /** Every message of ours in that conversation, as the emulator's store holds it. */
  storedMessages(): Promise<StoredMessage[]> | StoredMessage[];
}

/** Options of {@link runSendSoak}. */
export interface SoakOptions {
  /** Logical sends (each retried by the "app" while the error says `retryable`). */
  sends: number;
  /** Seed of the fault kit's generator (the same seed gives the same faults). */
  seed: number;
  /** Run with send reconciliation on (`reconcileSends: true`; effective only where the adapter declares `sendReconciliation`) or off. */
  reconcile: boolean;
  /** Attempts per logical send before the app gives up on a retryable error (default 10). */
  maxAttempts?: number;
  /** Longest wait the app honours from `retryAfterMs`, in milliseconds (default 50: the faults are random, not a real window). */
  maxWaitMs?: number;
}

/** The result of one soak run. */
export interface SoakReport {
  adapter: string;
  /** Whether send reconciliation was in effect (asked for and declared by the adapter). */
  reconcile: boolean;
  seed: number;
  /** Logical sends. */
  sends: number;
  /** `send()` calls the app made (sends + its retries). */
  attempts: number;
  /** Faults injected into send requests, by label. */
  faults: Record<string, number>;
  /** Sends that returned a message. */
  succeeded: number;
  /** Sends that ended in an error with `outcome: 'not_applied'` (after the app's retries). */
  failedNotApplied: number;
  /** Sends that ended in an error with `outcome: 'unknown'`. */
  failedUnknown: number;
  /** Of those, how many the provider had in fact stored. */
  unknownButStored: number;
  /** Texts stored more than once. Must be 0. */
  duplicates: number;
  /** Sends that returned a message the store does not hold (or holds under another id). Must be 0. */
  lost: number;
  /** Sends that ended `'not_applied'` although the message was stored. Must be 0. */
  mislabelled: number;
  /** Errors of a send without an `outcome`, or `retryable` with `outcome: 'unknown'`, or not a `SwitchboardError`. Must be 0. */
  unflagged: number;
  /** Wall time of the run, in milliseconds. */
  ms: number;
}

/**
 * Asserts what every soak must hold (node:assert, so any test runner reports it): the faults were
 * really injected (over 15 % of sends), no duplicate, no lost send, no mislabelled or unflagged error,
 * every send accounted for; with reconciliation no outcome is left unknown, without it some are.
 * @throws {assert.AssertionError} naming the first figure that is off.
 */
export function assertSoakHeld(report: SoakReport): void {
  const injected = Object.values(report.faults).reduce((a, b) => a + b, 0);
  assert.ok(injected > report.sends * 0.15, `only ${injected} faults injected into ${report.sends} sends`);
  const { duplicates, lost, mislabelled, unflagged } = report;
  assert.deepEqual(
    { duplicates, lost, mislabelled, unflagged },
    { duplicates: 0, lost: 0, mislabelled: 0, unflagged: 0 },
  );
  assert.equal(report.succeeded + report.failedNotApplied + report.failedUnknown, report.sends);
  if (report.reconcile) assert.equal(report.failedUnknown, 0, 'reconciliation left outcomes unknown');
  else
    assert.ok(report.failedUnknown > 0, 'no unknown outcome without reconciliation: the faults did not bite');
}

/** Installs the fault mix on the send requests; the conditional rates make each share exact in expectation. */
function installFaults(faults: FaultKit, match: FaultMatcher): { handles: FaultHandle[]; labels: string[] } {
  let remaining = 1;
  const handles: FaultHandle[] = [];
  const labels: string[] = [];
  for (const { label, share, fault } of SOAK_FAULT_MIX) {
    handles.push(faults.inject({ fault, match, rate: share / remaining }));
    labels.push(label);
    remaining -= share;
  }
  return { handles, labels };
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `sends` logical sends through the seeded fault mix ({@link SOAK_FAULT_MIX}) applied to the
 * provider's send endpoint (reads, including reconciliation's history reads, are not faulted). The
 * "app" retries a send only while the error says `retryable`, as docs/errors.md tells apps to, then
 * the run checks the emulator's store: no text twice, no success without its stored message, no
 * `'not_applied'` error for a stored message, every error of a send carrying an `outcome`.
 *
 * The fault kit's generator is seeded once per emulator: give each run a fresh emulator (or a fresh
 * kit) for the same seed to give the same faults.
 */
export async function runSendSoak(target: SoakTarget, options: SoakOptions): Promise<SoakReport> {
  const maxAttempts = options.maxAttempts ?? 10;
  const maxWaitMs = options.maxWaitMs ?? 50;
  const messenger = await target.createMessenger({
    reconcileSends: options.reconcile,
    reconcileSettleMs: 20,
  });
  const reconciling = options.reconcile && messenger.capabilities.sendReconciliation;
  const started = performance.now();
  const { handles, labels } = installFaults(target.faults, target.sendRequests);
  const report: SoakReport = {
    adapter: target.name,
    reconcile: reconciling,
    seed: options.seed,
    sends: options.sends,
    attempts: 0,
    faults: {},
    succeeded: 0,
    failedNotApplied: 0,
    failedUnknown: 0,
    unknownButStored: 0,
    duplicates: 0,
    lost: 0,
    mislabelled: 0,
    unflagged: 0,
    ms: 0,
  };
  const returned = new Map<string, string>(); // text → id the send returned
  const notApplied = new Set<string>(); // texts whose send ended 'not_applied'
  const unknown = new Set<string>();
  try {
    for (let i = 0; i < options.sends; i += 1) {
      const text = `soak ${options.seed} #${i}`;
      for (let attempt = 1; ; attempt += 1) {
        report.attempts += 1;
        try {
          const message = await messenger.send(target.conversationId, text);
          returned.set(text, message.id);
          report.succeeded += 1;
          break;
        } catch (error) {
          if (!SwitchboardError.isInstance(error)) {
            report.unflagged += 1;
            unknown.add(text);
            report.failedUnknown += 1;
            break;
          }
          // The app follows docs/errors.md: it retries while `retryable`, whatever else the error says.
          if (error.outcome === undefined || (error.retryable && error.outcome === 'unknown'))
            report.unflagged += 1;
          if (error.retryable && attempt < maxAttempts) {
            await wait(Math.min(error.retryAfterMs ?? 0, maxWaitMs));
            continue;
          }
          if (error.outcome !== 'not_applied') {
            unknown.add(text);
            report.failedUnknown += 1;
          } else {
            notApplied.add(text);
            report.failedNotApplied += 1;
          }
          break;
        }
      }
    }
  } finally {
    for (const handle of handles) handle.remove();
    labels.forEach((label, i) => {
      report.faults[label] = handles[i]!.hits;
    });
    await messenger.close();
  }

  const stored = new Map<string, string[]>();
  for (const message of await target.storedMessages()) {
    if (!message.text.startsWith(`soak ${options.seed} #`)) continue;
    stored.set(message.text, [...(stored.get(message.text) ?? []), message.id]);
  }
  for (const ids of stored.values()) if (ids.length > 1) report.duplicates += 1;
  for (const [text, id] of returned) if (!stored.get(text)?.includes(id)) report.lost += 1;
  for (const text of unknown) if (stored.has(text)) report.unknownButStored += 1;
  // A send that ended 'not_applied' must have stored nothing (an earlier attempt's lie shows up as a
  // duplicate, since the app then sent again).
  for (const text of notApplied) if (stored.has(text)) report.mislabelled += 1;
  report.ms = Math.round(performance.now() - started);
  return report;
}

const percent = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;

/** The reports as one Markdown table (one row per adapter and reconciliation setting). */
export function formatSoakTable(reports: readonly SoakReport[]): string {
  const header =
    '| adapter | reconciliation | sends | attempts | faults injected | succeeded | not sent (retryable) | left unknown | unknown but stored | duplicates | lost | mislabelled | unflagged | time |';
  const rule = `|${' --- |'.repeat(14)}`;
  const rows = reports.map((r) => {
    const faults = Object.values(r.faults).reduce((a, b) => a + b, 0);
    return `| ${r.adapter} | ${r.reconcile ? 'on' : 'off'} | ${r.sends} | ${r.attempts} | ${faults} | ${r.succeeded} | ${r.failedNotApplied} | ${r.failedUnknown} (${percent(r.failedUnknown, r.sends)}) | ${r.unknownButStored} | ${r.duplicates} | ${r.lost} | ${r.mislabelled} | ${r.unflagged} | ${(r.ms / 1000).toFixed(1)} s |`;
  });
  return [header, rule, ...rows].join('\n');
}

/** How many of each fault kind the runs injected, as one Markdown table (one row per run). */
export function formatSoakFaults(reports: readonly SoakReport[]): string {
  const labels = SOAK_FAULT_MIX.map((entry) => entry.label);
  const header = `| adapter | reconciliation | ${labels.join(' | ')} |`;
  const rule = `|${' --- |'.repeat(labels.length + 2)}`;
  const rows = reports.map(
    (r) =>
      `| ${r.adapter} | ${r.reconcile ? 'on' : 'off'} | ${labels.map((label) => r.faults[label] ?? 0).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}
