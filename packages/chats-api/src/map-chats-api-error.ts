import {
  InvalidRequestError,
  NotFoundError,
  ProviderUnavailableError,
  type SwitchboardError,
} from '@switchboard/core';
import { type HttpErrorContext, httpErrorOptions } from '@switchboard/core/http';

const PROVIDER = 'chats-api';

/**
 * The chats API's own error cases on top of the toolkit's status table: `400 {"detail": "Users not
 * found: …"}` (opening a chat with an unknown user id) is a `NotFoundError`. Everything else (401,
 * 404 "Chat not found", FastAPI 422 `detail[]` kept as `issues`, plain-text 500s) maps by status.
 */
export function mapChatsApiError(context: HttpErrorContext): SwitchboardError | undefined {
  const detail = (context.body as { detail?: unknown } | undefined)?.detail;
  if (context.status === 400 && typeof detail === 'string' && detail.startsWith('Users not found'))
    return new NotFoundError(`chats-api: ${detail}`, httpErrorOptions(context, { provider: PROVIDER }));
  return undefined;
}

/**
 * Maps a WebSocket `{"type": "error", "error": "…"}` answer to the error table: "Not a member of
 * chat" is a `NotFoundError` (as REST's 404 "Chat not found"); the validation errors are
 * `InvalidRequestError`s.
 */
export function mapChatsApiSocketError(error: string): SwitchboardError {
  const message = `chats-api: the WebSocket answered "${error}".`;
  if (error === 'Not a member of chat') return new NotFoundError(message, { provider: PROVIDER });
  return new InvalidRequestError(message, { provider: PROVIDER, providerCode: error });
}

/** The socket closed with 1011: the server's handler raised on our frame (validation, an over-long column). */
export function serverCrashError(what: string): SwitchboardError {
  return new ProviderUnavailableError(
    `chats-api: the server closed the WebSocket with 1011 (internal error) while ${what}.`,
    { provider: PROVIDER, retryable: false },
  );
}
