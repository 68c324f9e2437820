// REST for incidents (Art. 9): POST /api/incidents and one POST per further step; GET one, list, timeline.
import { z } from 'zod'
import type pg from 'pg'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyRequest } from 'fastify'
import { incidentCommandInputs } from '../domain/incident/commands.js'
import { incidentStatuses } from '../domain/incident/decider.js'
import type { FollowUpType, IncidentService } from '../application/incidents.js'
import { ReadModelBehindError, ValidationError } from '../application/errors.js'
import type { Clock, RequestContext } from '../application/context.js'
import { visibleAgencies } from '../projections/agencies.js'
import { getIncident, incidentTimeline, listIncidents, toIncidentDto, toTimelineDto, type IncidentDto } from '../projections/incident-queries.js'
import { NotFoundError } from '../domain/shared/errors.js'
import { principalOf, requireAuth } from './auth.js'
import { correlationIdOf } from './request-ids.js'

export interface ReadWaiter {
  waitFor(projection: string, agencyId: string, position: number, timeoutMs: number): Promise<boolean>
}

export interface IncidentRoutesOptions {
  pool: pg.Pool
  clock: Clock
  incidents: IncidentService
  reads: ReadWaiter
  readWaitMs: number
}

const IdParams = z.object({ id: z.uuid().describe('incident id') })
const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().regex(/^[\x21-\x7e]{1,255}$/, '1–255 visible ASCII characters').optional()
    .describe('Retries with the same key return the first result and append nothing'),
})
const CommandResponse = z.object({
  incidentId: z.string(),
  streamVersion: z.number().int(),
  position: z.number().int().describe("agency log position written; pass it as minPosition to read your write"),
  replayed: z.boolean().describe('true when this is a retry answered from an earlier identical request'),
})
const MinPosition = z.coerce.number().int().min(0).optional()
  .describe('wait (bounded) until the read model has applied your agency log up to this position')

// The read shapes, for OpenAPI and as the response check. Steps and affected information pass unknown keys
// through (looseObject), so a field added to an event later is never dropped from an answer.
const Step = <T extends z.ZodRawShape>(fields: T) => z.looseObject({ by: z.string(), at: z.string(), ...fields }).nullable()
const IncidentBody = z.object({
  id: z.string(),
  agencyId: z.string(),
  status: z.string().describe(incidentStatuses.join('|')),
  title: z.string(),
  description: z.string(),
  severity: z.string().nullable().describe('low|medium|high|critical; null before triage when the reporter gave none'),
  assessment: z.string().nullable().describe('INCIDENT|NOT_INCIDENT once triaged'),
  serious: z.boolean(),
  source: z.string(),
  reportedBy: z.string(),
  detectedAt: z.string(),
  reportedAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  version: z.number().int().describe('stream version of the last event applied'),
  position: z.number().int().describe('agency log position of the last event applied (for minPosition)'),
  affectedSystems: z.array(z.string()),
  affectedInformation: z.array(z.looseObject({ label: z.string(), assetId: z.string().optional(), description: z.string().optional() })),
  triage: Step({ rationale: z.string() }),
  cisoReport: Step({ summary: z.string() }),
  containment: Step({ actions: z.array(z.string()) }),
  notification: Step({ destination: z.string(), summary: z.string(), reference: z.string().optional() }),
  recovery: Step({ actions: z.array(z.string()) }),
  rootCause: Step({ cause: z.string(), preventionMeasures: z.array(z.string()) }),
  lessons: Step({ lessons: z.string(), sharedWith: z.array(z.string()) }),
  closure: Step({ summary: z.string().optional() }),
  actionCount: z.number().int(),
  alertCount: z.number().int().describe('SIEM alerts that fed the incident'),
  openAlertCount: z.number().int().describe('of those, not resolved yet'),
})
const TimelineEntry = z.object({
  eventId: z.string(),
  type: z.string(),
  version: z.number().int(),
  position: z.number().int(),
  actor: z.object({ id: z.string(), roles: z.array(z.string()) }),
  source: z.string(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  recordedAt: z.string(),
  data: z.record(z.string(), z.unknown()),
})
const PageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() })
// The response check keeps only the keys it names: these fail to compile when a DTO gains a key the schema lacks.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false
const incidentKeysMatch: SameKeys<z.infer<typeof IncidentBody>, IncidentDto> = true
const timelineKeysMatch: SameKeys<z.infer<typeof TimelineEntry>, ReturnType<typeof toTimelineDto>> = true
void incidentKeysMatch
void timelineKeysMatch

/** Each follow-up command: its path segment under /api/incidents/:id. */
export const followUps: Record<FollowUpType, string> = {
  TriageIncident: 'triage',
  ReportIncidentToCiso: 'report-to-ciso',
  RecordContainment: 'containment',
  NotifyNationalCentre: 'national-centre-notification',
  RecordRecovery: 'recovery',
  RecordRootCause: 'root-cause',
  ShareLessons: 'lessons',
  CloseIncident: 'close',
  RecordIncidentAction: 'actions',
}

