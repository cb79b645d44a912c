import {
  assertSoakHeld,
  formatSoakFaults,
  formatSoakTable,
  runSendSoak,
  type SoakReport,
  type SoakTarget,
  soakSendCount,
} from './send-soak.js';

/**
 * The retry options every soak gives its adapter, in milliseconds: 2 retries, 2–10 ms backoff, at most
 * 50 ms of `Retry-After` honoured (the faults are random, not a real rate-limit window).
 */
export const SOAK_RETRY: {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
} = {
  retries: 2,
  minDelayMs: 2,
  maxDelayMs: 10,
  maxRetryAfterMs: 50,
};

/** The seed of every adapter's soak (the same seed gives the same faults on a fresh emulator). */
export const SOAK_SEED = 10;

/** Time one soak run may take, in milliseconds (the full 1,000-send size included). */
export const SOAK_TIMEOUT_MS = 300_000;

/** The cases of {@link describeSendSoak} by default: one run without reconciliation, one with. */
export const SOAK_CASES: ReadonlyArray<SoakCase> = [false, true].map((reconcile) => ({
  title: `reconciliation ${reconcile}: no duplicate, no lost send, every unknown outcome flagged`,
  reconcile,
}));

/** One test of {@link describeSendSoak}: its title and whether it asks for send reconciliation. */
export interface SoakCase {
  title: string;
  reconcile: boolean;
}

/** What an emulator must offer a {@link SoakSuite}: a way to stop it. */
export interface SoakEmulator {
  close(): Promise<void> | void;
}

/** The shared set-up of one adapter's soak test file; see {@link createSoakSuite}. */
export interface SoakSuite {
  /** The describe title: adapter name and the fault mix. */
  readonly title: string;
  /** Sends per run ({@link soakSendCount}: `SWITCHBOARD_SOAK_SENDS` or 200). */
  readonly sends: number;
  /** Keep an emulator to close in {@link SoakSuite.close}; returns it. */
  use<E extends SoakEmulator>(emulator: E): E;
  /** {@link runSendSoak} with this suite's sends and {@link SOAK_SEED}; the report is kept for the summary. */
  run(target: SoakTarget, reconcile: boolean): Promise<SoakReport>;
  /**
   * Close every emulator kept by {@link SoakSuite.use}; returns the summary of the runs (the result
   * table and the faults by kind, Markdown), or undefined when nothing ran.
   */
  close(): Promise<string | undefined>;
}

/**
 * The set-up every send soak test file shares (runner-agnostic: call `close()` from the runner's
 * after-all hook and print what it returns). `name` is the adapter's name in the titles, e.g. `'Bluesky'`.
 */
export function createSoakSuite(name: string): SoakSuite {
  const reports: SoakReport[] = [];
  const emulators: SoakEmulator[] = [];
  const sends = soakSendCount();
  return {
    title: `${name} send soak (10 % 5xx, 5 % 429, 5 % reset before / 2 % after commit, 1 % malformed 200 after commit)`,
    sends,
    use(emulator) {
      emulators.push(emulator);
      return emulator;
    },
    async run(target, reconcile) {
      const report = await runSendSoak(target, { sends, seed: SOAK_SEED, reconcile });
      reports.push(report);
      return report;
    },
    async close() {
      await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
      if (!reports.length) return undefined;
      return `\n${name} send soak (seed ${SOAK_SEED})\n${formatSoakTable(reports)}\n\nfaults injected by kind\n${formatSoakFaults(reports)}\n`;
    },
  };
}

/**
 * The test-runner functions {@link describeSendSoak} declares its tests with: vitest's `describe`,
 * `it` and `afterAll` (or any runner's of the same shape), passed in so this module imports no runner.
 */
export interface SoakRunner {
  describe(title: string, body: () => void): void;
  it(title: string, body: () => Promise<void>, timeoutMs: number): void;
  afterAll(body: () => Promise<void>): void;
}

/**
 * Declares an adapter's send soak: one describe titled {@link SoakSuite.title}, one test per case
 * (default {@link SOAK_CASES}) that calls `soak` and holds its report to {@link assertSoakHeld}, and
 * an after-all hook that closes the emulators `soak` kept with `suite.use` and prints the summary.
 * `soak` starts a fresh emulator for each run and returns `suite.run(target, reconcile)`.
 * Timeout of each test: {@link SOAK_TIMEOUT_MS}.
 */
export function describeSendSoak(
  runner: SoakRunner,
  name: string,
  soak: (suite: SoakSuite, reconcile: boolean) => Promise<SoakReport>,
  cases: ReadonlyArray<SoakCase> = SOAK_CASES,
): void {
  const suite = createSoakSuite(name);
  runner.afterAll(async () => {
    const summary = await suite.close();
    if (summary) console.log(summary);
  });
  runner.describe(suite.title, () => {
    for (const { title, reconcile } of cases)
      runner.it(title, async () => assertSoakHeld(await soak(suite, reconcile)), SOAK_TIMEOUT_MS);
  });
}
