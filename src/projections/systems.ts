// The information system ledger (台帳, Art. 17–21): one row per system, folded from its stream. Set-based:
// one read of the rows a batch touches, a fold in memory, one upsert. The highest class is derived here
// for filtering; crypto evaluation and internet-service shortfalls are derived by the queries at read time.
import type pg from 'pg'
import { highestClass, systemEventTypes, type Hosting, type SystemEvent } from '../domain/system/index.js'
import { RowBatch } from './row-batch.js'
import { ident, type ProjectedEvent, type Projection, type TableNames } from './types.js'

type Tables = 'information_systems'
type Json = Record<string, unknown>

export interface DocumentVersionView { version: string; title: string; issuedOn: string; recordedBy: string; recordedAt: string }
export interface DocumentView { documentId: string; kind: string; versions: DocumentVersionView[] }

export interface SystemRow {
  agency_id: string; system_id: string; name: string; purpose: string; owner_unit_id: string; security_officer_id: string | null
  information_classes: string[]; highest_class: string | null; highest_confidentiality: number; hosting: Hosting | null; contractor_ids: string[]
  internet_facing: boolean; criticality: string; stage: string; stage_changed_at: string; stage_history: Json[]; documents: DocumentView[]
  approvals: Json[]; erasure: Json | null; review_due_on: string | null; last_review: Json | null; review_count: number
  crypto_policy: Json | null; continuity_plan: Json | null; continuity_plan_versions: number; exercises: Json[]; exercise_count: number
  internet_services: Json[]; registered_at: string; registered_by: string; retired_at: string | null
  version: number; last_position: number; updated_at: string
}

/** Exercises kept on the row (the newest); exercise_count says how many there were. */
const MAX_EXERCISES = 20

const classes = (labels: string[]) => {
  const highest = highestClass(labels)
  return { information_classes: labels, highest_class: highest?.label ?? null, highest_confidentiality: highest?.confidentiality ?? 0 }
}

function withVersion(documents: DocumentView[], d: { documentId: string; kind: string; title: string; version: string; issuedOn: string }, by: string, at: string): DocumentView[] {
  const v = { version: d.version, title: d.title, issuedOn: d.issuedOn, recordedBy: by, recordedAt: at }
  const found = documents.some((x) => x.documentId === d.documentId)
  return found
    ? documents.map((x) => (x.documentId === d.documentId ? { ...x, versions: [...x.versions, v] } : x))
    : [...documents, { documentId: d.documentId, kind: d.kind, versions: [v] }]
}

function registeredRow(e: ProjectedEvent, event: Extract<SystemEvent, { type: 'SystemRegistered' }>): SystemRow {
  const d = event.data
  return {
    agency_id: e.agencyId, system_id: d.systemId, name: d.name, purpose: d.purpose, owner_unit_id: d.ownerUnitId, security_officer_id: d.securityOfficerId ?? null,
    ...classes(d.informationClasses), hosting: d.hosting ?? null, contractor_ids: d.contractorIds, internet_facing: d.internetFacing, criticality: d.criticality,
    stage: d.stage, stage_changed_at: d.at, stage_history: [{ from: null, to: d.stage, by: d.by, at: d.at, note: null }],
    documents: d.documents.reduce<DocumentView[]>((acc, doc) => withVersion(acc, doc, d.by, d.at), []),
    approvals: [], erasure: null, review_due_on: d.reviewDueOn ?? null, last_review: null, review_count: 0, crypto_policy: null,
    continuity_plan: null, continuity_plan_versions: 0, exercises: [], exercise_count: 0, internet_services: [], registered_at: d.at, registered_by: d.by,
    retired_at: null, version: e.streamVersion, last_position: e.position, updated_at: e.recordedAt,
  }
}

const columnOf: Record<string, (v: unknown) => Partial<SystemRow>> = {
  name: (v) => ({ name: v as string }), purpose: (v) => ({ purpose: v as string }), ownerUnitId: (v) => ({ owner_unit_id: v as string }),
  securityOfficerId: (v) => ({ security_officer_id: v as string }), informationClasses: (v) => classes(v as string[]), hosting: (v) => ({ hosting: v as Hosting }),
  contractorIds: (v) => ({ contractor_ids: v as string[] }), internetFacing: (v) => ({ internet_facing: v as boolean }), criticality: (v) => ({ criticality: v as string }),
  reviewDueOn: (v) => ({ review_due_on: v as string }),
}

