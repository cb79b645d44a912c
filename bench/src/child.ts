/**
 * Running a measurement in a fresh Node process, so runs do not pollute each other (RSS, JIT state,
 * module cache) and the client under test does not share a thread with the emulator it talks to.
 * The child is forked with the parent's `execArgv` (tsx's loader and `--conditions`), gets its input
 * over IPC and answers with one IPC message.
 * @module
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Node flags added to every child (e.g. `--cpu-prof`), set once by `main` from `--cpu-prof`. */
const defaultNodeFlags: string[] = [];

/** Adds Node flags to every child process started from now on. */
export function addChildNodeFlags(flags: string[]): void {
  defaultNodeFlags.push(...flags);
}

type ChildAnswer<O> = { ok: true; result: O } | { ok: false; error: string };

/** Options of {@link runChild}. */
export interface RunChildOptions {
  /** Kill the child and reject after this many milliseconds (default 120 000). */
  timeoutMs?: number;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
}

/**
 * Forks `script` (a module that calls {@link serveChild}), sends it `input`, and resolves with its
 * answer. Rejects when the child reports an error, exits early, or runs past the timeout.
 */
export function runChild<I, O>(script: URL, input: I, options: RunChildOptions = {}): Promise<O> {
  return new Promise<O>((resolve, reject) => {
    const child = fork(fileURLToPath(script), [], {
      execArgv: [...process.execArgv, ...defaultNodeFlags, ...(options.nodeFlags ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      finish(() =>
        reject(new Error(`${script.pathname} timed out after ${options.timeoutMs ?? 120_000} ms`)),
      );
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 120_000);
    child.once('message', (message: ChildAnswer<O>) => {
      finish(() => (message.ok ? resolve(message.result) : reject(new Error(message.error))));
    });
    child.once('error', (error) => finish(() => reject(error)));
    child.once('exit', (code, signal) =>
      finish(() => reject(new Error(`${script.pathname} exited (${signal ?? code}) without an answer`))),
    );
    child.send(input as object);
  });
}

/** Child side: waits for the input, runs `handler`, sends the answer, exits. */
export function serveChild<I, O>(handler: (input: I) => Promise<O>): void {
  process.once('message', (input: I) => {
    handler(input).then(
      (result) => answer({ ok: true, result }),
      (error: unknown) =>
        answer({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}

function answer<O>(message: ChildAnswer<O>): void {
  process.send?.(message, () => process.exit(0));
}
