// Queries of the self-check read model (Art. 10): one fiscal year's self-check with participation per
// unit (employees in scope vs results given), non-compliant items and fixes; and per-agency summaries
// for the assurance status. "In scope": in a taking-part unit, joined by the period's end and not gone
// before its start (employees of the organisation read model, current unit).
import type pg from 'pg'

interface SelfCheckRow {
  agency_id: string; fiscal_year: number; status: string; period_from: string; period_to: string
  items: { itemId: string; question: string; standardsItem?: { edition: string; code: string } }[]
  unit_ids: string[] | null; results_per_employee: number; planned_by: string; planned_at: Date
  evaluation: { summary: string; weakItemIds: string[]; resultCount: number; by: string; at: string } | null; last_position: string
}
interface FixRow {
  fix_id: string; item_id: string; unit_id: string; description: string; due_on: string; ordered_by: string; ordered_at: Date
  completed_by: string | null; completed_at: Date | null; completion_note: string | null
}
export interface UnitParticipation { agencyId: string; unitId: string; name: string | null; inScope: number; responded: number; rate: number | null }
export interface ParticipationTotal { inScope: number; responded: number; rate: number | null; results: number }

const rate = (responded: number, inScope: number) => (inScope === 0 ? null : responded / inScope)
const iso = (v: Date | null) => (v === null ? null : v.toISOString())

/** Participation per (agency, unit) of the fiscal year's self-checks of `agencyIds`: every taking-part unit, by id. */
export async function participationByUnit(pool: pg.Pool, agencyIds: readonly string[], fiscalYear: number): Promise<UnitParticipation[]> {
  const { rows } = await pool.query<{ agency_id: string; unit_id: string; name: string | null; in_scope: number; responded: number }>(
    `WITH sc AS (SELECT agency_id, period_from, period_to, unit_ids, results_per_employee FROM self_checks WHERE agency_id = ANY($1::text[]) AND fiscal_year = $2),
          given AS (SELECT agency_id, employee_id, count(*) AS n FROM self_check_results WHERE agency_id = ANY($1::text[]) AND fiscal_year = $2 GROUP BY 1, 2)
     SELECT u.agency_id, u.unit_id, u.name, count(e.employee_id)::int AS in_scope,
            count(g.employee_id) FILTER (WHERE g.n >= sc.results_per_employee)::int AS responded
       FROM sc JOIN units u ON u.agency_id = sc.agency_id AND (sc.unit_ids IS NULL OR sc.unit_ids ? u.unit_id)
       LEFT JOIN employees e ON e.agency_id = u.agency_id AND e.unit_id = u.unit_id
            AND e.joined_on <= sc.period_to AND (e.departed_on IS NULL OR e.departed_on >= sc.period_from)
       LEFT JOIN given g ON g.agency_id = e.agency_id AND g.employee_id = e.employee_id
      GROUP BY u.agency_id, u.unit_id, u.name ORDER BY u.agency_id, u.unit_id`,
    [agencyIds, fiscalYear])
  return rows.map((r) => ({ agencyId: r.agency_id, unitId: r.unit_id, name: r.name, inScope: r.in_scope, responded: r.responded, rate: rate(r.responded, r.in_scope) }))
}

/** Results recorded per agency in the fiscal year. */
export async function resultCounts(pool: pg.Pool, agencyIds: readonly string[], fiscalYear: number): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ agency_id: string; n: number }>(
    'SELECT agency_id, count(*)::int AS n FROM self_check_results WHERE agency_id = ANY($1::text[]) AND fiscal_year = $2 GROUP BY 1', [agencyIds, fiscalYear])
  return new Map(rows.map((r) => [r.agency_id, r.n]))
}

export function totalOf(units: readonly UnitParticipation[], results: number): ParticipationTotal {
  const inScope = units.reduce((n, u) => n + u.inScope, 0)
  const responded = units.reduce((n, u) => n + u.responded, 0)
  return { inScope, responded, rate: rate(responded, inScope), results }
}

const toFix = (today: string) => (r: FixRow) => ({
  fixId: r.fix_id, itemId: r.item_id, unitId: r.unit_id, description: r.description, dueOn: r.due_on,
  overdue: r.completed_at === null && r.due_on < today, orderedBy: r.ordered_by, orderedAt: r.ordered_at.toISOString(),
  completedBy: r.completed_by, completedAt: iso(r.completed_at), completionNote: r.completion_note,
})

