// The read model of incidents' current state (`incidents`): the handler that builds it from events.
// Its queries are in incident-queries.ts; an incident's timeline is read from its stream in the log.
import type pg from 'pg'
import type { Selectable } from 'kysely'
import type { IncidentsTable } from '../db/types.js'
import { incidentEventTypes, type IncidentEvent } from '../domain/incident/events.js'
import { ident, type ProjectedEvent, type Projection, type TableNames } from './types.js'

/** A row of `incidents` as the handler and queries use it: times as ISO strings, detail typed. */
export type IncidentView = Omit<Selectable<IncidentsTable>, 'detected_at' | 'reported_at' | 'updated_at' | 'closed_at' | 'detail'> & {
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
  /** SIEM alerts that fed the incident, and how many of them are not resolved yet. */
  alertCount?: number
  openAlertCount?: number
}

export const incidentIdOf = (streamId: string) => streamId.slice('incident-'.length)

/** The view after one more event. Pure; unknown order problems cannot occur (events come in version order). */
export function evolveIncidentView(view: IncidentView | undefined, stored: ProjectedEvent): IncidentView | undefined {
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
    case 'IncidentAlertLinked':
      next.detail.alertCount = (next.detail.alertCount ?? 0) + 1
      next.detail.openAlertCount = (next.detail.openAlertCount ?? 0) + 1
      break
    case 'IncidentAlertResolved': next.detail.openAlertCount = Math.max(0, (next.detail.openAlertCount ?? 0) - 1); break
    case 'IncidentAlertReopened': next.detail.openAlertCount = Math.min(next.detail.alertCount ?? 0, (next.detail.openAlertCount ?? 0) + 1); break
  }
  return next
}

type Tables = 'incidents'

export const incidentsProjection: Projection<Tables> = {
  name: 'incidents',
  eventTypes: incidentEventTypes,
  tables: ['incidents'],
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const incidents = ident(tables.incidents)
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
    // 2. Fold in memory, 3. write every changed row with one statement.
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
  },
}

/** pg returns timestamptz as Date; the view keeps ISO strings. */
export function normalizeRow(r: IncidentView): IncidentView {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string))
  return { ...r, detected_at: iso(r.detected_at), reported_at: iso(r.reported_at), updated_at: iso(r.updated_at), closed_at: r.closed_at === null ? null : iso(r.closed_at) }
}
