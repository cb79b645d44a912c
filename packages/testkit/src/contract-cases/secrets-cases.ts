import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import type { Fault } from '../faults/index.js';
import { settle } from './contract-assert.js';
import { describeFault, prepareProbe, RETRY_AFTER_MS, serverErrorStatus } from './fault-probe.js';
import { uniqueText } from './fixtures.js';
import { faultsOf } from './requests.js';
import { allOf, realtimeSkipReason, withFaults, withSecrets } from './requirements.js';

/** Secrets shorter than this are not searched for (core's redaction ignores them too). */
const MIN_SECRET_LENGTH = 4;

/** Every rendering of a value a log line or a bug report could contain. */
function renderings(value: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['String()', String(value)],
    ['util.inspect()', inspect(value, { depth: 10 })],
  ];
  if (value instanceof Error) {
    out.push(['message', value.message], ['stack', value.stack ?? '']);
    if (value.cause !== undefined) out.push(['cause', inspect(value.cause, { depth: 10 })]);
  }
  try {
    out.push(['JSON.stringify()', JSON.stringify(value) ?? '']);
  } catch {
    // Circular structures cannot be JSON; util.inspect above still covers them.
  }
  return out;
}

/** Fails when any secret appears in any rendering of `value`; names the secret by position, never by value. */
function assertNoSecrets(value: unknown, secrets: readonly string[], what: string, label = 'secrets'): void {
  for (const [where, text] of renderings(value)) {
    secrets.forEach((secret, index) => {
      if (secret.length < MIN_SECRET_LENGTH) return;
      assert.ok(!text.includes(secret), `${label}[${index}] appears in ${where} of ${what}`);
    });
  }
}

/**
 * Records what is written to the console and to stdout/stderr while a case runs (still passing it
 * through), so the case can check that no log line carries a secret.
 */
function captureLogs(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const originals = methods.map((method) => console[method]);
  methods.forEach((method, i) => {
    console[method] = (...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 10 }))).join(' '));
      originals[i]!.apply(console, args);
    };
  });
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  streams.forEach((stream, i) => {
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (writes[i] as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
  });
  return {
    lines,
    restore() {
      methods.forEach((method, i) => {
        console[method] = originals[i]!;
      });
      streams.forEach((stream, i) => {
        stream.write = writes[i]!;
      });
    },
  };
}

/** Injects `fault` on every request, runs `call`, and returns what it threw (`undefined`: it resolved). */
async function errorUnder(context: ContractCaseContext, fault: Fault, call: () => Promise<unknown>) {
  const rule = faultsOf(context).inject({ fault, times: Number.POSITIVE_INFINITY });
  const outcome = await settle(call());
  rule.remove();
  return 'error' in outcome ? outcome.error : undefined;
}

/** Provokes errors under each fault and checks none carries a secret. */
async function checkErrors(context: ContractCaseContext): Promise<void> {
  const { adapter, messenger, peer, secrets } = context;
  const conversationId = await peer.startConversation();
  const checked: string[] = [];
  const check = async (fault: Fault, name: string, call: () => Promise<unknown>) => {
    const error = await errorUnder(context, fault, call);
    if (error === undefined) return;
    assertNoSecrets(error, secrets, `the error of ${name} under ${describeFault(fault)}`);
    checked.push(name);
  };
  // Logging in happens first, while the adapter holds no session yet.
  const unauthorized: Fault = { kind: 'status', status: 401 };
  await check(unauthorized, 'messenger.connect()', () => messenger.connect());
  await check(unauthorized, 'adapter.connect()', async () => adapter.connect?.());
  const probe = await prepareProbe(context);
  const faults: Fault[] = [
    unauthorized,
    { kind: 'rate-limit', retryAfterMs: RETRY_AFTER_MS },
    { kind: 'status', status: serverErrorStatus(probe) },
    { kind: 'malformed' },
    { kind: 'reset' },
  ];
  for (const fault of faults) await check(fault, `${probe.name}()`, probe.call);
  for (const status of [400, 403, 404]) {
    const fault: Fault = { kind: 'status', status };
    await check(fault, 'messenger.send()', () => messenger.send(conversationId, uniqueText('secrets')));
    await check(fault, 'adapter.sendMessage()', () =>
      adapter.sendMessage(conversationId, { text: uniqueText('secrets') }),
    );
  }
  assert.ok(checked.length > 0, 'no fault produced an error, so there was nothing to check');
}

/** The secrets (of `setup()`, issued at run time, or sent as credentials) that appear in a request path. */
async function secretsInPaths(context: ContractCaseContext): Promise<string[]> {
  const candidates = [
    ...context.secrets,
    ...((await context.issuedSecrets?.()) ?? []),
    ...faultsOf(context).credentialsSeen,
  ].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
  const paths = faultsOf(context).requests.flatMap(({ path }) => {
    try {
      return [path, decodeURIComponent(path)];
    } catch {
      return [path];
    }
  });
  return [...new Set(candidates)].filter((secret) => paths.some((path) => path.includes(secret)));
}

