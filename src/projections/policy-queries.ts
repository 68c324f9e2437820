// Queries of the policy read models: the documents in force with their coverage of the Common
// Standards (computed against the edition's data as it is today), the history, and what is due for review.
import type pg from 'pg'
import { baselineItems, standardsItems, type StandardsEdition } from '../domain/shared/common-standards.js'
import type { Page } from './incident-queries.js'
import { InvalidCursorError } from './incident-queries.js'
import type { PolicyDocumentKind } from './policy.js'
import { normalizeReviewRow, reviewSubjects, type ReviewDueRow, type ReviewReason, type ReviewSubject } from './reviews-due.js'

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v))

export interface OwnItem { itemId: string; title: string; covers: string[] }

/** Each item of the edition, whether the baseline asks for it, and which own items cover it. */
export function coverageOf(edition: StandardsEdition, items: readonly OwnItem[]) {
  const baseline = new Set(baselineItems(edition))
  const coveredBy = (code: string) => items.filter((i) => i.covers.includes(code)).map((i) => i.itemId)
  const rows = standardsItems(edition).map((s) => ({ code: s.code, title: s.title, chapter: s.chapter, confidence: s.confidence, inBaseline: baseline.has(s.code), coveredBy: coveredBy(s.code) }))
  const gaps = rows.filter((r) => r.inBaseline && r.coveredBy.length === 0).map((r) => r.code)
  return { edition, baselineCount: baseline.size, coveredBaselineCount: baseline.size - gaps.length, complete: gaps.length === 0, gaps, items: rows }
}

/** A row of policy_documents as read (dates as text). */
interface DocumentRow {
  document: PolicyDocumentKind; version: string; position: number; title: string | null; summary: string | null; edition: StandardsEdition | null
  adopted_on: string; parent_id: string | null; parent_policy_version: string | null; basic_policy_version: string | null; items: OwnItem[] | null
  adopted_by: string; adopted_at: Date | string
}
interface ReviewRow {
  review_id: string; position: number; outcome: string; notes: string; basic_policy_version: string; standards_version: string | null
  reviewed_by: string; reviewed_at: Date | string
}

const DOCUMENT_COLUMNS = `document, version, position, title, summary, edition, adopted_on::text AS adopted_on, parent_id, parent_policy_version,
  basic_policy_version, items, adopted_by, adopted_at`

const toBasicPolicy = (r: DocumentRow) => ({
  version: r.version, title: r.title ?? '', summary: r.summary ?? '', adoptedOn: r.adopted_on, parentId: r.parent_id,
  parentPolicyVersion: r.parent_policy_version, adoptedBy: r.adopted_by, adoptedAt: iso(r.adopted_at), position: Number(r.position),
})

function toStandards(r: DocumentRow) {
  const items = r.items ?? []
  const edition = r.edition ?? 'R3'
  return {
    version: r.version, edition, adoptedOn: r.adopted_on, basicPolicyVersion: r.basic_policy_version ?? '', parentPolicyVersion: r.parent_policy_version,
    items, adoptedBy: r.adopted_by, adoptedAt: iso(r.adopted_at), position: Number(r.position), coverage: coverageOf(edition, items),
  }
}

const toReview = (r: ReviewRow) => ({
  id: r.review_id, outcome: r.outcome, notes: r.notes, basicPolicyVersion: r.basic_policy_version, standardsVersion: r.standards_version,
  reviewedBy: r.reviewed_by, reviewedAt: iso(r.reviewed_at), position: Number(r.position),
})

export function toReviewDue(agencyId: string, subject: ReviewSubject, row: ReviewDueRow | undefined) {
  return {
    agencyId, subject, due: row?.due ?? false, dueSince: row?.due_since ?? null, reasonCount: row?.reason_count ?? 0,
    reasons: (row?.reasons ?? []).map((r: ReviewReason) => ({ ...r })),
    lastReviewedAt: row?.last_reviewed_at ?? null, lastReviewedBy: row?.last_reviewed_by ?? null,
    lastReviewPosition: row?.last_reviewed_position ?? null, lastReviewEvent: row?.last_review_event ?? null,
  }
}
export type ReviewDueDto = ReturnType<typeof toReviewDue>

