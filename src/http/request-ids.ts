// Request and correlation ids. Both end up in immutable events, so a client-chosen value is accepted
// only if it is short and plain; otherwise the server makes its own.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyRequest } from 'fastify'

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/

function header(raw: IncomingMessage, name: string): string | undefined {
  const value = raw.headers[name]
  return typeof value === 'string' && SAFE_ID.test(value) ? value : undefined
}

/** Fastify's genReqId: a valid x-request-id from the client, else a new UUID. */
export const requestIdOf = (raw: IncomingMessage): string => header(raw, 'x-request-id') ?? randomUUID()

/** A valid x-correlation-id from the client ties several requests together; else the request id. */
export const correlationIdOf = (request: FastifyRequest): string => header(request.raw, 'x-correlation-id') ?? request.id
