/** The part of an emulator's fault kit an outage needs. */
interface Faults {
  inject(rule: { fault: { kind: 'reset' }; times: number }): { remove(): void };
}

/**
 * Takes one emulator "down" and brings it back, for the demo and its browser tests: while down,
 * the emulator cuts every request's connection before handling it (its fault kit's `reset`), as a
 * crashed server would; its data and any open WebSocket stay. (A TCP proxy would not do: a Bluesky
 * client talks to the PDS its session names, not the address it logged in at.)
 */
export interface OutageSwitch {
  readonly down: boolean;
  stop(): void;
  start(): void;
}

/** Creates an {@link OutageSwitch} over an emulator's fault kit (`emulator.faults`). */
export function createOutageSwitch(faults: Faults): OutageSwitch {
  let outage: { remove(): void } | undefined;
  return {
    get down() {
      return outage !== undefined;
    },
    stop() {
      outage ??= faults.inject({ fault: { kind: 'reset' }, times: Number.POSITIVE_INFINITY });
    },
    start() {
      outage?.remove();
      outage = undefined;
    },
  };
}
