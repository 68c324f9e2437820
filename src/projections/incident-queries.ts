// Queries of the incidents read model (REST, GraphQL, the subscription feed) and its public shape.
import type pg from 'pg'
import { z } from 'zod'
import { incidentStreamId } from '../domain/incident/decider.js'
import { EVENT_COLUMNS, toStoredEvent } from '../eventstore/postgres-store.js'
import type { StoredEvent } from '../eventstore/types.js'
import { normalizeRow, type IncidentView } from './incidents.js'

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

/**
 * A page of an incident's timeline: its stream in the event log, oldest first, after a stream version
 * (always current, never a copy). Asks for one more than `first` so the caller knows if more follow.
 */
export async function incidentTimeline(pool: pg.Pool, agencyId: string, incidentId: string, first: number, afterVersion = 0): Promise<Page<StoredEvent>> {
  const { rows } = await pool.query(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE agency_id = $1 AND stream_id = $2 AND stream_version > $3 ORDER BY stream_version LIMIT $4`,
    [agencyId, incidentStreamId(incidentId), afterVersion, first + 1])
  const items = rows.slice(0, first).map(toStoredEvent)
  return { items, hasNextPage: rows.length > first, cursors: items.map((e) => String(e.streamVersion)) }
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
    alertCount: v.detail.alertCount ?? 0,
    openAlertCount: v.detail.openAlertCount ?? 0,
  }
}
export type IncidentDto = ReturnType<typeof toIncidentDto>

export function toTimelineDto(e: StoredEvent) {
  return {
    eventId: e.eventId,
    type: e.type,
    version: e.streamVersion,
    position: e.position,
    actor: { id: e.metadata.actor.id, roles: e.metadata.actor.roles },
    source: e.metadata.source,
    correlationId: e.metadata.correlationId,
    causationId: e.metadata.causationId ?? null,
    recordedAt: e.recordedAt,
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
