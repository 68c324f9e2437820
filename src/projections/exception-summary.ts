// The periodic summary of the exception ledger for the CISO (Art. 7; domain.md §6: the general security
// officer reports the ledger periodically): counts by status now, what happened in the period (Japan
// dates, both days included), what is active now, and the overdue list.
import type pg from 'pg'
import { shownExceptionStatuses } from '../domain/exception/state.js'
import { EXCEPTION_SELECT, SHOWN_STATUS, toExceptionDto, type ExceptionRow } from './exception-queries.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** [start of `from`, start of the day after `to`) in Japan time, as instants. */
export function periodBounds(from: string, to: string): { start: string; end: string } {
  return { start: `${from}T00:00:00+09:00`, end: new Date(Date.parse(`${to}T00:00:00+09:00`) + DAY_MS).toISOString() }
}

export async function exceptionSummary(pool: pg.Pool, agencyId: string, from: string, to: string, now: string) {
  const { start, end } = periodBounds(from, to)
  const inPeriod = (column: string) => `count(*) FILTER (WHERE x.${column} >= $2::timestamptz AND x.${column} < $3::timestamptz)::int`
  const [counts, byStatus, overdue] = await Promise.all([
    pool.query<{ requested: number; emergencies: number; approved: number; rejected: number; became_overdue: number; end_reported: number; revoked: number; closed: number }>(
      `SELECT ${inPeriod('requested_at')} AS requested,
              count(*) FILTER (WHERE x.emergency AND x.requested_at >= $2::timestamptz AND x.requested_at < $3::timestamptz)::int AS emergencies,
              ${inPeriod('approved_at')} AS approved, ${inPeriod('rejected_at')} AS rejected, ${inPeriod('overdue_at')} AS became_overdue,
              count(*) FILTER (WHERE (x.end_report->>'at')::timestamptz >= $2::timestamptz AND (x.end_report->>'at')::timestamptz < $3::timestamptz)::int AS end_reported,
              ${inPeriod('revoked_at')} AS revoked, ${inPeriod('closed_at')} AS closed
         FROM exceptions x WHERE x.agency_id = $1`, [agencyId, start, end]),
    pool.query<{ status: string; count: number }>(
      `SELECT ${SHOWN_STATUS} AS status, count(*)::int AS count FROM exceptions x WHERE x.agency_id = $1 GROUP BY 1`, [agencyId, now]),
    pool.query<ExceptionRow>(`${EXCEPTION_SELECT} WHERE x.agency_id = $1 AND x.status = 'OVERDUE' ORDER BY x.approved_to, x.exception_id`, [agencyId, now]),
  ])
  const c = counts.rows[0]
  const countOf = new Map(byStatus.rows.map((r) => [r.status, r.count]))
  return {
    agencyId, from, to, asOf: now,
    byStatus: shownExceptionStatuses.map((status) => ({ status, count: countOf.get(status) ?? 0 })),
    inPeriod: {
      requested: c?.requested ?? 0, emergencies: c?.emergencies ?? 0, approved: c?.approved ?? 0, rejected: c?.rejected ?? 0,
      becameOverdue: c?.became_overdue ?? 0, endReported: c?.end_reported ?? 0, revoked: c?.revoked ?? 0, closed: c?.closed ?? 0,
    },
    activeNow: countOf.get('ACTIVE') ?? 0,
    overdue: overdue.rows.map(toExceptionDto),
  }
}
export type ExceptionSummaryDto = Awaited<ReturnType<typeof exceptionSummary>>
