/** FastAPI's `HTTPException`: answered as `{"detail": "..."}` with its status (and headers). */
export class HttpException extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpException';
  }
}

/** One entry of FastAPI's 422 `detail[]`, as pydantic v2 writes it (FastAPI drops pydantic's `url`). */
export interface ValidationIssue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** FastAPI's `RequestValidationError`: answered as `422 {"detail": issues}`. */
export class RequestValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super('Request validation failed');
    this.name = 'RequestValidationError';
  }
}

/**
 * A database constraint the server does not check first (`varchar(n)` lengths: message image 2048,
 * chat name 100, avatars 2048). Uncaught there, so REST answers a plain-text 500 and a WebSocket
 * handler dies (close code 1011).
 */
export class DatabaseError extends Error {
  constructor(column: string, maxLength: number) {
    super(`value too long for type character varying(${maxLength}) (${column})`);
    this.name = 'DatabaseError';
  }
}
