// Queries of system use (Art. 22): the published versions of the usage rules (newest first; the current
// one is the version in force today: the latest published whose effectiveFrom is on or before today's
// Japan date; later ones are upcoming), and how far the version in force is acknowledged: per unit, and
// the employees (in the agency today, Japan time) who have not acknowledged it, paged by unit then
// employee. Units and employees come from the organisation read model.
import type pg from 'pg'
import { z } from 'zod'
import { InvalidCursorError, type Page } from './incident-queries.js'

function decoder<T extends z.ZodType>(schema: T) {
  return (cursor: string): z.output<T> => {
    try {
      const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
      if (parsed.success) return parsed.data
    } catch { /* not JSON: fall through */ }
    throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
  }
}
const encode = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url')

interface RulesRow {
  agency_id: string; version: string; title: string; summary: string; document_ref: string | null; effective_from: string; supersedes: string | null
  published_by: string; published_at: Date; position: number; current: boolean; upcoming: boolean; acknowledgements: number
}
const toRulesDto = (r: RulesRow) => ({
  agencyId: r.agency_id, version: r.version, title: r.title, summary: r.summary, documentRef: r.document_ref, effectiveFrom: r.effective_from, supersedes: r.supersedes,
  publishedBy: r.published_by, publishedAt: r.published_at.toISOString(), current: r.current, upcoming: r.upcoming, acknowledgements: r.acknowledgements, position: r.position,
})
export type UsageRulesDto = ReturnType<typeof toRulesDto>

/** $today: the Japan date the version in force is decided on (always the second parameter). */
const RULES_SELECT = `SELECT r.agency_id, r.version, r.title, r.summary, r.document_ref, r.effective_from::text, r.supersedes, r.published_by, r.published_at, r.position,
    COALESCE(r.position = (SELECT max(position) FROM usage_rules m WHERE m.agency_id = r.agency_id AND m.effective_from <= $2::date), false) AS current,
    r.effective_from > $2::date AS upcoming,
    (SELECT count(*) FROM usage_rule_acknowledgements a WHERE a.agency_id = r.agency_id AND a.version = r.version)::int AS acknowledgements
  FROM usage_rules r`
const decodePosition = decoder(z.object({ p: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }))

/** Every version, newest first, flagged current (in force on `today`) or upcoming; keyset on the agency position it was published at. */
export async function listUsageRules(pool: pg.Pool, agencyId: string, today: string, first: number, after?: string): Promise<Page<UsageRulesDto>> {
  const params: unknown[] = [agencyId, today]
  const where = ['r.agency_id = $1']
  if (after !== undefined) where.push(`r.position < $${params.push(decodePosition(after).p)}`)
  const { rows } = await pool.query<RulesRow>(`${RULES_SELECT} WHERE ${where.join(' AND ')} ORDER BY r.position DESC LIMIT $${params.push(first + 1)}`, params)
  const items = rows.slice(0, first).map(toRulesDto)
  return { items, hasNextPage: rows.length > first, cursors: items.map((r) => encode({ p: r.position })) }
}

/** The version in force on `today`: the latest published whose effectiveFrom is on or before it. */
export async function currentUsageRules(pool: pg.Pool, agencyId: string, today: string): Promise<UsageRulesDto | undefined> {
  const { rows } = await pool.query<RulesRow>(`${RULES_SELECT} WHERE r.agency_id = $1 AND r.effective_from <= $2::date ORDER BY r.position DESC LIMIT 1`, [agencyId, today])
  return rows[0] && toRulesDto(rows[0])
}

/**
 * $1 agency, $2 today: employees in the agency today, whether they acknowledged the version in force
 * today, and the latest version they acknowledged at all.
 */
