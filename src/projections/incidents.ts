// Read models of incidents: current state (`incidents`) and timeline (`incident_timeline`), with the
// handler that builds them from events and the queries that read them.
import type pg from 'pg'
import { z } from 'zod'
import { incidentEventTypes, type IncidentEvent } from '../domain/incident/events.js'
import type { StoredEvent } from '../eventstore/types.js'
import { ident, type Projection, type TableNames } from './types.js'

export interface IncidentView {
  agency_id: string
  incident_id: string
  opened_position: number
  last_position: number
  version: number
  status: string
  title: string
  severity: string | null
  assessment: string | null
  serious: boolean
  source: string
  reported_by: string
  detected_at: string
  reported_at: string
  updated_at: string
  closed_at: string | null
  detail: IncidentDetail
}

export interface IncidentDetail {
  description?: string
  affectedSystems?: string[]
  affectedInformation?: { label: string; assetId?: string | undefined; description?: string | undefined }[]
  initialSeverity?: string | null
  triage?: { by: string; at: string; rationale: string }
  cisoReport?: { by: string; at: string; summary: string }
  containment?: { by: string; at: string; actions: string[] }
  notification?: { by: string; at: string; destination: string; summary: string; reference?: string | undefined }
  recovery?: { by: string; at: string; actions: string[] }
  rootCause?: { by: string; at: string; cause: string; preventionMeasures: string[] }
  lessons?: { by: string; at: string; lessons: string; sharedWith: string[] }
  closure?: { by: string; at: string; summary?: string | undefined }
  actionCount?: number
}

export const incidentIdOf = (streamId: string) => streamId.slice('incident-'.length)

/** The view after one more event. Pure; unknown order problems cannot occur (events come in version order). */
export function evolveIncidentView(view: IncidentView | undefined, stored: StoredEvent): IncidentView | undefined {
  const event = { type: stored.type, data: stored.data } as IncidentEvent
  if (event.type === 'IncidentReported') {
    const d = event.data
    return {
      agency_id: stored.agencyId, incident_id: d.incidentId, opened_position: stored.position, last_position: stored.position,
      version: stored.streamVersion, status: 'REPORTED', title: d.title, severity: d.initialSeverity ?? null, assessment: null,
      serious: false, source: d.source, reported_by: d.reportedBy, detected_at: d.detectedAt, reported_at: d.reportedAt,
      updated_at: stored.recordedAt, closed_at: null,
      detail: { description: d.description, affectedSystems: d.affectedSystems, affectedInformation: d.affectedInformation, initialSeverity: d.initialSeverity ?? null, actionCount: 0 },
    }
  }
  if (!view) return undefined // an event of a stream whose start this model never saw: nothing to attach it to
  const next: IncidentView = { ...view, detail: { ...view.detail }, last_position: stored.position, version: stored.streamVersion, updated_at: stored.recordedAt }
  switch (event.type) {
    case 'IncidentTriaged': {
      const { by, at, rationale, assessment, severity, serious } = event.data
      next.assessment = assessment
      next.severity = severity ?? next.severity
      next.serious = serious
      next.status = assessment === 'INCIDENT' ? 'TRIAGED' : 'DISMISSED'
      if (assessment === 'NOT_INCIDENT') next.closed_at = at
      next.detail.triage = { by, at, rationale }
      break
    }
    case 'IncidentReportedToCiso': next.status = 'ESCALATED'; next.detail.cisoReport = event.data; break
    case 'IncidentContained': next.status = 'CONTAINED'; next.detail.containment = event.data; break
    case 'NationalCentreNotified': next.detail.notification = event.data; break
    case 'IncidentRecovered': next.status = 'RECOVERED'; next.detail.recovery = event.data; break
    case 'IncidentRootCauseRecorded': next.status = 'ANALYZED'; next.detail.rootCause = event.data; break
    case 'IncidentLessonsShared': next.status = 'LESSONS_SHARED'; next.detail.lessons = event.data; break
    case 'IncidentClosed': next.status = 'CLOSED'; next.closed_at = event.data.at; next.detail.closure = event.data; break
    case 'IncidentActionRecorded': next.detail.actionCount = (next.detail.actionCount ?? 0) + 1; break
  }
  return next
}

type Tables = 'incidents' | 'incident_timeline'

