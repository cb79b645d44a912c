import {
  type Capabilities,
  type CapabilityName,
  type GroupCapabilityName,
  hasCapability,
} from './capabilities.js';
import type { ChatAdapter } from './chat-adapter.js';
import { UnsupportedOperationError } from './errors.js';

/**
 * The adapter's `method`, bound to the adapter, for a Messenger call that needs `capability`
 * (internal: used by `createMessenger` and `createGroupMethods`, not exported by the package).
 * @throws {UnsupportedOperationError} (no request sent) when the manifest leaves `capability` out, or
 * declares it but the adapter does not implement `method`.
 */
export function requireAdapterMethod<M extends keyof ChatAdapter>(
  adapter: ChatAdapter,
  capabilities: Capabilities,
  capability: CapabilityName | GroupCapabilityName,
  method: M,
): NonNullable<ChatAdapter[M]> {
  const fn = adapter[method];
  if (!hasCapability(capabilities, capability) || typeof fn !== 'function') {
    const why = hasCapability(capabilities, capability)
      ? `declares '${capability}' but does not implement ${String(method)}()`
      : `does not support '${capability}'`;
    throw new UnsupportedOperationError(`The ${adapter.provider} adapter ${why}.`, {
      provider: adapter.provider,
    });
  }
  return (fn as (...args: unknown[]) => unknown).bind(adapter) as NonNullable<ChatAdapter[M]>;
}
