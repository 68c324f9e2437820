// Who is calling and through which door; the clock every command takes its time from.
import type { Role } from '../domain/shared/roles.js'
import type { HeldRole } from '../domain/shared/decider.js'

export interface Principal {
  agencyId: string
  actorId: string
  /** Roles the actor holds today: from role assignments and delegations (limited by the token, if it names roles). */
  roles: Role[]
  /** The same roles with their scopes (which unit, area or system they cover). */
  assignments?: HeldRole[] | undefined
  tokenId: string
  /** The operator's admin CLI: acts without role checks (it bootstraps agencies, employees and the first CISO). */
  system?: true
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
