// What every resolver receives: mercurius' context plus the caller, set by the HTTP hook or by the
// WebSocket connection_init.
import type { MercuriusContext } from 'mercurius'
import type { Principal, RequestContext } from '../application/context.js'
import { UnauthorizedError } from './errors.js'

export interface GraphqlContext extends MercuriusContext {
  principal?: Principal | null | undefined
  /** On a WebSocket: the token from connection_init, checked again at each subscribe (it may be revoked). */
  connectionToken?: string | undefined
  /** The client's x-correlation-id or the HTTP request id (absent on a WebSocket). */
  correlationId?: string | undefined
  /** The HTTP request id: what caused a mutation's command. */
  causationId?: string | undefined
}

export function principalOf(ctx: GraphqlContext): Principal {
  if (!ctx.principal) throw new UnauthorizedError('send Authorization: Bearer <token>')
  return ctx.principal
}

export function commandContext(ctx: GraphqlContext, idempotencyKey: string | undefined): RequestContext {
  return { correlationId: ctx.correlationId ?? ctx.reply.request.id, causationId: ctx.causationId ?? ctx.reply.request.id, source: 'graphql', idempotencyKey }
}