export const incidentsProjection: Projection<Tables> = {
  name: 'incidents',
  eventTypes: incidentEventTypes,
  tables: ['incidents', 'incident_timeline'],
  async apply(client: pg.ClientBase, events: readonly StoredEvent[], tables: TableNames<Tables>) {
    const incidents = ident(tables.incidents)
    const timeline = ident(tables.incident_timeline)
    // 1. Load the current rows of the incidents this batch touches (one query).
    const keys = new Map<string, { agency: string; id: string }>()
    for (const e of events) keys.set(`${e.agencyId}\u0000${e.streamId}`, { agency: e.agencyId, id: incidentIdOf(e.streamId) })
    const { rows } = await client.query<IncidentView>(
      `SELECT t.* FROM ${incidents} t JOIN unnest($1::text[], $2::text[]) AS k(agency_id, incident_id)
       ON t.agency_id = k.agency_id AND t.incident_id = k.incident_id`,
      [[...keys.values()].map((k) => k.agency), [...keys.values()].map((k) => k.id)],
    )
    const views = new Map<string, IncidentView | undefined>()
    for (const r of rows) views.set(`${r.agency_id}\u0000incident-${r.incident_id}`, normalizeRow(r))
    // 2. Fold in memory, 3. write every changed row and every timeline entry with one statement each.
    for (const e of events) {
      const key = `${e.agencyId}\u0000${e.streamId}`
      views.set(key, evolveIncidentView(views.get(key), e))
    }
    const changed = [...views.values()].filter((v): v is IncidentView => v !== undefined)
    if (changed.length > 0) {
      await client.query(
        `INSERT INTO ${incidents} SELECT * FROM jsonb_populate_recordset(null::${incidents}, $1::jsonb)
         ON CONFLICT (agency_id, incident_id) DO UPDATE SET
           last_position = excluded.last_position, version = excluded.version, status = excluded.status,
           title = excluded.title, severity = excluded.severity, assessment = excluded.assessment, serious = excluded.serious,
           updated_at = excluded.updated_at, closed_at = excluded.closed_at, detail = excluded.detail`,
        [JSON.stringify(changed)],
      )
    }
    const entries = events.map((e) => ({
      agency_id: e.agencyId, incident_id: incidentIdOf(e.streamId), stream_version: e.streamVersion, agency_position: e.position,
      event_id: e.eventId, event_type: e.type, actor_id: e.metadata.actor.id, actor_roles: e.metadata.actor.roles,
      source: e.metadata.source, correlation_id: e.metadata.correlationId, causation_id: e.metadata.causationId ?? null, recorded_at: e.recordedAt, data: e.data,
    }))
    await client.query(`INSERT INTO ${timeline} SELECT * FROM jsonb_populate_recordset(null::${timeline}, $1::jsonb)`, [JSON.stringify(entries)])
  },
}

function normalizeRow(r: IncidentView): IncidentView {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string))
  return { ...r, detected_at: iso(r.detected_at), reported_at: iso(r.reported_at), updated_at: iso(r.updated_at), closed_at: r.closed_at === null ? null : iso(r.closed_at) }
}

export interface IncidentFilter {
  status?: string[] | undefined
  severity?: string[] | undefined
  serious?: boolean | undefined
  source?: string | undefined
  reportedFrom?: string | undefined
  reportedTo?: string | undefined
}

export interface Page<T> {
  items: T[]
  hasNextPage: boolean
  /** Opaque cursor of each item, for Relay edges. */
  cursors: string[]
}

const Cursor = z.object({ r: z.iso.datetime({ offset: true }), a: z.string().max(100), i: z.string().max(100) })
type Cursor = z.infer<typeof Cursor>
const encodeCursor = (v: IncidentView) => Buffer.from(JSON.stringify({ r: v.reported_at, a: v.agency_id, i: v.incident_id } satisfies Cursor)).toString('base64url')

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError'
  readonly code = 'InvalidCursor'
}

function decodeCursor(cursor: string): Cursor {
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.success) return parsed.data
  } catch { /* not JSON: fall through */ }
  throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
}

export async function getIncident(pool: pg.Pool, agencyIds: readonly string[], incidentId: string): Promise<IncidentView | undefined> {
  const { rows } = await pool.query<IncidentView>('SELECT * FROM incidents WHERE agency_id = ANY($1::text[]) AND incident_id = $2', [agencyIds, incidentId])
  return rows[0] && normalizeRow(rows[0])
}

