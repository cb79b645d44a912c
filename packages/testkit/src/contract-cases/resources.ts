import { setTimeout as sleep } from 'node:timers/promises';

/** Resource types that mean "something still holds the process open": sockets, servers, timers, child processes. */
const LEAK_TYPES = new Set([
  'TCPSocketWrap',
  'TCPServerWrap',
  'TLSWrap',
  'UDPWrap',
  'Timeout',
  'Immediate',
  'GetAddrInfoReqWrap',
  'ProcessWrap',
]);

function countLeakTypes(resources: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of resources) if (LEAK_TYPES.has(type)) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/**
 * Resources of the leak-prone types (sockets, servers, timers, …) active now beyond `baseline`
 * (`process.getActiveResourcesInfo()` taken earlier), e.g. `['TCPSocketWrap +1']`. Only resources
 * that keep the event loop alive count; the test runner's own (IPC pipes, its timeout timer) are
 * either of other types or already in the baseline.
 */
export function resourcesBeyond(baseline: readonly string[]): string[] {
  const before = countLeakTypes(baseline);
  const extra: string[] = [];
  for (const [type, count] of countLeakTypes(process.getActiveResourcesInfo())) {
    const more = count - (before.get(type) ?? 0);
    if (more > 0) extra.push(`${type} +${more}`);
  }
  return extra;
}

/**
 * Waits up to `graceMs` for the active resources to fall back to `baseline` (closing sockets need a
 * few event-loop turns) and returns what is still left (`[]`: nothing leaked).
 */
export async function leftoverResources(baseline: readonly string[], graceMs: number): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  let extra = resourcesBeyond(baseline);
  while (extra.length > 0 && Date.now() < deadline) {
    await sleep(20);
    extra = resourcesBeyond(baseline);
  }
  return extra;
}
