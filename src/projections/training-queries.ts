// Queries of the education read model: a fiscal year's training plan, coverage per unit under the
// agency's rules (settings, not constants), and the employees not yet covered (paged).
import type pg from 'pg'
import { z } from 'zod'
import { fiscalYearBounds } from '../domain/shared/fiscal-year.js'
import { AgencySettings, defaultAgencySettings } from '../domain/shared/settings.js'
import { InvalidCursorError, type Page } from './incident-queries.js'

const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : v)

export async function getTrainingPlan(pool: pg.Pool, agencyId: string, fiscalYear: number) {
  const [plan, courses] = await Promise.all([
    pool.query('SELECT * FROM training_plans WHERE agency_id = $1 AND fiscal_year = $2', [agencyId, fiscalYear]),
    pool.query(
      `SELECT c.course_id, c.title, c.audience, c.mandatory, c.added_at,
              (SELECT count(*) FROM training_completions d WHERE d.agency_id = c.agency_id AND d.fiscal_year = c.fiscal_year AND d.course_id = c.course_id)::int AS completions
         FROM training_courses c WHERE c.agency_id = $1 AND c.fiscal_year = $2 ORDER BY c.course_id`, [agencyId, fiscalYear]),
  ])
  const p = plan.rows[0]
  if (!p) return undefined
  return {
    agencyId, fiscalYear, plannedBy: p.planned_by as string, plannedAt: iso(p.planned_at), version: p.version as number, position: Number(p.last_position),
    courses: courses.rows.map((c) => ({
      courseId: c.course_id as string, title: c.title as string, mandatory: c.mandatory as boolean, addedAt: iso(c.added_at), completions: c.completions as number,
      audience: { kind: c.audience.kind as 'ALL' | 'UNITS', unitIds: (c.audience.unitIds ?? []) as string[] },
    })),
  }
}

/** The agency's education rules: its settings, or the defaults while it has changed none. */
export async function educationRules(pool: pg.Pool, agencyId: string) {
  const { rows } = await pool.query<{ settings: unknown }>('SELECT settings FROM agencies WHERE agency_id = $1', [agencyId])
  const parsed = AgencySettings.safeParse(rows[0]?.settings)
  return parsed.success ? parsed.data.education : defaultAgencySettings.education
}

/**
 * Each employee in scope for the fiscal year ($1 agency, $2 year, $3 start, $4 end, $5 as of, $6 trainings
 * required, $7 newcomer months) and how they stand. In scope: joined by the end of the year (and by the
 * "as of" day), not gone before it started. A newcomer is overdue when the deadline after joining or the
 * latest transfer (unit_since + months) falls within the year and before the day, with no completion since.
 */
const JUDGED = `
  WITH status AS (
    SELECT e.employee_id, e.name, e.unit_id, e.joined_on, e.unit_since, e.departed_on,
           (SELECT count(*) FROM training_completions c
             WHERE c.agency_id = $1 AND c.employee_id = e.employee_id AND c.fiscal_year = $2 AND c.completed_on <= $5::date)::int AS completions,
           CASE WHEN $7::int > 0 THEN (e.unit_since + make_interval(months => $7::int))::date END AS due_on,
           EXISTS (SELECT 1 FROM training_completions c
             WHERE c.agency_id = $1 AND c.employee_id = e.employee_id AND c.completed_on >= e.unit_since AND c.completed_on <= $5::date) AS trained_since
      FROM employees e
     WHERE e.agency_id = $1 AND e.joined_on <= least($4::date, $5::date) AND (e.departed_on IS NULL OR e.departed_on >= $3::date)
  ), judged AS (
    SELECT s.*, s.completions >= $6::int AS yearly_met,
           CASE WHEN NOT s.trained_since AND s.due_on BETWEEN $3::date AND $4::date THEN s.due_on END AS newcomer_due_on,
           (NOT s.trained_since AND s.due_on BETWEEN $3::date AND $4::date AND s.due_on < $5::date
             AND (s.departed_on IS NULL OR s.departed_on >= $5::date)) AS newcomer_overdue
      FROM status s
  )`

export interface CoverageArgs { agencyId: string; fiscalYear: number; asOf: string }

async function judgedParams(pool: pg.Pool, a: CoverageArgs) {
  const rules = await educationRules(pool, a.agencyId)
  const { start, end } = fiscalYearBounds(a.fiscalYear)
  return { rules, params: [a.agencyId, a.fiscalYear, start, end, a.asOf, rules.trainingsPerFiscalYear, rules.newcomerWithinMonths] as unknown[] }
}

const ratio = (covered: number, inScope: number) => (inScope === 0 ? null : covered / inScope)

