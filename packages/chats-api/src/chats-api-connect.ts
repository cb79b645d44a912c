import { AuthenticationError } from '@switchboard/core';
import type { ChatsApiApi } from './chats-api-api.js';
import type { ResolvedChatsApiOptions } from './chats-api-options.js';
import { type ChatsApiSocket, type ChatsApiSocketOptions, openChatsApiSocket } from './chats-api-socket.js';

/** What the caller of {@link connectChatsApiSocket} handles. */
export type SocketHandlers = Pick<ChatsApiSocketOptions, 'onFrame' | 'onError' | 'onClose'>;

/**
 * Opens `/ws` with the current access token. When the token is refused (close 1008 / HTTP 403), logs
 * in again once (single-flight, shared with the REST client) if we have a password, and tries again.
 * @throws {AuthenticationError} when the token is refused and cannot be renewed; see `openChatsApiSocket`.
 */
export async function connectChatsApiSocket(
  api: ChatsApiApi,
  options: ResolvedChatsApiOptions,
  selfId: string,
  handlers: SocketHandlers,
  signal?: AbortSignal,
): Promise<ChatsApiSocket> {
  const open = (token: string) =>
    openChatsApiSocket({
      url: options.wsUrl,
      token,
      selfId,
      confirmTimeoutMs: options.confirmTimeoutMs,
      signal,
      ...handlers,
    });
  const session = await api.auth.session(signal);
  try {
    return await open(session.accessToken);
  } catch (error) {
    if (!AuthenticationError.isInstance(error) || !(await api.auth.renew(session, signal))) throw error;
    return open((await api.auth.session(signal)).accessToken);
  }
}
