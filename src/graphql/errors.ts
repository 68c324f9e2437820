// GraphQL errors from the one catalogue (application/errors.ts): every error gets extensions.code,
// 5xx messages are hidden and the original logged. Used by mercurius' errorFormatter and by the
// subscription path, which mercurius does not format.
import { GraphQLError, type ExecutionResult } from 'graphql'
import type { MercuriusContext } from 'mercurius'
import type { z } from 'zod'
import { classifyError, ValidationError, type ClassifiedError } from '../application/errors.js'

/** No principal: the HTTP hook answers 401 first, so resolvers only see this on a misconfiguration. */
export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError'
  readonly code = 'Unauthorized'
}

interface Log {
  error(obj: object, msg?: string): void
}

const statusOf = (err: unknown): number | undefined => {
  const status = (err as { statusCode?: unknown } | null)?.statusCode
  return typeof status === 'number' ? status : undefined
}

/**
 * An error that never reached a resolver (no `path`) is the request's fault: syntax, validation,
 * query limits, variables, or an HTTP body fastify refused. Anything else is classified by the catalogue.
 */
export function classifyGraphqlError(err: GraphQLError): ClassifiedError {
  const original = err.originalError
  if (original instanceof UnauthorizedError) return { status: 401, code: 'Unauthorized', message: original.message, internal: false }
  if (err.path === undefined && isRequestError(original)) {
    const status = statusOf(original) ?? 400
    const code = status === 413 ? 'PayloadTooLarge' : status === 415 ? 'UnsupportedMediaType' : 'ValidationFailed'
    const details = code === 'ValidationFailed' ? { errors: [{ path: 'query', message: err.message }] } : undefined
    return { status: status >= 400 && status < 500 ? status : 400, code, message: err.message, details, internal: false }
  }
  return classifyError(original ?? err)
}

function isRequestError(original: Error | undefined): boolean {
  if (original === undefined || original instanceof GraphQLError) return true
  const code = (original as { code?: unknown }).code
  if (typeof code === 'string' && code.startsWith('MER_ERR_')) return true // mercurius: depth, method, persisted queries
  const status = statusOf(original)
  return status !== undefined && status >= 400 && status < 500
}

/** The client's view of an error: hidden message for 5xx, code and details in extensions. */
export function toClientError(err: GraphQLError, log: Log): { error: GraphQLError; problem: ClassifiedError } {
  const problem = classifyGraphqlError(err)
  if (problem.internal) log.error({ err: err.originalError ?? err, path: err.path }, 'graphql operation failed')
  const error = new GraphQLError(problem.message, {
    nodes: err.nodes, source: err.source, positions: err.positions, path: err.path,
    extensions: { ...(problem.details ?? {}), code: problem.code },
  })
  return { error, problem }
}

/**
 * Mercurius wraps request failures (validation, our limits, a mutation over GET) in one error whose
 * `.errors` are the individual messages: one client error each, with the wrapper's status.
 */
function expand(err: GraphQLError): GraphQLError[] {
  const wrapper = err.originalError as (Error & { code?: unknown; errors?: unknown }) | undefined
  if (typeof wrapper?.code !== 'string' || !wrapper.code.startsWith('MER_ERR_') || !Array.isArray(wrapper.errors)) return [err]
  return wrapper.errors.map((e: Error) => {
    const located = e instanceof GraphQLError ? e : undefined
    return new GraphQLError(e.message, { nodes: located?.nodes, source: located?.source, positions: located?.positions, originalError: wrapper })
  })
}

/**
 * mercurius `errorFormatter`. The status: 200 when there is data (partial results); otherwise the
 * catalogue status shared by all errors (e.g. 400, 403, 409), or 500/400 when they differ.
 */
export function formatErrors(execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>, context: MercuriusContext) {
  const reply = context.reply as MercuriusContext['reply'] | undefined
  const log = reply?.log ?? context.app.log
  const formatted = execution.errors.flatMap(expand).map((e) => toClientError(e, log))
  const statuses = new Set(formatted.map((f) => f.problem.status))
  let statusCode = 200
  if (!execution.data) {
    const [only] = statuses
    statusCode = statuses.size === 1 && only !== undefined ? only : [...statuses].some((s) => s >= 500) ? 500 : 400
  }
  if (formatted.some((f) => f.problem.code === 'ReadModelBehind') && typeof reply?.header === 'function') void reply.header('retry-after', '1')
  return { statusCode, response: { data: execution.data ?? null, errors: formatted.map((f) => f.error) } }
}

/** For errors thrown where mercurius does not format them (subscription setup): same shape. */
export function toSubscriptionError(err: unknown, log: Log): GraphQLError {
  const original = err instanceof Error ? err : new Error(String(err))
  return toClientError(new GraphQLError(original.message, { originalError: original }), log).error
}

/** `value` parsed by `schema`, or a ValidationError listing each path (dotted, under `root`) and message. */
export function parseOrFail<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const errors = parsed.error.issues.map((i) => ({ path: [root, ...i.path.map(String)].join('.'), message: i.message }))
  throw new ValidationError(`invalid ${root}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors)
}
