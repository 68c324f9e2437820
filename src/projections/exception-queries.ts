// Queries of the exception ledger (Art. 7): the ledger with filters (keyset pages, newest request first),
// one exception, its history from the log, and the candidates the coverage check and the scheduler
// start from. "Now" comes from the caller's injected clock: whether an approved exception is ACTIVE is
// derived from it, never stored.
import type pg from 'pg'
import { z } from 'zod'
import { instant } from '../domain/shared/values.js'
import { exceptionStreamId } from '../domain/exception/decider.js'
import { EVENT_COLUMNS, toStoredEvent } from '../eventstore/postgres-store.js'
import type { StoredEvent } from '../eventstore/types.js'
import { InvalidCursorError, type Page } from './incident-queries.js'

export interface ExceptionRow {
  agency_id: string; exception_id: string; status: string; shown_status: string; emergency: boolean; acted_at: Date | null
  applicant_id: string; applicant_unit_id: string; edition: string; clause: string; rules: string[]; steps: string[]; asset_ids: string[]
  unit_id: string | null; requested_from: Date; requested_to: Date; request: Record<string, unknown>; requested_at: Date
  endorsement: unknown; examination: unknown; decision: unknown; approved_rules: string[] | null; approved_steps: string[] | null
  approved_asset_ids: string[] | null; approved_unit_id: string | null; approved_from: Date | null; approved_to: Date | null; approved_at: Date | null
  overdue_at: Date | null; end_report: unknown; revocation: unknown; closure: unknown; version: number; last_position: string; updated_at: Date
}

const iso = (v: Date | null) => (v === null ? null : v.toISOString())

/** $2 is always "now": APPROVED shows as ACTIVE while its approved period contains it. */
export const SHOWN_STATUS = `CASE WHEN x.status = 'APPROVED' AND x.approved_from <= $2::timestamptz AND x.approved_to >= $2::timestamptz THEN 'ACTIVE' ELSE x.status END`
export const EXCEPTION_SELECT = `SELECT x.*, ${SHOWN_STATUS} AS shown_status FROM exceptions x`

export function toExceptionDto(r: ExceptionRow) {
  return {
    id: r.exception_id, agencyId: r.agency_id, status: r.shown_status, emergency: r.emergency, actedAt: iso(r.acted_at),
    applicantId: r.applicant_id, applicantUnitId: r.applicant_unit_id, clause: { edition: r.edition, code: r.clause },
    rules: r.rules, steps: r.steps, assetIds: r.asset_ids, unitId: r.unit_id,
    requestedPeriod: { from: r.requested_from.toISOString(), to: r.requested_to.toISOString() },
    ...(r.request as { measures: string; compensatingMeasures: string[]; securityImpact: string; impactHandling: string; endReportMethod: string; reason: string }),
    requestedAt: r.requested_at.toISOString(), endorsement: r.endorsement, examination: r.examination, decision: r.decision,
    permitted: r.approved_from === null || r.approved_to === null ? null : {
      rules: r.approved_rules ?? [], steps: r.approved_steps ?? [], assetIds: r.approved_asset_ids ?? [], unitId: r.approved_unit_id,
      from: r.approved_from.toISOString(), to: r.approved_to.toISOString(),
    },
    overdue: r.overdue_at !== null, overdueAt: iso(r.overdue_at), endReport: r.end_report, revocation: r.revocation, closure: r.closure,
    version: r.version, position: Number(r.last_position), updatedAt: r.updated_at.toISOString(),
  }
}
export type ExceptionDto = ReturnType<typeof toExceptionDto>

// The sort key is a requested-at instant (bounded years): a forged cursor is a 400, never a SQL error.
const Cursor = z.object({ k: instant, a: z.string().max(100), i: z.string().max(100) })
const encode = (k: string, a: string, i: string) => Buffer.from(JSON.stringify({ k, a, i })).toString('base64url')
function decode(cursor: string): z.infer<typeof Cursor> {
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.success) return parsed.data
  } catch { /* not JSON: fall through */ }
  throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
}

export async function getException(pool: pg.Pool, agencyIds: readonly string[], exceptionId: string, now: string): Promise<ExceptionDto | undefined> {
  const { rows } = await pool.query<ExceptionRow>(`${EXCEPTION_SELECT} WHERE x.agency_id = ANY($1::text[]) AND x.exception_id = $3`, [agencyIds, now, exceptionId])
  return rows[0] && toExceptionDto(rows[0])
}

export interface LedgerFilter {
  /** Shown statuses (ACTIVE included). */
  status?: readonly string[] | undefined
  clause?: string | undefined
  applicantId?: string | undefined
  /** Approved, and in force at that instant: inside the permitted period, not yet revoked, ended or closed. */
  activeAt?: string | undefined
  /** Became overdue at some point (true), or never (false). */
  overdue?: boolean | undefined
}