/** The policy and the promotion plan of one agency: due for review or not, and why. */
export async function reviewsDue(pool: pg.Pool, agencyId: string): Promise<{ agencyId: string; policy: ReviewDueDto; plan: ReviewDueDto }> {
  const { rows } = await pool.query<ReviewDueRow>('SELECT * FROM reviews_due WHERE agency_id = $1', [agencyId])
  const bySubject = new Map(rows.map((r) => [r.subject, normalizeReviewRow(r)]))
  const [policy, plan] = reviewSubjects.map((s) => toReviewDue(agencyId, s, bySubject.get(s))) as [ReviewDueDto, ReviewDueDto]
  return { agencyId, policy, plan }
}

/** The documents in force (the latest adopted of each kind), every version, the last review, and whether a review is due. */
export async function policyOverview(pool: pg.Pool, agencyId: string) {
  const [documents, review, due] = await Promise.all([
    pool.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM policy_documents WHERE agency_id = $1 ORDER BY position`, [agencyId]),
    pool.query<ReviewRow>('SELECT * FROM policy_reviews WHERE agency_id = $1 ORDER BY position DESC LIMIT 1', [agencyId]),
    reviewsDue(pool, agencyId),
  ])
  const basic = documents.rows.filter((r) => r.document === 'BASIC_POLICY')
  const standards = documents.rows.filter((r) => r.document === 'STANDARDS')
  const version = (r: DocumentRow) => ({ version: r.version, adoptedOn: r.adopted_on, position: Number(r.position) })
  const basicInForce = basic.at(-1)
  const standardsInForce = standards.at(-1)
  return {
    agencyId,
    basicPolicy: basicInForce ? toBasicPolicy(basicInForce) : null,
    standards: standardsInForce ? toStandards(standardsInForce) : null,
    basicPolicyVersions: basic.map(version),
    standardsVersions: standards.map(version),
    lastReview: review.rows[0] ? toReview(review.rows[0]) : null,
    reviewDue: due.policy,
  }
}
export type PolicyOverviewDto = Awaited<ReturnType<typeof policyOverview>>

function decodePosition(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined
  if (!/^[1-9][0-9]{0,15}$/.test(cursor)) throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
  return Number(cursor)
}

/** Adoptions and reviews, newest first, paged by agency log position. */
export async function policyHistory(pool: pg.Pool, agencyId: string, first: number, after?: string): Promise<Page<ReturnType<typeof toHistoryEntry>>> {
  const before = decodePosition(after) ?? Number.MAX_SAFE_INTEGER
  const { rows } = await pool.query<HistoryRow>(
    `SELECT * FROM (
       SELECT position, CASE document WHEN 'BASIC_POLICY' THEN 'BasicPolicyAdopted' ELSE 'StandardsAdopted' END AS type, version, edition, title,
              adopted_on::text AS adopted_on, parent_policy_version, NULL::text AS outcome, NULL::text AS notes, adopted_by AS by, adopted_at AS at
         FROM policy_documents WHERE agency_id = $1
       UNION ALL
       SELECT position, 'PolicyReviewed', basic_policy_version, NULL, NULL, NULL, NULL, outcome, notes, reviewed_by, reviewed_at
         FROM policy_reviews WHERE agency_id = $1
     ) h WHERE position < $2 ORDER BY position DESC LIMIT $3`, [agencyId, before, first + 1])
  const items = rows.slice(0, first).map(toHistoryEntry)
  return { items, hasNextPage: rows.length > first, cursors: items.map((i) => String(i.position)) }
}

interface HistoryRow {
  type: string; position: number; version: string; edition: string | null; title: string | null; adopted_on: string | null
  parent_policy_version: string | null; outcome: string | null; notes: string | null; by: string; at: Date | string
}

function toHistoryEntry(r: HistoryRow) {
  return {
    type: r.type, position: Number(r.position), version: r.version, edition: r.edition, title: r.title, adoptedOn: r.adopted_on,
    parentPolicyVersion: r.parent_policy_version, outcome: r.outcome, notes: r.notes, by: r.by, at: iso(r.at),
  }
}
export type PolicyHistoryEntry = ReturnType<typeof toHistoryEntry>
