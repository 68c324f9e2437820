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
  correlationId: string
  /** api, graphql, webhook, scheduler, cli */
  source: string
  idempotencyKey?: string | undefined
}
