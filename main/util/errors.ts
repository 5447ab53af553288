/**
 * The kinds of failure a door reports differently (the API's error codes; the server's status codes): input the
 * request names that cannot be used (a missing, truncated or wrong-typed data file), and a run or study that does not
 * exist. Any other error is the engine's own failure.
 */
export class InputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
