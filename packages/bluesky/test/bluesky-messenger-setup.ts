/**
 * For messenger tests on the Bluesky emulator: `start()` in each test starts {@link setupEmulator}
 * and a messenger over Alice's adapter; an `afterEach` closes the messenger, then tears the setup
 * down (which checks every request against the lexicons).
 */
import { createMessenger, type Messenger } from '@switchboard/core';
import { afterEach } from 'vitest';
import { type EmulatorSetup, setupEmulator } from './bluesky-emulator-setup.js';

export interface MessengerSetup {
  /** The running test's emulator setup (after `start()`). */
  readonly setup: EmulatorSetup;
  /** The running test's messenger (after `start()`). */
  readonly messenger: Messenger;
  /** Starts the emulator, adds the extra accounts and creates the messenger; resolves both. */
  start(): Promise<EmulatorSetup & { messenger: Messenger }>;
}

/** Call at module level; `extraHandles` are added as accounts (password `pw`) after alice and bob. */
export function useMessengerSetup(extraHandles: readonly string[] = []): MessengerSetup {
  let setup: EmulatorSetup | undefined;
  let messenger: Messenger | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('call start() first');
    return value;
  };
  afterEach(async () => {
    const [ran, runSetup] = [messenger, setup];
    messenger = undefined;
    setup = undefined;
    await ran?.close();
    await runSetup?.teardown();
  });
  return {
    get setup() {
      return started(setup);
    },
    get messenger() {
      return started(messenger);
    },
    async start() {
      setup = await setupEmulator();
      for (const handle of extraHandles) setup.emulator.addAccount({ handle, password: 'pw' });
      messenger = createMessenger(setup.adapter);
      return { ...setup, messenger };
    },
  };
}
