// Queries of the audit read model (Art. 11): audits with finding counts (keyset pages, newest plan
// first), one audit's findings, and open findings across audits (earliest due date first). "Overdue"
// is judged against `today`, which the caller takes from the injected clock.
import type pg from 'pg'
import { z } from 'zod'
import { calendarDate, instant } from '../domain/shared/values.js'
import { InvalidCursorError, type Page } from './incident-queries.js'

interface AuditRow {
  agency_id: string; audit_id: string; fiscal_year: number; title: string; objective: string | null; status: string
  scope_unit_ids: string[]; auditor_ids: string[]; fieldwork_from: string; fieldwork_to: string; planned_by: string; planned_at: Date
  approval: unknown; report: unknown; closed_at: Date | null; last_position: string
  finding_count: number; open_finding_count: number; overdue_finding_count: number
}
interface FindingRow {
  agency_id: string; finding_id: string; audit_id: string; fiscal_year: number; unit_id: string; standards_edition: string; standards_code: string
  severity: string; description: string; due_on: string; status: string; recorded_by: string; recorded_at: Date
  improvement_plan: unknown; closed_by: string | null; closed_at: Date | null; close_note: string | null
}
interface FollowUpRow { finding_id: string; follow_up_id: string; note: string; status: string; recorded_by: string; recorded_at: Date; agency_id: string }

const iso = (v: Date | null) => (v === null ? null : v.toISOString())

const AUDIT_SELECT = `
  SELECT a.agency_id, a.audit_id, a.fiscal_year, a.title, a.objective, a.status, a.scope_unit_ids, a.auditor_ids,
         a.fieldwork_from::text, a.fieldwork_to::text, a.planned_by, a.planned_at, a.approval, a.report, a.closed_at, a.last_position,
         c.finding_count, c.open_finding_count, c.overdue_finding_count
    FROM audits a
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS finding_count, count(*) FILTER (WHERE f.status <> 'CLOSED')::int AS open_finding_count,
             count(*) FILTER (WHERE f.status <> 'CLOSED' AND f.due_on < $2::date)::int AS overdue_finding_count
        FROM audit_findings f WHERE f.agency_id = a.agency_id AND f.audit_id = a.audit_id) c`

function toAudit(r: AuditRow) {
  return {
    id: r.audit_id, agencyId: r.agency_id, fiscalYear: r.fiscal_year, title: r.title, objective: r.objective, status: r.status,
    scopeUnitIds: r.scope_unit_ids, auditorIds: r.auditor_ids, fieldworkFrom: r.fieldwork_from, fieldworkTo: r.fieldwork_to,
    plannedBy: r.planned_by, plannedAt: r.planned_at.toISOString(), approval: r.approval, report: r.report, closedAt: iso(r.closed_at),
    position: Number(r.last_position), findingCount: r.finding_count, openFindingCount: r.open_finding_count, overdueFindingCount: r.overdue_finding_count,
  }
}
export type AuditDto = ReturnType<typeof toAudit>

const toFinding = (today: string, followUps: ReadonlyMap<string, FollowUpRow[]>) => (r: FindingRow) => ({
  id: r.finding_id, auditId: r.audit_id, agencyId: r.agency_id, fiscalYear: r.fiscal_year, unitId: r.unit_id,
  standardsItem: { edition: r.standards_edition, code: r.standards_code }, severity: r.severity, description: r.description,
  dueOn: r.due_on, status: r.status, overdue: r.status !== 'CLOSED' && r.due_on < today, recordedBy: r.recorded_by,
  recordedAt: r.recorded_at.toISOString(), improvementPlan: r.improvement_plan,
  followUps: (followUps.get(`${r.agency_id}\u0000${r.finding_id}`) ?? []).map((f) => ({ id: f.follow_up_id, note: f.note, status: f.status, by: f.recorded_by, at: f.recorded_at.toISOString() })),
  closedBy: r.closed_by, closedAt: iso(r.closed_at), closeNote: r.close_note,
})
export type FindingDto = ReturnType<ReturnType<typeof toFinding>>