/** The secrets group: credentials never leak into errors or into the adapter's printed form. */
export const secretsCases: readonly ContractCase[] = [
  {
    id: 'secrets-absent-from-errors',
    group: 'secrets',
    title:
      'errors from login, 401, 429, 5xx, malformed, reset and 4xx faults carry no secret in message, stack, cause, JSON or util.inspect, and nothing logged meanwhile does',
    requires: allOf(withFaults, withSecrets),
    async run(context) {
      const logs = captureLogs();
      try {
        await checkErrors(context);
      } finally {
        logs.restore();
      }
      for (const [index, line] of logs.lines.entries()) {
        assertNoSecrets(line, context.secrets, `log line ${index + 1}`);
      }
    },
  },
  {
    id: 'secrets-absent-over-session',
    group: 'secrets',
    title:
      'over a whole session (connect, send, reads, realtime, then 401/5xx/reset/400/403/404 faults) neither errors nor logs carry a secret issued at run time: session tokens (setup().issuedSecrets) or any Authorization/api-key credential the requests carried',
    requires: withFaults,
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const logs = captureLogs();
      const errors: Array<[string, unknown]> = [];
      try {
        await messenger.connect();
        const conversationId = await peer.startConversation();
        await messenger.send(conversationId, uniqueText('session'));
        if (realtimeSkipReason(capabilities, context.routeWebhooks !== undefined) === undefined) {
          await messenger.start();
          await messenger.stop();
        }
        const probe = await prepareProbe(context);
        const faults: Fault[] = [
          { kind: 'status', status: 401 },
          { kind: 'status', status: serverErrorStatus(probe) },
          { kind: 'reset' },
          { kind: 'status', status: 400 },
          { kind: 'status', status: 403 },
          { kind: 'status', status: 404 },
        ];
        for (const fault of faults) {
          const error = await errorUnder(context, fault, probe.call);
          if (error !== undefined) errors.push([`${probe.name}() under ${describeFault(fault)}`, error]);
          const sendError = await errorUnder(context, fault, () =>
            messenger.send(conversationId, uniqueText('session')),
          );
          if (sendError !== undefined) errors.push([`send() under ${describeFault(fault)}`, sendError]);
        }
        // After the faults (a 401 may have refreshed the session): one more successful call.
        await probe.call();
      } finally {
        logs.restore();
      }
      const issued = [
        ...((await context.issuedSecrets?.()) ?? []),
        ...faultsOf(context).credentialsSeen,
        ...context.secrets,
      ].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
      if (issued.length === 0)
        context.notChecked(
          'no secret to look for: no issuedSecrets, no credential on any request, no `secrets`',
        );
      assert.ok(errors.length > 0, 'no fault produced an error, so there was nothing to check');
      for (const [what, error] of errors)
        assertNoSecrets(error, issued, `the error of ${what}`, 'runtime secret');
      for (const [index, line] of logs.lines.entries())
        assertNoSecrets(line, issued, `log line ${index + 1}`, 'runtime secret');
    },
  },
  {
    id: 'secrets-absent-from-path',
    group: 'secrets',
    title:
      'a secret the adapter puts in its request path (Telegram-style `/bot<token>/`) shows in no error of connect, the probe call or send under 401/404/5xx/malformed/reset faults: message, stack, cause, url, JSON, util.inspect',
    requires: withFaults,
    async run(context) {
      const { messenger, peer } = context;
      await messenger.connect();
      const conversationId = await peer.startConversation();
      await messenger.send(conversationId, uniqueText('path'));
      const probe = await prepareProbe(context);
      const inPaths = await secretsInPaths(context);
      if (inPaths.length === 0)
        context.notChecked(
          'no request path carries a secret (setup() secrets, issued tokens or credentials); secrets-absent-from-errors covers the rest',
        );
      const errors: Array<[string, unknown]> = [];
      const faults: Fault[] = [
        { kind: 'status', status: 401 },
        { kind: 'status', status: 404 },
        { kind: 'status', status: serverErrorStatus(probe) },
        { kind: 'malformed' },
        { kind: 'reset' },
      ];
      for (const fault of faults) {
        for (const [name, call] of [
          [`${probe.name}()`, probe.call],
          ['send()', () => messenger.send(conversationId, uniqueText('path'))],
        ] as const) {
          const error = await errorUnder(context, fault, call);
          if (error !== undefined) errors.push([`${name} under ${describeFault(fault)}`, error]);
        }
      }
      assert.ok(errors.length > 0, 'no fault produced an error, so there was nothing to check');
      for (const [what, error] of errors) {
        assertNoSecrets(error, inPaths, `the error of ${what}`, 'path secret');
        const url = (error as { url?: unknown }).url;
        if (typeof url === 'string') assertNoSecrets(url, inPaths, `error.url of ${what}`, 'path secret');
      }
    },
  },
  {
    id: 'secrets-absent-from-adapter',
    group: 'secrets',
    title: 'after logging in, util.inspect/JSON of the adapter and the Messenger carry no secret',
    requires: withSecrets,
    async run(context) {
      const { adapter, messenger, peer, secrets } = context;
      await messenger.connect();
      await messenger.send(await peer.startConversation(), uniqueText('inspect'));
      assertNoSecrets(adapter, secrets, 'the adapter');
      assertNoSecrets(messenger, secrets, 'the Messenger');
    },
  },
];