/** Coverage per unit (every unit of the agency, by id) and for the whole agency. */
export async function trainingCoverage(pool: pg.Pool, a: CoverageArgs) {
  const { rules, params } = await judgedParams(pool, a)
  const { rows } = await pool.query(
    `${JUDGED}
     SELECT u.unit_id, u.name, count(j.employee_id)::int AS in_scope, (count(*) FILTER (WHERE j.yearly_met))::int AS covered,
            coalesce(json_agg(json_build_object('employeeId', j.employee_id, 'name', j.name, 'unitSince', j.unit_since::text, 'dueOn', j.newcomer_due_on::text)
                     ORDER BY j.employee_id) FILTER (WHERE j.newcomer_overdue), '[]') AS newcomers_overdue
       FROM units u LEFT JOIN judged j ON j.unit_id = u.unit_id
      WHERE u.agency_id = $1 GROUP BY u.unit_id, u.name ORDER BY u.unit_id`, params)
  const units = rows.map((r) => ({
    unitId: r.unit_id as string, name: r.name as string, inScope: r.in_scope as number, covered: r.covered as number,
    coverage: ratio(r.covered, r.in_scope), newcomersOverdue: r.newcomers_overdue as { employeeId: string; name: string; unitSince: string; dueOn: string }[],
  }))
  const inScope = units.reduce((n, u) => n + u.inScope, 0)
  const covered = units.reduce((n, u) => n + u.covered, 0)
  return {
    agencyId: a.agencyId, fiscalYear: a.fiscalYear, asOf: a.asOf, rules,
    total: { inScope, covered, coverage: ratio(covered, inScope), newcomersOverdue: units.reduce((n, u) => n + u.newcomersOverdue.length, 0) },
    units,
  }
}
export type CoverageDto = Awaited<ReturnType<typeof trainingCoverage>>

const Cursor = z.object({ u: z.string().max(100), e: z.string().max(100) })
const encode = (u: string, e: string) => Buffer.from(JSON.stringify({ u, e })).toString('base64url')
function decode(cursor: string): z.infer<typeof Cursor> {
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.success) return parsed.data
  } catch { /* fall through */ }
  throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
}

export interface UncoveredFilter { unitId?: string | undefined; newcomerOverdue?: boolean | undefined }

/** Employees in scope who miss the yearly rule or are overdue as newcomers; keyset on (unit, employee). */
export async function uncoveredEmployees(pool: pg.Pool, a: CoverageArgs, filter: UncoveredFilter, first: number, after?: string) {
  const { rules, params } = await judgedParams(pool, a)
  const where = ['(NOT j.yearly_met OR j.newcomer_overdue)']
  if (filter.unitId !== undefined) where.push(`j.unit_id = $${params.push(filter.unitId)}`)
  if (filter.newcomerOverdue !== undefined) where.push(`j.newcomer_overdue = $${params.push(filter.newcomerOverdue)}`)
  if (after !== undefined) {
    const c = decode(after)
    where.push(`(j.unit_id, j.employee_id) > ($${params.push(c.u)}, $${params.push(c.e)})`)
  }
  const { rows } = await pool.query(
    `${JUDGED}
     SELECT j.employee_id, j.name, j.unit_id, j.joined_on::text, j.unit_since::text, j.departed_on::text, j.completions,
            j.yearly_met, j.newcomer_overdue, j.newcomer_due_on::text
       FROM judged j WHERE ${where.join(' AND ')} ORDER BY j.unit_id, j.employee_id LIMIT $${params.push(first + 1)}`, params)
  const items = rows.slice(0, first).map((r) => ({
    employeeId: r.employee_id as string, name: r.name as string, unitId: r.unit_id as string, joinedOn: r.joined_on as string, unitSince: r.unit_since as string,
    departedOn: r.departed_on as string | null, completions: r.completions as number, required: rules.trainingsPerFiscalYear,
    yearlyMet: r.yearly_met as boolean, newcomerOverdue: r.newcomer_overdue as boolean, newcomerDueOn: r.newcomer_due_on as string | null,
  }))
  return { items, hasNextPage: rows.length > first, cursors: items.map((i) => encode(i.unitId, i.employeeId)) } satisfies Page<unknown>
}
export type UncoveredDto = Awaited<ReturnType<typeof uncoveredEmployees>>['items'][number]

/**
 * Employees in scope for the fiscal year who, as of `asOf`, have not completed the trainings required each year,
 * leaving out those in the agency for less than the newcomer period of it (they were not yet due); by id.
 */
export async function employeesShortOfTraining(pool: pg.Pool, a: CoverageArgs): Promise<string[]> {
  const { params } = await judgedParams(pool, a)
  const { rows } = await pool.query<{ employee_id: string }>(
    `${JUDGED}
     SELECT j.employee_id FROM judged j
      WHERE NOT j.yearly_met
        AND (greatest(j.joined_on, $3::date) + make_interval(months => $7::int))::date <= least(coalesce(j.departed_on, $4::date), $4::date)
      ORDER BY j.employee_id`, params)
  return rows.map((r) => r.employee_id)
}
