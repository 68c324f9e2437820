// RFC 9457 problem+json for every REST error, from the one catalogue in application/errors.ts.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { classifyError, errorCatalogue, type ClassifiedError } from '../application/errors.js'

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ClassifiedError) {
  const fix = (errorCatalogue as Record<string, { fix: string }>)[problem.code]?.fix
  if (problem.code === 'ReadModelBehind') void reply.header('retry-after', '1')
  if (problem.code === 'DeliveryInProgress') void reply.header('retry-after', '5')
  return reply.status(problem.status).type('application/problem+json').send({
    // Extension members first, so they can never overwrite the standard ones.
    ...(problem.details ?? {}),
    type: `about:blank#${problem.code}`,
    title: problem.code,
    status: problem.status,
    code: problem.code,
    detail: problem.message,
    instance: request.url,
    requestId: request.id,
    ...(fix ? { fix } : {}),
  })
}

export function installProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => ({ path: `${error.validationContext ?? 'body'}${v.instancePath || ''}`, message: v.message ?? 'invalid' }))
      return sendProblem(request, reply, { status: 400, code: 'ValidationFailed', message: `invalid request: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, details: { errors }, internal: false })
    }
    if (error.validation) {
      const errors = error.validation.map((v) => ({ path: `${error.validationContext ?? 'body'}${v.instancePath || ''}`, message: v.message ?? 'invalid' }))
      return sendProblem(request, reply, { status: 400, code: 'ValidationFailed', message: error.message, details: { errors }, internal: false })
    }
    // Fastify's own client errors (bad JSON, too large, wrong content type) keep their status.
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 && error.code?.startsWith('FST_')) {
      const code = error.statusCode === 413 ? 'PayloadTooLarge' : error.statusCode === 415 ? 'UnsupportedMediaType' : 'ValidationFailed'
      return sendProblem(request, reply, { status: error.statusCode, code, message: error.message, internal: false })
    }
    const problem = classifyError(error)
    if (problem.internal) request.log.error({ err: error }, 'request failed')
    return sendProblem(request, reply, problem)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, { status: 404, code: 'NotFound', message: `no route ${request.method} ${request.url}`, internal: false }))
}
