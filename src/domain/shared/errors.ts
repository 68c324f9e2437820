// Errors the domain raises. Each code is stable and documented in the README's error table.

/** A broken business rule: the command was understood but may not happen now. */
export class DomainError extends Error {
  override name = 'DomainError'
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

/** The actor is known but holds no role that the rule names for this command. */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError'
  readonly code = 'Forbidden'
  constructor(message: string, readonly details: Record<string, unknown> = {}) {
    super(message)
  }
}

/** The stream (or agency) asked for does not exist for this caller. */
export class NotFoundError extends Error {
  override name = 'NotFoundError'
  constructor(readonly code: string, message: string) {
    super(message)
  }
}