/** Newest first; keyset pagination on (reported_at desc, agency_id, incident_id). */
export async function listIncidents(pool: pg.Pool, agencyIds: readonly string[], filter: IncidentFilter, first: number, after?: string): Promise<Page<IncidentView>> {
  const where: string[] = ['agency_id = ANY($1::text[])']
  const params: unknown[] = [agencyIds]
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value)
    where.push(clause(`$${params.length}`))
  }
  if (filter.status?.length) add((p) => `status = ANY(${p}::text[])`, filter.status)
  if (filter.severity?.length) add((p) => `severity = ANY(${p}::text[])`, filter.severity)
  if (filter.serious !== undefined) add((p) => `serious = ${p}`, filter.serious)
  if (filter.source) add((p) => `source = ${p}`, filter.source)
  if (filter.reportedFrom) add((p) => `reported_at >= ${p}`, filter.reportedFrom)
  if (filter.reportedTo) add((p) => `reported_at < ${p}`, filter.reportedTo)
  if (after) {
    const c = decodeCursor(after)
    params.push(c.r, c.a, c.i)
    const n = params.length
    where.push(`(reported_at < $${n - 2} OR (reported_at = $${n - 2} AND (agency_id, incident_id) > ($${n - 1}, $${n})))`)
  }
  params.push(first + 1)
  const { rows } = await pool.query<IncidentView>(
    `SELECT * FROM incidents WHERE ${where.join(' AND ')} ORDER BY reported_at DESC, agency_id, incident_id LIMIT $${params.length}`, params)
  const items = rows.slice(0, first).map(normalizeRow)
  return { items, hasNextPage: rows.length > first, cursors: items.map(encodeCursor) }
}

export interface TimelineEntry {
  agency_id: string
  incident_id: string
  stream_version: number
  agency_position: number
  event_id: string
  event_type: string
  actor_id: string
  actor_roles: string[]
  source: string
  correlation_id: string
  causation_id: string | null
  recorded_at: string
  data: Record<string, unknown>
}

export async function incidentTimeline(pool: pg.Pool, agencyId: string, incidentId: string): Promise<TimelineEntry[]> {
  const { rows } = await pool.query<Omit<TimelineEntry, 'recorded_at'> & { recorded_at: Date }>(
    'SELECT * FROM incident_timeline WHERE agency_id = $1 AND incident_id = $2 ORDER BY stream_version', [agencyId, incidentId])
  return rows.map((r) => ({ ...r, recorded_at: r.recorded_at.toISOString() }))
}

/** The public shape of an incident (REST and GraphQL). */
export function toIncidentDto(v: IncidentView) {
  return {
    id: v.incident_id,
    agencyId: v.agency_id,
    status: v.status,
    title: v.title,
    description: v.detail.description ?? '',
    severity: v.severity,
    assessment: v.assessment,
    serious: v.serious,
    source: v.source,
    reportedBy: v.reported_by,
    detectedAt: v.detected_at,
    reportedAt: v.reported_at,
    updatedAt: v.updated_at,
    closedAt: v.closed_at,
    version: v.version,
    position: v.last_position,
    affectedSystems: v.detail.affectedSystems ?? [],
    affectedInformation: v.detail.affectedInformation ?? [],
    triage: v.detail.triage ?? null,
    cisoReport: v.detail.cisoReport ?? null,
    containment: v.detail.containment ?? null,
    notification: v.detail.notification ?? null,
    recovery: v.detail.recovery ?? null,
    rootCause: v.detail.rootCause ?? null,
    lessons: v.detail.lessons ?? null,
    closure: v.detail.closure ?? null,
    actionCount: v.detail.actionCount ?? 0,
  }
}
export type IncidentDto = ReturnType<typeof toIncidentDto>

export function toTimelineDto(e: TimelineEntry) {
  return {
    eventId: e.event_id,
    type: e.event_type,
    version: e.stream_version,
    position: e.agency_position,
    actor: { id: e.actor_id, roles: e.actor_roles },
    source: e.source,
    correlationId: e.correlation_id,
    causationId: e.causation_id,
    recordedAt: e.recorded_at,
    data: e.data,
  }
}

/** Highest `last_position` of any incident per agency (0 for none): where a change feed starts. */
export async function incidentHighWater(pool: pg.Pool, agencyIds: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ agency_id: string; seen: number }>(
    `SELECT a.agency_id, coalesce(max(i.last_position), 0)::int8 AS seen
     FROM unnest($1::text[]) AS a(agency_id) LEFT JOIN incidents i ON i.agency_id = a.agency_id
     GROUP BY a.agency_id`, [agencyIds])
  return new Map(rows.map((r) => [r.agency_id, r.seen]))
}

/** Incidents whose row moved past `seen[agency]`, in agency then position order. */
export async function incidentsChangedSince(pool: pg.Pool, seen: ReadonlyMap<string, number>): Promise<IncidentView[]> {
  const { rows } = await pool.query<IncidentView>(
    `SELECT i.* FROM unnest($1::text[], $2::int8[]) AS s(agency_id, seen)
     JOIN incidents i ON i.agency_id = s.agency_id AND i.last_position > s.seen
     ORDER BY i.agency_id, i.last_position`,
    [[...seen.keys()], [...seen.values()]])
  return rows.map(normalizeRow)
}