/** Newest request first; keyset on (requested_at desc, agency_id, exception_id). */
export async function listExceptions(pool: pg.Pool, agencyIds: readonly string[], filter: LedgerFilter, now: string, first: number, after?: string): Promise<Page<ExceptionDto>> {
  const where: string[] = ['x.agency_id = ANY($1::text[])']
  const params: unknown[] = [agencyIds, now]
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value)
    where.push(clause(`$${params.length}`))
  }
  if (filter.status?.length) add((p) => `(${SHOWN_STATUS}) = ANY(${p}::text[])`, filter.status)
  if (filter.clause !== undefined) add((p) => `x.clause = ${p}`, filter.clause)
  if (filter.applicantId !== undefined) add((p) => `x.applicant_id = ${p}`, filter.applicantId)
  if (filter.activeAt !== undefined) {
    add((p) => `x.approved_from <= ${p}::timestamptz AND x.approved_to >= ${p}::timestamptz
      AND (x.revoked_at IS NULL OR x.revoked_at > ${p}::timestamptz) AND (x.ended_at IS NULL OR x.ended_at > ${p}::timestamptz)
      AND (x.closed_at IS NULL OR x.closed_at > ${p}::timestamptz)`, filter.activeAt)
  }
  if (filter.overdue !== undefined) where.push(filter.overdue ? 'x.overdue_at IS NOT NULL' : 'x.overdue_at IS NULL')
  if (after) {
    const c = decode(after)
    params.push(c.k, c.a, c.i)
    const n = params.length
    where.push(`(x.requested_at < $${n - 2}::timestamptz OR (x.requested_at = $${n - 2}::timestamptz AND (x.agency_id, x.exception_id) > ($${n - 1}, $${n})))`)
  }
  params.push(first + 1)
  const { rows } = await pool.query<ExceptionRow>(
    `${EXCEPTION_SELECT} WHERE ${where.join(' AND ')} ORDER BY x.requested_at DESC, x.agency_id, x.exception_id LIMIT $${params.length}`, params)
  const items = rows.slice(0, first).map(toExceptionDto)
  return { items, hasNextPage: rows.length > first, cursors: items.map((x) => encode(x.requestedAt, x.agencyId, x.id)) }
}

/** A page of an exception's events, oldest first, after a stream version: the log itself, never a copy. */
export async function exceptionHistory(pool: pg.Pool, agencyId: string, exceptionId: string, first: number, afterVersion = 0): Promise<Page<StoredEvent>> {
  const { rows } = await pool.query(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE agency_id = $1 AND stream_id = $2 AND stream_version > $3 ORDER BY stream_version LIMIT $4`,
    [agencyId, exceptionStreamId(exceptionId), afterVersion, first + 1])
  const items = rows.slice(0, first).map(toStoredEvent)
  return { items, hasNextPage: rows.length > first, cursors: items.map((e) => String(e.streamVersion)) }
}

/** Exceptions that may cover a step (confirmed afterwards from the log): approved, not revoked or closed, period containing `at`. */
export async function coverageCandidates(pool: pg.Pool, q: { agencyId: string; assetIds: readonly string[]; unitId?: string | undefined; rule: string; at: string }): Promise<string[]> {
  const { rows } = await pool.query<{ exception_id: string }>(
    `SELECT exception_id FROM exceptions
      WHERE agency_id = $1 AND approved_at IS NOT NULL AND revoked_at IS NULL AND closed_at IS NULL
        AND approved_from <= $2::timestamptz AND approved_to >= $2::timestamptz AND approved_rules ? $3
        AND (approved_asset_ids ?| $4::text[] OR approved_unit_id = $5)
      ORDER BY approved_at, exception_id`,
    [q.agencyId, q.at, q.rule, [...q.assetIds], q.unitId ?? null])
  return rows.map((r) => r.exception_id)
}

/**
 * The ledger's checkpoint for an agency; with exceptionsAfter it names what the read model has not applied
 * yet (usually nothing; bounded by the projection's lag), so coverage misses no approval of a moment ago.
 */
export async function exceptionsCheckpoint(pool: pg.Pool, agencyId: string): Promise<number> {
  const { rows } = await pool.query<{ position: number }>("SELECT position FROM projection_checkpoints WHERE agency_id = $1 AND projection = 'exceptions'", [agencyId])
  return rows[0]?.position ?? 0
}

/** The exceptions whose streams changed after `position` (newest first, so a long lag never hides the latest). */
export async function exceptionsAfter(pool: pg.Pool, agencyId: string, position: number, limit = 10_000): Promise<string[]> {
  const { rows } = await pool.query<{ stream_id: string }>(
    `SELECT DISTINCT stream_id FROM (
       SELECT stream_id FROM events
        WHERE agency_id = $1 AND stream_type = 'exception' AND agency_position > $2
        ORDER BY agency_position DESC LIMIT $3) recent`,
    [agencyId, position, limit])
  return rows.map((r) => r.stream_id.slice('exception-'.length))
}

/** Across agencies: approved exceptions whose permitted period ended before `now` without an end report. */
export async function overdueCandidates(pool: pg.Pool, now: string, limit: number): Promise<{ agencyId: string; exceptionId: string }[]> {
  const { rows } = await pool.query<{ agency_id: string; exception_id: string }>(
    `SELECT agency_id, exception_id FROM exceptions
      WHERE approved_at IS NOT NULL AND revoked_at IS NULL AND closed_at IS NULL AND status = 'APPROVED' AND approved_to < $1::timestamptz
      ORDER BY approved_to, agency_id, exception_id LIMIT $2`, [now, limit])
  return rows.map((r) => ({ agencyId: r.agency_id, exceptionId: r.exception_id }))
}
