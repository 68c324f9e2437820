// The one catalogue of error codes: HTTP status and how to fix. REST (problem+json) and GraphQL
// (extensions.code) both answer from it; the README's error table reproduces it.
import { DomainError, ForbiddenError, NotFoundError } from '../domain/shared/errors.js'
import { ConcurrencyError, IdempotencyKeyReusedError } from '../eventstore/errors.js'

export const errorCatalogue = {
  ValidationFailed: { status: 400, fix: 'Correct the fields listed in `errors` (path and message) and send again.' },
  InvalidCursor: { status: 400, fix: 'Pass a cursor from an earlier page of the same list, or none to start at the beginning.' },
  Unauthorized: { status: 401, fix: 'Send `Authorization: Bearer <token>` with a token from `npm run admin -- token create`.' },
  Forbidden: { status: 403, fix: 'Ask for a token with one of the roles the message names.' },
  NotFound: { status: 404, fix: 'Check the path and the id; you only see your own agency (and, for a national organ, the bodies under it).' },
  IncidentNotFound: { status: 404, fix: 'Check the incident id; it must belong to your agency.' },
  AgencyNotFound: { status: 404, fix: 'Register the agency first: `npm run admin -- agency create`.' },
  ConcurrencyConflict: { status: 409, fix: 'Someone changed the same record at the same time; read it again and retry.' },
  IncidentTransitionNotAllowed: { status: 409, fix: 'Do the step the message names first (the incident lifecycle is ordered).' },
  IncidentAlreadyExists: { status: 409, fix: 'Report a new incident without reusing an id.' },
  AlreadyNotified: { status: 409, fix: 'The national centre was already notified; record further contact as an action.' },
  NotificationMissing: { status: 409, fix: 'Notify the national centre (NotifyNationalCentre) before closing.' },
  SeverityRequired: { status: 409, fix: 'Give a severity when assessing the report as an incident.' },
  DetectedInFuture: { status: 409, fix: 'detectedAt must not be later than now; check the time zone offset.' },
  AgencyAlreadyExists: { status: 409, fix: 'Choose another agency id, or use the existing agency.' },
  ParentRequired: { status: 409, fix: 'Give the national administrative organ the body sits under (--parent).' },
  ParentNotAllowed: { status: 409, fix: 'Leave out the parent for a national administrative organ.' },
  ParentNotFound: { status: 409, fix: 'Register the parent agency first.' },
  ParentNotNationalOrgan: { status: 409, fix: 'The parent must be a national administrative organ.' },
  PayloadTooLarge: { status: 413, fix: 'Send a smaller body (limit 1 MiB).' },
  UnsupportedMediaType: { status: 415, fix: 'Send JSON with `Content-Type: application/json`.' },
  IdempotencyKeyReused: { status: 422, fix: 'This key was used for a different request; use a new key for a new request.' },
  ReadModelBehind: { status: 503, fix: 'The read model has not reached the position yet; retry after the Retry-After delay.' },
  InternalError: { status: 500, fix: 'Retry later; if it persists, report the requestId to the operators.' },
} as const satisfies Record<string, { status: number; fix: string }>

export type ErrorCode = keyof typeof errorCatalogue

export interface ClassifiedError {
  status: number
  code: string
  message: string
  details?: Record<string, unknown> | undefined
  /** True for 5xx: the message is replaced before it reaches the client. */
  internal: boolean
}

export class ReadModelBehindError extends Error {
  override name = 'ReadModelBehindError'
  readonly code = 'ReadModelBehind'
  constructor(readonly position: number) {
    super(`the read model has not reached position ${position} yet; retry shortly`)
  }
}

export class ValidationError extends Error {
  override name = 'ValidationError'
  readonly code = 'ValidationFailed'
  constructor(message: string, readonly errors: { path: string; message: string }[]) {
    super(message)
  }
}

const statusOf = (code: string): number => (errorCatalogue as Record<string, { status: number }>)[code]?.status ?? 409

export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof DomainError) return { status: statusOf(err.code), code: err.code, message: err.message, details: err.details, internal: false }
  if (err instanceof NotFoundError) return { status: 404, code: err.code, message: err.message, internal: false }
  if (err instanceof ForbiddenError) return { status: 403, code: err.code, message: err.message, details: err.details, internal: false }
  if (err instanceof ConcurrencyError) {
    return { status: 409, code: err.code, message: err.message, details: { streamId: err.streamId, actualVersion: err.actualVersion }, internal: false }
  }
  if (err instanceof IdempotencyKeyReusedError) return { status: 422, code: err.code, message: err.message, internal: false }
  if (err instanceof ValidationError) return { status: 400, code: err.code, message: err.message, details: { errors: err.errors }, internal: false }
  if (err instanceof ReadModelBehindError) return { status: 503, code: err.code, message: err.message, details: { position: err.position }, internal: false }
  const code = (err as { code?: unknown } | null)?.code
  if (code === 'InvalidCursor') return { status: 400, code, message: (err as Error).message, internal: false }
  // Text PostgreSQL cannot store (a NUL character) is the client's to fix, not a server fault.
  if (code === '22P05' || code === '22021') {
    return { status: 400, code: 'ValidationFailed', message: 'the request contains characters that cannot be stored (for example \\u0000); remove them', internal: false }
  }
  return { status: 500, code: 'InternalError', message: 'internal error', internal: true }
}
