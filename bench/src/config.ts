/**
 * Sizes of every benchmark: the full run (`pnpm bench`, < 10 minutes on 2 cores) and the smoke run
 * (`pnpm bench --smoke`: the same code paths with tiny sizes, well under a minute, for CI).
 * @module
 */

export interface BenchConfig {
  smoke: boolean;
  send: {
    /** Runs (tinybench rounds) per concurrency; each yields one ratio per comparison. */
    rounds: number;
    /**
     * Per concurrency: messages per tinybench iteration, and how long each client sends per round
     * (tinybench `time`, ms; at least `iterations` iterations).
     */
    levels: Array<{ concurrency: number; batch: number; iterations: number; timeMs: number }>;
  };
  history: {
    /** History lengths iterated (messages). */
    lengths: number[];
    /** Child-process runs per length and client. */
    runs: number;
    /** Page size (`limit`) of both the messenger and the raw loop; 100 is getMessages' maximum. */
    pageSize: number;
  };
  rateLimit: {
    runs: number;
    /** Messages sent per run. */
    messages: number;
    /** Concurrency of the sender. */
    concurrency: number;
    /** Per provider: allowed requests per window. */
    limit: number;
    windowMs: number;
  };
  realtime: {
    runs: number;
    /** Messages per run (p50/p95 are over these). */
    messages: number;
    /** Bluesky `pollIntervalMs`. */
    pollIntervalMs: number;
    /** Conversations the peer messages are spread over (the getLog-per-tick check compares 1 and this). */
    conversations: number;
    /** Idle poll ticks observed for the one-getLog-per-tick count. */
    idleTicks: number;
  };
  footprint: {
    /** Fresh `node` processes per subject. */
    runs: number;
  };
  stateStore: {
    /** Stored history lengths (messages of one Brevo conversation). */
    sizes: number[];
    /** Page size of the walk. */
    pageSize: number;
    /** Pages (the last of the walk) the per-page figure is taken over. */
    samplePages: number;
  };
}

export const FULL: BenchConfig = {
  smoke: false,
  send: {
    rounds: 5,
    levels: [
      { concurrency: 1, batch: 10, iterations: 5, timeMs: 500 },
      { concurrency: 32, batch: 64, iterations: 5, timeMs: 500 },
    ],
  },
  history: { lengths: [10_000, 100_000], runs: 5, pageSize: 100 },
  rateLimit: { runs: 5, messages: 500, concurrency: 1, limit: 100, windowMs: 2_000 },
  realtime: { runs: 5, messages: 200, pollIntervalMs: 250, conversations: 10, idleTicks: 8 },
  footprint: { runs: 7 },
  stateStore: { sizes: [1_000, 100_000], pageSize: 50, samplePages: 200 },
};

export const SMOKE: BenchConfig = {
  smoke: true,
  send: {
    rounds: 1,
    levels: [
      { concurrency: 1, batch: 5, iterations: 1, timeMs: 0 },
      { concurrency: 32, batch: 64, iterations: 1, timeMs: 0 },
    ],
  },
  history: { lengths: [300, 1_000], runs: 1, pageSize: 25 },
  rateLimit: { runs: 1, messages: 30, concurrency: 1, limit: 10, windowMs: 1_000 },
  realtime: { runs: 1, messages: 10, pollIntervalMs: 100, conversations: 3, idleTicks: 3 },
  footprint: { runs: 1 },
  stateStore: { sizes: [200, 1_000], pageSize: 50, samplePages: 10 },
};
