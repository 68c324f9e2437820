// Running any command the same way: authorize against the one rules table, stamp the metadata (actor,
// time from the injected clock, correlation), decide and append with idempotency.
import { createHash, randomUUID } from 'node:crypto'
import type pg from 'pg'
import type { z } from 'zod'
import { authorize, type AuthorizedCommand, type Target } from '../domain/shared/authorization.js'
import type { Command, CommandMetadata, Decider, DomainEvent } from '../domain/shared/decider.js'
import { handleCommand, type CommandResult } from '../eventstore/handle-command.js'
import type { EventStore } from '../eventstore/types.js'
import type { Clock, Principal, RequestContext } from './context.js'

/** What use cases need: the log, the clock, and the read models (for lookups and queries). */
export interface Services {
  store: EventStore
  clock: Clock
  pool: pg.Pool
}

export interface Dispatch<C extends Command, E extends DomainEvent, S> {
  decider: Decider<C, E, S>
  streamId: string
  /** The command, without metadata (added here). */
  command: { type: C['type'] & AuthorizedCommand; data: C['data'] }
  /** What makes a retry "the same request" for Idempotency-Key: the caller's input, never generated ids. */
  fingerprint: unknown
  /** The unit, area or system acted on, for roles that hold only a scope (see authorize). */
  target?: Target | undefined
  /** See HandleOptions.checkKeyFirst (reactions skip the lookup; the append still honours the key). */
  checkKeyFirst?: boolean
  /** See HandleOptions.fold. */
  fold?: 'all' | 'last'
}

/**
 * An id for a record a command creates. With an Idempotency-Key it is derived from the agency, the actor,
 * the key and `purpose`, so a retry creates the same ids (the same stream, the same answer) and is recognised as
 * a replay; without a key it is random. `purpose` tells apart several ids of one command ("assignment-2").
 */
export function newRecordId(principal: Pick<Principal, 'agencyId' | 'actorId'>, ctx: Pick<RequestContext, 'idempotencyKey'>, purpose: string): string {
  if (ctx.idempotencyKey === undefined) return randomUUID()
  const h = createHash('sha256').update(JSON.stringify([principal.agencyId, principal.actorId, ctx.idempotencyKey, purpose])).digest()
  // Shaped as an RFC 9562 version 8 (custom) UUID.
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x80
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80
  const hex = h.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function metadataFor(principal: Principal, ctx: RequestContext, clock: Clock): CommandMetadata {
  return {
    actor: { id: principal.actorId, roles: principal.roles, assignments: principal.assignments },
    agencyId: principal.agencyId,
    now: clock.now().toISOString(),
    correlationId: ctx.correlationId,
    causationId: ctx.causationId,
    source: ctx.source,
  }
}

/** Authorize (unless the principal is the operator's CLI), decide and append. */
export async function runCommand<C extends Command, E extends DomainEvent, S>(
  services: Pick<Services, 'store' | 'clock'>, principal: Principal, ctx: RequestContext, dispatch: Dispatch<C, E, S>,
): Promise<CommandResult> {
  if (!principal.system) authorize(dispatch.command.type, { id: principal.actorId, roles: principal.roles, assignments: principal.assignments }, dispatch.target)
  const command = { ...dispatch.command, metadata: metadataFor(principal, ctx, services.clock) } as C
  return handleCommand(services.store, dispatch.decider, dispatch.streamId, command, {
    idempotencyKey: ctx.idempotencyKey,
    fingerprint: { type: dispatch.command.type, streamId: dispatch.streamId, actor: principal.actorId, input: dispatch.fingerprint },
    ...(dispatch.checkKeyFirst === false ? { checkKeyFirst: false } : {}),
    ...(dispatch.fold ? { fold: dispatch.fold } : {}),
  })
}

/** What every command endpoint answers: the record's id and where in the agency log it was written. */
export interface CommandOutcome extends CommandResult {
  /** The id of the record the command created or changed. */
  id: string
}

/**
 * One command as the adapters see it: REST `POST /api<path>` (`:name` segments are `params`), and the
 * GraphQL mutation `mutation(<params>, input, idempotencyKey)`. Both validate with the same zod schemas.
 *
 * @example
 * defineCommand({ type: 'CreateUnit', tag: 'organisation', summary: 'Create a unit', path: '/organisation/units',
 *   mutation: 'createUnit', params: z.object({}), input: CreateUnitInput, creates: true,
 *   run: (s, p, _params, input, ctx) => createUnit(s, p, input, ctx) })
 */
export interface CommandSpec<P extends z.ZodObject = z.ZodObject, I extends z.ZodType = z.ZodType> {
  type: AuthorizedCommand
  tag: string
  summary: string
  path: string
  mutation: string
  params: P
  input: I
  /** Answer 201 (a new record) instead of 200. */
  creates?: boolean
  run(services: Services, principal: Principal, params: z.output<P>, input: z.output<I>, ctx: RequestContext): Promise<CommandOutcome>
}

export const defineCommand = <P extends z.ZodObject, I extends z.ZodType>(spec: CommandSpec<P, I>): CommandSpec => spec as unknown as CommandSpec
