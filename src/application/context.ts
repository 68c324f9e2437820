// Who is calling and through which door; the clock every command takes its time from.
import type { Role } from '../domain/shared/roles.js'

export interface Principal {
  agencyId: string
  actorId: string
  roles: Role[]
  tokenId: string
}

export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export interface RequestContext {
  /** The conversation this command belongs to (a client's x-correlation-id, else the request id). */
  correlationId: string
  /** What caused this command: the HTTP request (or alert, or event) it came from. */
  causationId?: string | undefined
  /** api, graphql, webhook, scheduler, cli */
  source: string
  idempotencyKey?: string | undefined
}
