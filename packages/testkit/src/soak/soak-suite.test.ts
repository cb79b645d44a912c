import { describe, expect, it } from 'vitest';
import type { SoakReport } from './send-soak.js';
import { describeSendSoak, SOAK_CASES, SOAK_SEED, SOAK_TIMEOUT_MS, type SoakRunner } from './soak-suite.js';

/** A report that holds every figure `assertSoakHeld` checks, for `reconcile`. */
const held = (reconcile: boolean): SoakReport => ({
  adapter: 'Fake',
  reconcile,
  seed: SOAK_SEED,
  sends: 10,
  attempts: 14,
  faults: { '502': 4 },
  succeeded: reconcile ? 10 : 9,
  failedNotApplied: 0,
  failedUnknown: reconcile ? 0 : 1,
  unknownButStored: 0,
  duplicates: 0,
  lost: 0,
  mislabelled: 0,
  unflagged: 0,
  ms: 1,
});

/** A runner that records what `describeSendSoak` declares instead of running it. */
function recordingRunner() {
  const declared = {
    describes: [] as string[],
    tests: [] as Array<{ title: string; body: () => Promise<void>; timeoutMs: number }>,
    afterAll: [] as Array<() => Promise<void>>,
  };
  const runner: SoakRunner = {
    describe: (title, body) => {
      declared.describes.push(title);
      body();
    },
    it: (title, body, timeoutMs) => declared.tests.push({ title, body, timeoutMs }),
    afterAll: (body) => declared.afterAll.push(body),
  };
  return { runner, declared };
}

describe('describeSendSoak', () => {
  it('declares one test per case, each holding its report to assertSoakHeld, and closes the emulators after all', async () => {
    const { runner, declared } = recordingRunner();
    let closed = 0;
    const asked: boolean[] = [];
    describeSendSoak(runner, 'Fake', async (suite, reconcile) => {
      suite.use({
        close: () => {
          closed += 1;
        },
      });
      asked.push(reconcile);
      // Without reconciliation the report claims nothing was left unknown: the faults did not bite.
      return reconcile ? held(true) : { ...held(false), failedUnknown: 0, succeeded: 10 };
    });
    expect(declared.describes).toEqual([expect.stringMatching(/^Fake send soak \(10 % 5xx/)]);
    expect(declared.tests.map((t) => t.title)).toEqual(SOAK_CASES.map((c) => c.title));
    expect(declared.tests.every((t) => t.timeoutMs === SOAK_TIMEOUT_MS)).toBe(true);

    await expect(declared.tests[0]!.body()).rejects.toThrow(/no unknown outcome without reconciliation/);
    await expect(declared.tests[1]!.body()).resolves.toBeUndefined();
    expect(asked).toEqual([false, true]);

    expect(declared.afterAll).toHaveLength(1);
    await declared.afterAll[0]!();
    expect(closed).toBe(2);
  });

  it('runs only the cases it is given', async () => {
    const { runner, declared } = recordingRunner();
    const asked: boolean[] = [];
    describeSendSoak(
      runner,
      'Fake',
      async (_suite, reconcile) => {
        asked.push(reconcile);
        return held(false);
      },
      [{ title: 'one run', reconcile: true }],
    );
    expect(declared.tests.map((t) => t.title)).toEqual(['one run']);
    await declared.tests[0]!.body();
    expect(asked).toEqual([true]);
  });
});
