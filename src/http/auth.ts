// Bearer authentication for REST routes: resolves the token to a principal or answers 401.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type pg from 'pg'
import { authenticate } from '../application/tokens.js'
import type { Clock, Principal } from '../application/context.js'
import { sendProblem } from './problem.js'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}

export function requireAuth(pool: pg.Pool, clock: Clock) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request.headers.authorization)
    const principal = token ? await authenticate(pool, token, clock) : undefined
    if (!principal) {
      void reply.header('www-authenticate', 'Bearer')
      return sendProblem(request, reply, {
        status: 401, code: 'Unauthorized', internal: false,
        message: token ? 'the bearer token is unknown or revoked, or its holder is not an employee of the agency today' : 'send Authorization: Bearer <token>',
      })
    }
    request.principal = principal
  }
}

/** The principal set by requireAuth; routes behind it always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route is missing requireAuth')
  return request.principal
}
