/**
 * A TCP proxy on 127.0.0.1 that forwards to a target port and cuts connections: after a random number
 * of server→client bytes (usually in the middle of a WebSocket frame, sometimes in the middle of the
 * HTTP 101 handshake answer), or on request. Every random choice comes from a seeded PRNG, so a failing
 * run can be replayed with the seed it printed.
 * @module
 */
import { connect, createServer, type Socket } from 'node:net';

/** Options of {@link startChaosProxy}. */
export interface ChaosProxyOptions {
  /** Port on 127.0.0.1 to forward to. */
  targetPort: number;
  /** Seed of the PRNG (a 32-bit integer). Default: env `SWITCHBOARD_CHAOS_SEED`, else random. */
  seed?: number;
  /**
   * Cut each connection once this many server→client bytes (a random number in `[min, max]`, drawn per
   * connection) went through: the chunk that crosses the budget is forwarded only up to it, then both
   * sides are dropped. Default: never (cuts only on {@link ChaosProxy.requestCut}).
   */
  cutAfterBytes?: { min: number; max: number };
  /** Share of connections (0–1) whose budget is drawn in `[1, 100]` bytes: a cut inside the handshake. */
  handshakeCutRate?: number;
  /**
   * Called once per connection with the client's first bytes (the WebSocket upgrade request) before
   * they are forwarded to the server: the server has not accepted the socket yet.
   */
  onUpgradeRequest?(): void;
  /**
   * Called once per connection with the server's first bytes (the WebSocket handshake answer) before
   * they are forwarded to the client: by then the server has accepted the socket, and whatever the
   * hook makes the server send reaches the client right after the handshake.
   */
  onHandshake?(): void;
}

/** A running proxy. */
export interface ChaosProxy {
  /** The port it listens on (127.0.0.1). */
  readonly port: number;
  /** The seed in use. */
  readonly seed: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections the proxy cut (randomly or on request). */
  readonly cuts: number;
  /** Connections cut in the middle of a server→client chunk (a partial frame or handshake reached the client). */
  readonly midChunkCuts: number;
  /** Asks for one more cut: the next server→client chunk on any connection is split and the connection dropped. */
  requestCut(): void;
  /** Resolves once every requested cut has happened. */
  cutsDone(): Promise<void>;
  /** Stops cutting: open and new connections pass through untouched (requested cuts are dropped). */
  calm(): void;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

/** mulberry32: a small, fast, seedable 32-bit PRNG; returns floats in [0, 1). */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed from env `SWITCHBOARD_CHAOS_SEED`, else a random one. */
export function chaosSeed(): number {
  const fromEnv = Number(process.env.SWITCHBOARD_CHAOS_SEED);
  return Number.isInteger(fromEnv) && process.env.SWITCHBOARD_CHAOS_SEED
    ? fromEnv
    : Math.floor(Math.random() * 2 ** 31);
}

/** Starts the proxy on 127.0.0.1 (a free port). */
export async function startChaosProxy(options: ChaosProxyOptions): Promise<ChaosProxy> {
  const seed = options.seed ?? chaosSeed();
  const random = createPrng(seed);
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const open = new Set<Socket>();
  let calm = false;
  let connections = 0;
  let cuts = 0;
  let midChunkCuts = 0;
  let owed = 0;
  let waiters: (() => void)[] = [];

  const settleWaiters = () => {
    if (owed > 0) return;
    for (const wake of waiters) wake();
    waiters = [];
  };

  const server = createServer((client) => {
    connections += 1;
    const upstream = connect(options.targetPort, '127.0.0.1');
    open.add(client).add(upstream);
    let budget = Number.POSITIVE_INFINITY;
    if (options.cutAfterBytes) {
      budget =
        random() < (options.handshakeCutRate ?? 0)
          ? between(1, 100)
          : between(options.cutAfterBytes.min, options.cutAfterBytes.max);
    }
    let handshaken = false;
    let cut = false;

    const drop = (partial?: Buffer) => {
      cut = true;
      cuts += 1;
      upstream.destroy();
      // Half the time a FIN after the partial bytes, half the time a reset (the partial bytes may be lost).
      if (partial && partial.length > 0) midChunkCuts += 1;
      if (random() < 0.5) client.end(partial ?? Buffer.alloc(0), () => client.destroy());
      else {
        if (partial && partial.length > 0) client.write(partial);
        client.resetAndDestroy();
      }
    };

    upstream.on('data', (chunk: Buffer) => {
      if (cut) return;
      if (!handshaken) {
        handshaken = true;
        options.onHandshake?.();
      }
      if (!calm && owed > 0) {
        owed -= 1;
        drop(chunk.subarray(0, between(0, chunk.length - 1)));
        settleWaiters();
        return;
      }
      if (!calm && chunk.length >= budget) {
        drop(chunk.subarray(0, budget));
        return;
      }
      budget -= chunk.length;
      client.write(chunk);
    });
    let requested = false;
    client.on('data', (chunk: Buffer) => {
      if (!requested) {
        requested = true;
        options.onUpgradeRequest?.();
      }
      if (!cut) upstream.write(chunk);
    });
    const forget = () => {
      open.delete(client);
      open.delete(upstream);
    };
    upstream.on('close', () => {
      forget();
      if (!cut) client.end();
    });
    client.on('close', () => {
      forget();
      upstream.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');

  return {
    port: address.port,
    seed,
    get connections() {
      return connections;
    },
    get cuts() {
      return cuts;
    },
    get midChunkCuts() {
      return midChunkCuts;
    },
    requestCut() {
      if (!calm) owed += 1;
    },
    cutsDone() {
      return owed === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve));
    },
    calm() {
      calm = true;
      owed = 0;
      settleWaiters();
    },
    async close() {
      calm = true;
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
