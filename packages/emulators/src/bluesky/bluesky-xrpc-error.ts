/**
 * An XRPC error answer: HTTP `status` with the body `{ error, message }`, as every atproto service
 * writes it. Thrown by the emulator's handlers and by the in-process peer API.
 */
export class BlueskyXrpcError extends Error {
  override readonly name = 'BlueskyXrpcError';

  constructor(
    /** HTTP status (400 for declared lexicon errors). */
    readonly status: number,
    /** The XRPC error name, e.g. `InvalidConvo`. */
    readonly error: string,
    message: string,
    /** Extra response headers (e.g. `WWW-Authenticate`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** The JSON response body. */
  toJSON(): { error: string; message: string } {
    return { error: this.error, message: this.message };
  }
}

/** 400 `InvalidRequest` with `message`. */
export const invalidRequest = (message: string) => new BlueskyXrpcError(400, 'InvalidRequest', message);

/** 400 `InvalidConvo`: the convo does not exist or the viewer is not a member. */
export const invalidConvo = () => new BlueskyXrpcError(400, 'InvalidConvo', 'Convo not found');
