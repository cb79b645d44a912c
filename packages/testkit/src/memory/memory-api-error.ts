/** An error the memory backend answers as `status` with `{ error: code, message }`. */
export class MemoryApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MemoryApiError';
  }
}