const FINDING_SELECT = `
  SELECT f.agency_id, f.finding_id, f.audit_id, a.fiscal_year, f.unit_id, f.standards_edition, f.standards_code, f.severity, f.description,
         f.due_on::text, f.status, f.recorded_by, f.recorded_at, f.improvement_plan, f.closed_by, f.closed_at, f.close_note
    FROM audit_findings f JOIN audits a ON a.agency_id = f.agency_id AND a.audit_id = f.audit_id`

/** Findings with their follow-ups (one more query for the whole set). */
async function withFollowUps(pool: pg.Pool, rows: readonly FindingRow[], today: string): Promise<FindingDto[]> {
  const { rows: followUps } = await pool.query<FollowUpRow>(
    `SELECT u.agency_id, u.finding_id, u.follow_up_id, u.note, u.status, u.recorded_by, u.recorded_at
       FROM audit_follow_ups u JOIN unnest($1::text[], $2::text[]) AS k(agency_id, finding_id) ON u.agency_id = k.agency_id AND u.finding_id = k.finding_id
      ORDER BY u.position`, [rows.map((r) => r.agency_id), rows.map((r) => r.finding_id)])
  const byFinding = new Map<string, FollowUpRow[]>()
  for (const f of followUps) {
    const key = `${f.agency_id}\u0000${f.finding_id}`
    byFinding.set(key, [...(byFinding.get(key) ?? []), f])
  }
  return rows.map(toFinding(today, byFinding))
}

export async function getAudit(pool: pg.Pool, agencyIds: readonly string[], auditId: string, today: string): Promise<AuditDto | undefined> {
  const { rows } = await pool.query<AuditRow>(`${AUDIT_SELECT} WHERE a.agency_id = ANY($1::text[]) AND a.audit_id = $3`, [agencyIds, today, auditId])
  return rows[0] && toAudit(rows[0])
}

export async function findingsOfAudit(pool: pg.Pool, agencyId: string, auditId: string, today: string): Promise<FindingDto[]> {
  const { rows } = await pool.query<FindingRow>(`${FINDING_SELECT} WHERE f.agency_id = $1 AND f.audit_id = $2 ORDER BY f.due_on, f.finding_id`, [agencyId, auditId])
  return withFollowUps(pool, rows, today)
}

/** The sort key is typed per list (a planned-at instant for audits, a due date for findings), so a forged cursor is a 400, never a SQL error. */
const cursorOf = (k: z.ZodType<string>) => z.object({ k, a: z.string().max(100), i: z.string().max(100) })
const AuditCursor = cursorOf(instant)
const FindingCursor = cursorOf(calendarDate)
const encode = (k: string, a: string, i: string) => Buffer.from(JSON.stringify({ k, a, i })).toString('base64url')
function decode(cursor: string, schema: typeof AuditCursor): { k: string; a: string; i: string } {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.success) return parsed.data
  } catch { /* not JSON: fall through */ }
  throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
}

/** WHERE clauses with numbered parameters after the fixed ones; $1 is always the agencies. */
function conditions(fixed: readonly unknown[]) {
  const where: string[] = ['a.agency_id = ANY($1::text[])']
  const params: unknown[] = [...fixed]
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value)
    where.push(clause(`$${params.length}`))
  }
  return { where, params, add }
}

export interface AuditFilter { fiscalYear?: number | undefined; status?: readonly string[] | undefined }

/** Newest plan first; keyset on (planned_at desc, agency_id, audit_id). */
export async function listAudits(pool: pg.Pool, agencyIds: readonly string[], filter: AuditFilter, today: string, first: number, after?: string): Promise<Page<AuditDto>> {
  const { where, params, add } = conditions([agencyIds, today])
  if (filter.fiscalYear !== undefined) add((p) => `a.fiscal_year = ${p}`, filter.fiscalYear)
  if (filter.status?.length) add((p) => `a.status = ANY(${p}::text[])`, filter.status)
  if (after) {
    const c = decode(after, AuditCursor)
    params.push(c.k, c.a, c.i)
    const n = params.length
    where.push(`(a.planned_at < $${n - 2}::timestamptz OR (a.planned_at = $${n - 2}::timestamptz AND (a.agency_id, a.audit_id) > ($${n - 1}, $${n})))`)
  }
  params.push(first + 1)
  const { rows } = await pool.query<AuditRow>(`${AUDIT_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.planned_at DESC, a.agency_id, a.audit_id LIMIT $${params.length}`, params)
  const items = rows.slice(0, first).map(toAudit)
  return { items, hasNextPage: rows.length > first, cursors: items.map((a) => encode(a.plannedAt, a.agencyId, a.id)) }
}