/** The columns an event (after registration) changes. */
function changes(row: SystemRow, event: Exclude<SystemEvent, { type: 'SystemRegistered' }>): Partial<SystemRow> {
  switch (event.type) {
    case 'SystemLedgerUpdated': return Object.assign({}, ...event.data.changed.map((f) => columnOf[f]?.(event.data.values[f as keyof typeof event.data.values]) ?? {}))
    case 'SystemDocumentRecorded': return { documents: withVersion(row.documents, event.data, event.data.by, event.data.at) }
    case 'SystemStageChanged': {
      const { from, to, note, by, at } = event.data
      return { stage: to, stage_changed_at: at, stage_history: [...row.stage_history, { from, to, by, at, note: note ?? null }], retired_at: to === 'RETIRED' ? at : row.retired_at }
    }
    case 'SecurityRequirementsApproved': {
      const { documentId, documentVersion, recordedBy, note, by, at } = event.data
      return { approvals: [...row.approvals, { documentId, documentVersion, recordedBy, note: note ?? null, by, at }] }
    }
    case 'SystemDataErasureConfirmed': {
      const { method, confirmedOn, evidenceRef, by, at } = event.data
      return { erasure: { method, confirmedOn, evidenceRef: evidenceRef ?? null, by, at } }
    }
    case 'SystemReviewed': {
      const { stage, findings, nextReviewDueOn, by, at } = event.data
      return { last_review: { stage, findings, nextReviewDueOn: nextReviewDueOn ?? null, by, at }, review_due_on: nextReviewDueOn ?? null, review_count: row.review_count + 1 }
    }
    case 'CryptoPolicySet': {
      const { edition, algorithms, by, at } = event.data
      return { crypto_policy: { edition, algorithms, by, at } }
    }
    case 'ContinuityPlanRecorded': {
      const { version, recoveryTimeObjective, measures, by, at } = event.data
      return { continuity_plan: { version, recoveryTimeObjective: recoveryTimeObjective ?? null, measures, by, at }, continuity_plan_versions: row.continuity_plan_versions + 1 }
    }
    case 'ContinuityExerciseHeld': {
      const { heldOn, scenario, securityMeasuresHeld, findings, planVersion, by, at } = event.data
      const exercise = { heldOn, scenario, securityMeasuresHeld, findings, planVersion: planVersion ?? null, by, at }
      return { exercises: [exercise, ...row.exercises].slice(0, MAX_EXERCISES), exercise_count: row.exercise_count + 1 }
    }
    case 'InternetServiceMeasuresRecorded': {
      const { serviceName, domain, measures, by, at } = event.data
      const service = { serviceName, domain, measures, by, at }
      return { internet_services: [...row.internet_services.filter((s) => s.serviceName !== serviceName), service] }
    }
  }
}

const keyOf = (agencyId: string, systemId: string) => `${agencyId}\u0000${systemId}`

/** Rows as the fold keeps them: instants as ISO strings, as the events carry them. */
function plain(r: Json): SystemRow {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])) as unknown as SystemRow
}

export const systemsProjection: Projection<Tables> = {
  name: 'systems',
  eventTypes: systemEventTypes,
  tables: ['information_systems'],
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const table = ident(tables.information_systems)
    const existing = await client.query<Json>(
      `SELECT t.* FROM ${table} t JOIN unnest($1::text[], $2::text[]) k(a, i) ON t.agency_id = k.a AND t.system_id = k.i`,
      [events.map((e) => e.agencyId), events.map((e) => String(e.data.systemId))])
    const rows = new Map(existing.rows.map((r) => [keyOf(String(r.agency_id), String(r.system_id)), plain(r)]))
    for (const e of events) {
      const event = { type: e.type, data: e.data } as SystemEvent
      const key = keyOf(e.agencyId, event.data.systemId)
      const row = rows.get(key)
      if (event.type === 'SystemRegistered') rows.set(key, registeredRow(e, event))
      else if (row) rows.set(key, { ...row, ...changes(row, event), version: e.streamVersion, last_position: e.position, updated_at: e.recordedAt })
    }
    const batch = new RowBatch(tables.information_systems, ['agency_id', 'system_id'])
    for (const key of new Set(events.map((e) => keyOf(e.agencyId, String(e.data.systemId))))) {
      const row = rows.get(key)
      if (row) batch.upsert({ ...row })
    }
    await batch.write(client)
  },
}
