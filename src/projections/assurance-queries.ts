// "The assurance status of a fiscal year": per agency, its self-check (status, participation, fixes)
// and its audits (by status, open/overdue/HIGH findings). Set-based over the agencies asked for, so a
// national organ's roll-up of every body under it costs the same few queries.
import type pg from 'pg'
import { auditCounts } from './audit-queries.js'
import { fixCounts, participationByUnit, resultCounts, selfCheckStatuses, totalOf } from './self-check-queries.js'

export async function assuranceStatus(pool: pg.Pool, agencyIds: readonly string[], fiscalYear: number, today: string) {
  const [names, statuses, units, results, fixes, audits] = await Promise.all([
    pool.query<{ agency_id: string; name: string }>('SELECT agency_id, name FROM agencies WHERE agency_id = ANY($1::text[])', [agencyIds]),
    selfCheckStatuses(pool, agencyIds, fiscalYear),
    participationByUnit(pool, agencyIds, fiscalYear),
    resultCounts(pool, agencyIds, fiscalYear),
    fixCounts(pool, agencyIds, fiscalYear, today),
    auditCounts(pool, agencyIds, fiscalYear, today),
  ])
  const nameOf = new Map(names.rows.map((r) => [r.agency_id, r.name]))
  const agencies = agencyIds.map((agencyId) => {
    const a = audits.get(agencyId)
    return {
      agencyId,
      name: nameOf.get(agencyId) ?? null,
      selfCheckStatus: statuses.get(agencyId) ?? 'NOT_PLANNED',
      selfCheckParticipation: totalOf(units.filter((u) => u.agencyId === agencyId), results.get(agencyId) ?? 0),
      openFixes: fixes.get(agencyId)?.open ?? 0,
      overdueFixes: fixes.get(agencyId)?.overdue ?? 0,
      audits: a?.audits ?? 0,
      approvedAudits: a?.approved ?? 0,
      reportedAudits: a?.reported ?? 0,
      closedAudits: a?.closed ?? 0,
      openFindings: a?.open ?? 0,
      overdueFindings: a?.overdue ?? 0,
      highOpenFindings: a?.high ?? 0,
    }
  })
  return { fiscalYear, asOf: today, agencies }
}
export type AssuranceStatusDto = Awaited<ReturnType<typeof assuranceStatus>>