async function nonCompliantCounts(pool: pg.Pool, agencyId: string, fiscalYear: number): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ item_id: string; n: number }>(
    `SELECT item.value AS item_id, count(*)::int AS n FROM self_check_results r, jsonb_array_elements_text(r.non_compliant) AS item
      WHERE r.agency_id = $1 AND r.fiscal_year = $2 GROUP BY 1`, [agencyId, fiscalYear])
  return new Map(rows.map((r) => [r.item_id, r.n]))
}

/** The self-check of a fiscal year as of `today` (overdue fixes); status NOT_PLANNED when there is none. */
export async function getSelfCheck(pool: pg.Pool, agencyId: string, fiscalYear: number, today: string) {
  const { rows } = await pool.query<SelfCheckRow>(
    `SELECT agency_id, fiscal_year, status, period_from::text, period_to::text, items, unit_ids, results_per_employee, planned_by, planned_at, evaluation, last_position
       FROM self_checks WHERE agency_id = $1 AND fiscal_year = $2`, [agencyId, fiscalYear])
  const row = rows[0]
  if (!row) return notPlanned(agencyId, fiscalYear)
  const [units, results, nonCompliant, fixes] = await Promise.all([
    participationByUnit(pool, [agencyId], fiscalYear),
    resultCounts(pool, [agencyId], fiscalYear),
    nonCompliantCounts(pool, agencyId, fiscalYear),
    pool.query<FixRow>(`SELECT fix_id, item_id, unit_id, description, due_on::text, ordered_by, ordered_at, completed_by, completed_at, completion_note
                          FROM self_check_fixes WHERE agency_id = $1 AND fiscal_year = $2 ORDER BY due_on, fix_id`, [agencyId, fiscalYear]),
  ])
  const answered = results.get(agencyId) ?? 0
  const items = row.items.map((i) => ({ itemId: i.itemId, question: i.question, standardsItem: i.standardsItem ?? null, answered, nonCompliant: nonCompliant.get(i.itemId) ?? 0 }))
  const fixList = fixes.rows.map(toFix(today))
  return {
    agencyId, fiscalYear, status: row.status, from: row.period_from, to: row.period_to, unitIds: row.unit_ids, resultsPerEmployee: row.results_per_employee,
    plannedBy: row.planned_by, plannedAt: row.planned_at.toISOString(), position: Number(row.last_position), items,
    nonCompliantItems: items.filter((i) => i.nonCompliant > 0).sort((a, b) => b.nonCompliant - a.nonCompliant || a.itemId.localeCompare(b.itemId)),
    participation: totalOf(units, answered), participationByUnit: units, evaluation: row.evaluation, fixes: fixList,
    openFixes: fixList.filter((f) => f.completedAt === null).length, overdueFixes: fixList.filter((f) => f.overdue).length,
  }
}
export type SelfCheckDto = Awaited<ReturnType<typeof getSelfCheck>>

function notPlanned(agencyId: string, fiscalYear: number) {
  return {
    agencyId, fiscalYear, status: 'NOT_PLANNED', from: null, to: null, unitIds: null, resultsPerEmployee: null, plannedBy: null, plannedAt: null, position: null,
    items: [], nonCompliantItems: [], participation: totalOf([], 0), participationByUnit: [], evaluation: null, fixes: [], openFixes: 0, overdueFixes: 0,
  }
}

/** Open and overdue fixes per agency in the fiscal year. */
export async function fixCounts(pool: pg.Pool, agencyIds: readonly string[], fiscalYear: number, today: string): Promise<Map<string, { open: number; overdue: number }>> {
  const { rows } = await pool.query<{ agency_id: string; open: number; overdue: number }>(
    `SELECT agency_id, count(*) FILTER (WHERE completed_at IS NULL)::int AS open,
            count(*) FILTER (WHERE completed_at IS NULL AND due_on < $3::date)::int AS overdue
       FROM self_check_fixes WHERE agency_id = ANY($1::text[]) AND fiscal_year = $2 GROUP BY 1`, [agencyIds, fiscalYear, today])
  return new Map(rows.map((r) => [r.agency_id, { open: r.open, overdue: r.overdue }]))
}

/** The status of each agency's self-check of the fiscal year (absent: NOT_PLANNED). */
export async function selfCheckStatuses(pool: pg.Pool, agencyIds: readonly string[], fiscalYear: number): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ agency_id: string; status: string }>(
    'SELECT agency_id, status FROM self_checks WHERE agency_id = ANY($1::text[]) AND fiscal_year = $2', [agencyIds, fiscalYear])
  return new Map(rows.map((r) => [r.agency_id, r.status]))
}