const STAFF = `
  WITH cur AS (SELECT version FROM usage_rules WHERE agency_id = $1 AND effective_from <= $2::date ORDER BY position DESC LIMIT 1),
  staff AS (
    SELECT e.employee_id, e.name, e.unit_id, e.joined_on,
           EXISTS (SELECT 1 FROM usage_rule_acknowledgements a JOIN cur ON cur.version = a.version WHERE a.agency_id = $1 AND a.employee_id = e.employee_id) AS acknowledged,
           (SELECT a.version FROM usage_rule_acknowledgements a WHERE a.agency_id = $1 AND a.employee_id = e.employee_id ORDER BY a.position DESC LIMIT 1) AS last_version
      FROM employees e
     WHERE e.agency_id = $1 AND e.joined_on <= $2::date AND (e.departed_on IS NULL OR e.departed_on >= $2::date)
  )`

const ratio = (done: number, of: number) => (of === 0 ? null : done / of)

/** Coverage of the version in force today per unit (every unit of the agency) and for the agency; nothing is pending while no version is in force. */
export async function usageRulesCoverage(pool: pg.Pool, agencyId: string, today: string) {
  const [current, units] = await Promise.all([
    currentUsageRules(pool, agencyId, today),
    pool.query<{ unit_id: string; name: string; employees: number; acknowledged: number }>(
      `${STAFF}
       SELECT u.unit_id, u.name, count(s.employee_id)::int AS employees, (count(*) FILTER (WHERE s.acknowledged))::int AS acknowledged
         FROM units u LEFT JOIN staff s ON s.unit_id = u.unit_id
        WHERE u.agency_id = $1 GROUP BY u.unit_id, u.name ORDER BY u.unit_id`, [agencyId, today]),
  ])
  const rows = units.rows.map((u) => ({
    unitId: u.unit_id, name: u.name, employees: u.employees, acknowledged: u.acknowledged,
    pending: current ? u.employees - u.acknowledged : 0, coverage: current ? ratio(u.acknowledged, u.employees) : null,
  }))
  const employees = rows.reduce((n, u) => n + u.employees, 0)
  const acknowledged = rows.reduce((n, u) => n + u.acknowledged, 0)
  return {
    agencyId, asOf: today, current: current ?? null,
    total: { employees, acknowledged, pending: current ? employees - acknowledged : 0, coverage: current ? ratio(acknowledged, employees) : null },
    units: rows,
  }
}
export type UsageRulesCoverageDto = Awaited<ReturnType<typeof usageRulesCoverage>>

const decodeStaff = decoder(z.object({ u: z.string().max(100), e: z.string().max(100) }))

/** Employees in the agency today who have not acknowledged the version in force (none while no version is in force). */
export async function pendingAcknowledgements(pool: pg.Pool, agencyId: string, today: string, filter: { unitId?: string | undefined }, first: number, after?: string) {
  const params: unknown[] = [agencyId, today]
  const where = ['NOT s.acknowledged', 'EXISTS (SELECT 1 FROM cur)']
  if (filter.unitId !== undefined) where.push(`s.unit_id = $${params.push(filter.unitId)}`)
  if (after !== undefined) {
    const c = decodeStaff(after)
    where.push(`(s.unit_id, s.employee_id) > ($${params.push(c.u)}, $${params.push(c.e)})`)
  }
  const { rows } = await pool.query<{ employee_id: string; name: string; unit_id: string; joined_on: string; last_version: string | null }>(
    `${STAFF}
     SELECT s.employee_id, s.name, s.unit_id, s.joined_on::text, s.last_version FROM staff s
      WHERE ${where.join(' AND ')} ORDER BY s.unit_id, s.employee_id LIMIT $${params.push(first + 1)}`, params)
  const items = rows.slice(0, first).map((r) => ({ employeeId: r.employee_id, name: r.name, unitId: r.unit_id, joinedOn: r.joined_on, lastAcknowledgedVersion: r.last_version }))
  return { items, hasNextPage: rows.length > first, cursors: items.map((i) => encode({ u: i.unitId, e: i.employeeId })) } satisfies Page<unknown>
}
export type PendingAcknowledgementDto = Awaited<ReturnType<typeof pendingAcknowledgements>>['items'][number]