export const incidentRoutes: FastifyPluginAsyncZod<IncidentRoutesOptions> = async (app, opts) => {
  app.addHook('onRequest', requireAuth(opts.pool, opts.clock))
  const ctx = (request: FastifyRequest, key: string | undefined): RequestContext =>
    ({ correlationId: correlationIdOf(request), causationId: request.id, source: 'api', idempotencyKey: key })

  const awaitPosition = async (agencyId: string, position: number | undefined) => {
    if (position === undefined || position === 0) return
    if (!(await opts.reads.waitFor('incidents', agencyId, position, opts.readWaitMs))) throw new ReadModelBehindError(position)
  }

  app.post('/incidents', {
    schema: {
      tags: ['incidents'], summary: 'Report a possible incident (Art. 9 §2); any employee may report',
      headers: IdempotencyHeaders, body: incidentCommandInputs.ReportIncident, response: { 201: CommandResponse },
    },
  }, async (request, reply) => {
    const result = await opts.incidents.report(principalOf(request), request.body, ctx(request, request.headers['idempotency-key']))
    if (result.replayed) void reply.header('idempotent-replayed', 'true')
    void reply.header('location', `/api/incidents/${result.incidentId}`)
    return reply.status(201).send({ incidentId: result.incidentId, streamVersion: result.streamVersion, position: result.position, replayed: result.replayed })
  })

  for (const [type, segment] of Object.entries(followUps) as [FollowUpType, string][]) {
    app.post(`/incidents/:id/${segment}`, {
      // A step whose fields are all optional (close) may be posted without a body.
      preValidation: async (request) => {
        request.body ??= {}
      },
      schema: {
        tags: ['incidents'], summary: type, params: IdParams, headers: IdempotencyHeaders,
        body: incidentCommandInputs[type], response: { 200: CommandResponse },
      },
    }, async (request, reply) => {
      const result = await opts.incidents.execute(principalOf(request), type, request.params.id, request.body as never, ctx(request, request.headers['idempotency-key']))
      if (result.replayed) void reply.header('idempotent-replayed', 'true')
      return { incidentId: result.incidentId, streamVersion: result.streamVersion, position: result.position, replayed: result.replayed }
    })
  }

  /** The incident if the caller may see it (own agency, or a body under their national organ). */
  const visibleIncident = async (request: FastifyRequest, id: string, minPosition: number | undefined) => {
    const principal = principalOf(request)
    await awaitPosition(principal.agencyId, minPosition)
    const view = await getIncident(opts.pool, await visibleAgencies(opts.pool, principal.agencyId), id)
    if (!view) throw new NotFoundError('IncidentNotFound', `no incident ${id} in the agencies you can see`)
    return view
  }
  const oneIncident = { params: IdParams, querystring: z.object({ minPosition: MinPosition }) }

  app.get('/incidents/:id', {
    schema: { tags: ['incidents'], summary: 'One incident of your agency (or of a body under your national organ)', ...oneIncident, response: { 200: IncidentBody } },
  }, async (request) => toIncidentDto(await visibleIncident(request, request.params.id, request.query.minPosition)))

  app.get('/incidents/:id/timeline', {
    schema: {
      tags: ['incidents'], summary: 'Every event of the incident, oldest first, with actor and time (paged)', params: IdParams,
      querystring: z.object({
        minPosition: MinPosition,
        first: z.coerce.number().int().min(1).max(500).default(100),
        after: z.coerce.number().int().min(0).optional().describe('endCursor of the previous page (a stream version)'),
      }),
      response: { 200: z.object({ items: z.array(TimelineEntry), pageInfo: PageInfo }) },
    },
  }, async (request) => {
    const view = await visibleIncident(request, request.params.id, request.query.minPosition)
    const page = await incidentTimeline(opts.pool, view.agency_id, view.incident_id, request.query.first, request.query.after)
    return { items: page.items.map(toTimelineDto), pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null } }
  })

  const csv = <T extends z.ZodType>(item: T) => z.string().transform((s, c) => {
    const values = s.split(',').map((v) => v.trim()).filter(Boolean)
    const parsed = z.array(item).safeParse(values)
    if (!parsed.success) {
      c.addIssue({ code: 'custom', message: `expected a comma-separated list of ${item.description ?? 'values'}` })
      return z.NEVER
    }
    return parsed.data
  })

  app.get('/incidents', {
    schema: {
      tags: ['incidents'], summary: 'Incidents visible to you, newest first (cursor pagination)',
      querystring: z.object({
        status: csv(z.enum(incidentStatuses).describe(incidentStatuses.join('|'))).optional(),
        severity: csv(z.enum(['low', 'medium', 'high', 'critical']).describe('low|medium|high|critical')).optional(),
        agencyId: z.string().optional().describe('only this agency (yours or one under your national organ)'),
        first: z.coerce.number().int().min(1).max(200).default(50),
        after: z.string().max(500).optional(),
        minPosition: MinPosition,
      }),
      response: { 200: z.object({ items: z.array(IncidentBody), pageInfo: PageInfo }) },
    },
  }, async (request) => {
    const principal = principalOf(request)
    const q = request.query
    await awaitPosition(principal.agencyId, q.minPosition)
    let agencies = await visibleAgencies(opts.pool, principal.agencyId)
    if (q.agencyId !== undefined) {
      if (!agencies.includes(q.agencyId)) throw new ValidationError(`agency ${q.agencyId} is not visible to you`, [{ path: 'querystring/agencyId', message: 'not visible to you' }])
      agencies = [q.agencyId]
    }
    const page = await listIncidents(opts.pool, agencies, { status: q.status, severity: q.severity }, q.first, q.after)
    return {
      items: page.items.map(toIncidentDto),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
    }
  })
}
