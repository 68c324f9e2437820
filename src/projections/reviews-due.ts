// What is due for review (Art. 3 §2, 4 §6, 6 §3): the policy and the promotion plan become due when
// the risk picture changes (a risk assessed or reassessed, an incident confirmed) after their last
// review, and stop being due when reviewed (or, for the policy, when a new version is adopted). The
// promotion plan alone also becomes due when a continuity exercise (Art. 19) had findings or the
// security measures did not hold. Each row keeps the reasons, so a user sees why.
import type pg from 'pg'
import { changesRiskPicture, exerciseCallsForPlanReview } from '../domain/compliance/evidence.js'
import { RowBatch } from './row-batch.js'
import { ident, type ProjectedEvent, type Projection, type TableNames } from './types.js'

type Tables = 'reviews_due'
export const reviewSubjects = ['POLICY', 'PLAN'] as const
export type ReviewSubject = (typeof reviewSubjects)[number]

export interface ReviewReason { eventType: string; streamId: string; position: number; at: string }

export interface ReviewDueRow {
  agency_id: string
  subject: ReviewSubject
  due: boolean
  due_since: string | null
  reasons: ReviewReason[]
  reason_count: number
  last_reviewed_at: string | null
  last_reviewed_position: number | null
  last_reviewed_by: string | null
  last_review_event: string | null
}

/** Reasons kept per row (the newest); reason_count says how many there were. */
const MAX_REASONS = 50

/** Event types by what they do; PlanReviewed belongs to the promotion-plan capability (matched by name). */
const triggers = ['RiskAssessed', 'RiskReassessed', 'IncidentTriaged'] as const
/** Make only the promotion plan due: what an exercise found feeds the plan (Art. 19). */
const planTriggers = ['ContinuityExerciseHeld'] as const
const clearsPolicy = ['BasicPolicyAdopted', 'StandardsAdopted', 'PolicyReviewed'] as const
const clearsPlan = ['PlanReviewed'] as const

const blank = (agency_id: string, subject: ReviewSubject): ReviewDueRow => ({
  agency_id, subject, due: false, due_since: null, reasons: [], reason_count: 0,
  last_reviewed_at: null, last_reviewed_position: null, last_reviewed_by: null, last_review_event: null,
})

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** Whether the event changes the risk picture: every risk (re)assessment, and a report confirmed as an incident (the compliance rules use the same test). */
const isTrigger = (e: ProjectedEvent): boolean => changesRiskPicture(e)

/** A continuity exercise that found something, or in which the security measures did not hold. */
const isPlanTrigger = (e: ProjectedEvent): boolean => exerciseCallsForPlanReview(e)

export function markDue(row: ReviewDueRow, e: ProjectedEvent): ReviewDueRow {
  const at = str(e.data.at) ?? e.recordedAt
  const reason: ReviewReason = { eventType: e.type, streamId: e.streamId, position: e.position, at }
  return { ...row, due: true, due_since: row.due_since ?? at, reasons: [...row.reasons, reason].slice(-MAX_REASONS), reason_count: row.reason_count + 1 }
}

export function markReviewed(row: ReviewDueRow, e: ProjectedEvent): ReviewDueRow {
  return {
    ...row, due: false, due_since: null, reasons: [], reason_count: 0, last_reviewed_at: str(e.data.at) ?? e.recordedAt,
    last_reviewed_position: e.position, last_reviewed_by: str(e.data.by) ?? str(e.data.reviewedBy) ?? e.metadata.actor.id, last_review_event: e.type,
  }
}

async function loadRows(client: pg.ClientBase, table: string, agencyIds: string[]): Promise<Map<string, ReviewDueRow>> {
  const { rows } = await client.query<ReviewDueRow>(`SELECT * FROM ${ident(table)} WHERE agency_id = ANY($1::text[])`, [agencyIds])
  return new Map(rows.map((r) => [`${r.agency_id}\u0000${r.subject}`, normalizeReviewRow(r)]))
}

export const reviewsDueProjection: Projection<Tables> = {
  name: 'reviews-due',
  eventTypes: [...triggers, ...planTriggers, ...clearsPolicy, ...clearsPlan],
  tables: ['reviews_due'],
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const rows = await loadRows(client, tables.reviews_due, [...new Set(events.map((e) => e.agencyId))])
    const touched = new Set<string>()
    const update = (e: ProjectedEvent, subject: ReviewSubject, change: (row: ReviewDueRow, e: ProjectedEvent) => ReviewDueRow) => {
      const key = `${e.agencyId}\u0000${subject}`
      rows.set(key, change(rows.get(key) ?? blank(e.agencyId, subject), e))
      touched.add(key)
    }
    for (const e of events) {
      if (isTrigger(e)) for (const subject of reviewSubjects) update(e, subject, markDue)
      else if (isPlanTrigger(e)) update(e, 'PLAN', markDue)
      else if ((clearsPolicy as readonly string[]).includes(e.type)) update(e, 'POLICY', markReviewed)
      else if ((clearsPlan as readonly string[]).includes(e.type)) update(e, 'PLAN', markReviewed)
    }
    const batch = new RowBatch(tables.reviews_due, ['agency_id', 'subject'])
    for (const key of touched) batch.upsert({ ...rows.get(key) })
    await batch.write(client)
  },
}

/** pg returns timestamptz as Date and bigint as string; the row keeps ISO strings and numbers. */
export function normalizeReviewRow(r: ReviewDueRow): ReviewDueRow {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null))
  return {
    ...r, due_since: iso(r.due_since), last_reviewed_at: iso(r.last_reviewed_at),
    last_reviewed_position: r.last_reviewed_position === null ? null : Number(r.last_reviewed_position),
  }
}