export interface FindingFilter {
  auditId?: string | undefined; unitId?: string | undefined; severity?: readonly string[] | undefined
  overdue?: boolean | undefined; fiscalYear?: number | undefined
}

/** Findings not closed, earliest due date first; keyset on (due_on, agency_id, finding_id). */
export async function listOpenFindings(pool: pg.Pool, agencyIds: readonly string[], filter: FindingFilter, today: string, first: number, after?: string): Promise<Page<FindingDto>> {
  const { where, params, add } = conditions([agencyIds])
  where.push(`f.status <> 'CLOSED'`)
  if (filter.auditId !== undefined) add((p) => `f.audit_id = ${p}`, filter.auditId)
  if (filter.unitId !== undefined) add((p) => `f.unit_id = ${p}`, filter.unitId)
  if (filter.severity?.length) add((p) => `f.severity = ANY(${p}::text[])`, filter.severity)
  if (filter.fiscalYear !== undefined) add((p) => `a.fiscal_year = ${p}`, filter.fiscalYear)
  if (filter.overdue !== undefined) add((p) => (filter.overdue ? `f.due_on < ${p}::date` : `f.due_on >= ${p}::date`), today)
  if (after) {
    const c = decode(after, FindingCursor)
    params.push(c.k, c.a, c.i)
    const n = params.length
    where.push(`(f.due_on > $${n - 2}::date OR (f.due_on = $${n - 2}::date AND (f.agency_id, f.finding_id) > ($${n - 1}, $${n})))`)
  }
  params.push(first + 1)
  const { rows } = await pool.query<FindingRow>(
    `${FINDING_SELECT} WHERE ${where.join(' AND ')} ORDER BY f.due_on, f.agency_id, f.finding_id LIMIT $${params.length}`, params)
  const items = await withFollowUps(pool, rows.slice(0, first), today)
  return { items, hasNextPage: rows.length > first, cursors: items.map((f) => encode(f.dueOn, f.agencyId, f.id)) }
}

/** Per agency: audits of the fiscal year by status, and their open, overdue and open HIGH findings. */
export async function auditCounts(pool: pg.Pool, agencyIds: readonly string[], fiscalYear: number, today: string) {
  const { rows } = await pool.query<{ agency_id: string; audits: number; approved: number; reported: number; closed: number; open: number; overdue: number; high: number }>(
    `SELECT a.agency_id, count(*)::int AS audits,
            count(*) FILTER (WHERE a.status <> 'PLANNED')::int AS approved,
            count(*) FILTER (WHERE a.status IN ('REPORTED', 'CLOSED'))::int AS reported,
            count(*) FILTER (WHERE a.status = 'CLOSED')::int AS closed,
            coalesce(sum(c.open_finding_count), 0)::int AS open, coalesce(sum(c.overdue_finding_count), 0)::int AS overdue, coalesce(sum(c.high), 0)::int AS high
       FROM audits a CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE f.status <> 'CLOSED') AS open_finding_count,
                count(*) FILTER (WHERE f.status <> 'CLOSED' AND f.due_on < $3::date) AS overdue_finding_count,
                count(*) FILTER (WHERE f.status <> 'CLOSED' AND f.severity = 'HIGH') AS high
           FROM audit_findings f WHERE f.agency_id = a.agency_id AND f.audit_id = a.audit_id) c
      WHERE a.agency_id = ANY($1::text[]) AND a.fiscal_year = $2 GROUP BY a.agency_id`, [agencyIds, fiscalYear, today])
  return new Map(rows.map((r) => [r.agency_id, r]))
}
