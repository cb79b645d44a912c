import { SwitchboardError } from '../errors.js';

/**
 * How an {@link HttpClient} authenticates requests. `prepare` gives the headers for one attempt and
 * a token identifying the credentials used; after an auth failure the client calls `recover` with
 * that token and retries if it resolves `true` — once per token within a call (a call that meets a
 * second expired token later, e.g. after waiting out a 429, recovers again), and never when the
 * credentials `recover` just produced are refused at once.
 */
export interface AuthStrategy {
  prepare(signal?: AbortSignal): Promise<{ headers: Record<string, string>; token: unknown }>;
  /** `true` when this error means "the credentials are stale" (default: `code === 'authentication'`). */
  isAuthFailure(error: SwitchboardError): boolean;
  /** Gets fresh credentials (refresh or log in again). `true` when the request should be retried. */
  recover(token: unknown, signal?: AbortSignal): Promise<boolean>;
}

/** Options of {@link createSessionAuth}. */
export interface SessionAuthOptions<S> {
  /** Logs in. Called once at first use (single-flight), and again when a refresh fails. */
  login(signal?: AbortSignal): Promise<S>;
  /**
   * Refreshes a session. Throw an `AuthenticationError` when the refresh credential is dead: the
   * strategy then logs in again. Absent: every recovery logs in again.
   */
  refresh?(session: S, signal?: AbortSignal): Promise<S>;
  /** Headers carrying the session, e.g. `{ authorization: \`Bearer ${s.accessJwt}\` }`. */
  headers(session: S): Record<string, string>;
  /** Which errors mean "stale credentials". Default: `AuthenticationError`. */
  isAuthFailure?(error: SwitchboardError): boolean;
  /** Called whenever a new session is obtained (to persist it, or register its tokens as secrets). */
  onSession?(session: S): void;
}

/** An {@link AuthStrategy} over a login/refresh session, plus access to the session. */
export interface SessionAuth<S> extends AuthStrategy {
  /** The current session, if logged in. */
  session(): S | undefined;
  /** Logs in if needed and returns the session. Concurrent callers share one login. */
  ensure(signal?: AbortSignal): Promise<S>;
  /** Forgets the session (the next request logs in again). */
  reset(): void;
}

/**
 * Session handling with single-flight login and refresh: however many concurrent requests meet an
 * expired session, one refresh (or one login) runs and all of them retry with its result.
 */
export function createSessionAuth<S>(options: SessionAuthOptions<S>): SessionAuth<S> {
  let current: S | undefined;
  let pending: Promise<S> | undefined;

  const adopt = (session: S) => {
    current = session;
    options.onSession?.(session);
    return session;
  };

  const singleFlight = (run: () => Promise<S>): Promise<S> => {
    pending ??= run()
      .then(adopt)
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  const isAuthFailure =
    options.isAuthFailure ?? ((error: SwitchboardError) => error.code === 'authentication');

  const ensure = async (signal?: AbortSignal) => current ?? (await singleFlight(() => options.login(signal)));

  return {
    session: () => current,
    ensure,
    reset() {
      current = undefined;
    },
    isAuthFailure,
    async prepare(signal) {
      const session = await ensure(signal);
      return { headers: options.headers(session), token: session };
    },
    async recover(token, signal) {
      if (pending) {
        await pending;
        return true;
      }
      // Someone else already replaced the session this request used: just retry with the new one.
      if (current !== undefined && current !== token) return true;
      const stale = current;
      await singleFlight(async () => {
        if (stale === undefined || !options.refresh) return options.login(signal);
        try {
          return await options.refresh(stale, signal);
        } catch (error) {
          if (SwitchboardError.isInstance(error) && isAuthFailure(error)) return options.login(signal);
          throw error;
        }
      });
      return true;
    },
  };
}

/** A fixed set of headers (an API key, a long-lived token). Auth failures are final. */
export function createStaticAuth(headers: Record<string, string>): AuthStrategy {
  return {
    async prepare() {
      return { headers, token: headers };
    },
    isAuthFailure: (error) => error.code === 'authentication',
    async recover() {
      return false;
    },
  };
}
