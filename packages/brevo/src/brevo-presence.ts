/** Options of {@link createBrevoPresence}. */
export interface BrevoPresenceOptions {
  /** Time between pings, in ms. */
  intervalMs: number;
  /** Sends one `POST /conversations/agentOnlinePing`. */
  ping(signal: AbortSignal): Promise<void>;
  /** Told about each failed ping (presence keeps going). */
  onError(error: unknown): void;
}

/** Keeps the agent online: pings now, then every `intervalMs` until stopped. */
export interface BrevoPresence {
  /** Starts pinging (idempotent). */
  start(): void;
  /** Stops pinging and aborts a ping in flight (idempotent). */
  stop(): void;
}

/**
 * Creates the presence loop. Brevo keeps an agent online for 2-3 minutes per ping and recommends
 * one ping a minute. The next ping is scheduled when the previous one settles, so pings never
 * overlap; the timer is unref'd, so presence alone never keeps the process alive.
 */
export function createBrevoPresence(options: BrevoPresenceOptions): BrevoPresence {
  let timer: NodeJS.Timeout | undefined;
  let controller: AbortController | undefined;

  const tick = async () => {
    const current = new AbortController();
    controller = current;
    try {
      await options.ping(current.signal);
    } catch (error) {
      if (!current.signal.aborted) options.onError(error);
    }
    if (controller !== current) return;
    timer = setTimeout(tick, options.intervalMs);
    timer.unref();
  };

  return {
    start() {
      if (controller) return;
      void tick();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
      controller?.abort();
      controller = undefined;
    },
  };
}
