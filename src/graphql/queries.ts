// Query resolvers and Incident fields: the same read models and visibility rule as REST
// (src/http/incidents.ts), shaped as a Relay connection.
import { z } from 'zod'
import type pg from 'pg'
import { ReadModelBehindError, ValidationError } from '../application/errors.js'
import type { Principal } from '../application/context.js'
import type { ReadWaiter } from '../http/incidents.js'
import { visibleAgencies } from '../projections/agencies.js'
import { getIncident, incidentTimeline, listIncidents, toIncidentDto, toTimelineDto, type IncidentDto } from '../projections/incident-queries.js'
import { principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import { severityFromGraphql, severityToGraphql } from './scalars.js'

export interface QueryDeps {
  pool: pg.Pool
  reads: ReadWaiter
  readWaitMs: number
}

const MinPosition = z.number().int().min(0).nullish()
const OneArgs = z.object({ id: z.string(), minPosition: MinPosition })
const ListArgs = z.object({
  first: z.number().int().min(1).max(200).nullish().transform((v) => v ?? 50),
  after: z.string().max(500).nullish().transform((v) => v ?? undefined),
  minPosition: MinPosition,
  filter: z.object({
    status: z.array(z.string()).nullish(),
    severity: z.array(z.string()).nullish(),
    agencyId: z.string().nullish(),
  }).nullish(),
})

/** The agencies the caller may read, narrowed to `agencyId` when given (which must be one of them). */
export async function scopeAgencies(pool: pg.Pool, principal: Principal, agencyId: string | null | undefined, path: string): Promise<string[]> {
  const visible = await visibleAgencies(pool, principal.agencyId)
  if (agencyId == null) return visible
  if (!visible.includes(agencyId)) throw new ValidationError(`agency ${agencyId} is not visible to you`, [{ path, message: 'not visible to you' }])
  return [agencyId]
}

export function queryResolvers(deps: QueryDeps) {
  const { pool } = deps
  const awaitPosition = async (principal: Principal, position: number | null | undefined) => {
    if (position == null || position === 0) return
    if (!(await deps.reads.waitFor('incidents', principal.agencyId, position, deps.readWaitMs))) throw new ReadModelBehindError(position)
  }

  return {
    Query: {
      me: (_root: unknown, _args: unknown, ctx: GraphqlContext) => {
        const { agencyId, actorId, roles } = principalOf(ctx)
        return { agencyId, actorId, roles }
      },

      incident: async (_root: unknown, args: unknown, ctx: GraphqlContext) => {
        const principal = principalOf(ctx)
        const { id, minPosition } = parseOrFail(OneArgs, args, 'arguments')
        await awaitPosition(principal, minPosition)
        const view = await getIncident(pool, await visibleAgencies(pool, principal.agencyId), id)
        return view ? toIncidentDto(view) : null
      },

      incidents: async (_root: unknown, args: unknown, ctx: GraphqlContext) => {
        const principal = principalOf(ctx)
        const { first, after, minPosition, filter } = parseOrFail(ListArgs, args, 'arguments')
        await awaitPosition(principal, minPosition)
        const agencies = await scopeAgencies(pool, principal, filter?.agencyId, 'arguments.filter.agencyId')
        const page = await listIncidents(pool, agencies, {
          status: filter?.status ?? undefined,
          severity: filter?.severity?.map(severityFromGraphql),
        }, first, after)
        return {
          edges: page.items.map((view, i) => ({ cursor: page.cursors[i], node: toIncidentDto(view) })),
          pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
        }
      },
    },

    Incident: {
      severity: (incident: IncidentDto) => severityToGraphql(incident.severity),
      // One query per incident; the cost limit bounds how many a request can ask for.
      timeline: async (incident: IncidentDto, args: { first?: number | null; afterVersion?: number | null }) => {
        const first = args.first ?? 50
        if (first < 1 || first > 500) throw new ValidationError('timeline(first) must be between 1 and 500', [{ path: 'arguments.first', message: 'between 1 and 500' }])
        return (await incidentTimeline(pool, incident.agencyId, incident.id, first, args.afterVersion ?? 0)).items.map(toTimelineDto)
      },
    },
  }
}
