// Errors of the store and of command handling that adapters map to HTTP/GraphQL answers.

/** The stream moved on between read and append more times than handleCommand retries. */
export class ConcurrencyError extends Error {
  override name = 'ConcurrencyError'
  readonly code = 'ConcurrencyConflict'
  constructor(readonly streamId: string, readonly expectedVersion: number, readonly actualVersion: number) {
    super(`stream ${streamId} is at version ${actualVersion}, not ${expectedVersion}; retry the command`)
  }
}

/** An Idempotency-Key was used before for a different request. */
export class IdempotencyKeyReusedError extends Error {
  override name = 'IdempotencyKeyReusedError'
  readonly code = 'IdempotencyKeyReused'
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was already used for a different request; use a new key for a new request`)
  }
}
