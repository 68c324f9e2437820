// Queries of the organisation read models: the chart with today's role holders, who may do what,
// employees and role assignments as keyset-paged lists.
import type pg from 'pg'
import { z } from 'zod'
import { commandRoles, ANY, SYSTEM } from '../domain/shared/authorization.js'
import type { Role } from '../domain/shared/roles.js'
import type { Scope } from '../domain/shared/scope.js'
import { settingsOf } from '../domain/shared/settings.js'
import type { Page } from './incident-queries.js'
import { InvalidCursorError } from './incident-queries.js'

export interface RoleHolder {
  assignmentId: string | null
  employeeId: string
  name: string | null
  unitId: string | null
  role: Role
  scope: Scope
  from: string
  to: string | null
  /** Set when the role is exercised through a delegation. */
  delegationId: string | null
}

/** Employed on the day: only then does anyone hold a role (see application/tokens.ts). */
const EMPLOYED = (alias: string) => `${alias}.joined_on <= $2::date AND (${alias}.departed_on IS NULL OR ${alias}.departed_on >= $2::date)`
const HOLDERS_TODAY = `
  SELECT a.assignment_id, a.employee_id, e.name, e.unit_id, a.role, a.scope, a.valid_from::text AS "from", a.valid_to::text AS "to", NULL::text AS delegation_id
    FROM role_assignments a JOIN employees e ON e.agency_id = a.agency_id AND e.employee_id = a.employee_id
   WHERE a.agency_id = $1 AND a.valid_from <= $2::date AND (a.valid_to IS NULL OR a.valid_to >= $2::date) AND ${EMPLOYED('e')}
  UNION ALL
  SELECT NULL, d.delegate_id, e.name, e.unit_id, a.role, a.scope, d.valid_from::text, d.valid_to::text, d.delegation_id
    FROM delegations d
    JOIN role_assignments a ON a.agency_id = d.agency_id AND a.employee_id = d.delegator_id AND a.role = d.role
     AND a.valid_from <= $2::date AND (a.valid_to IS NULL OR a.valid_to >= $2::date)
    JOIN employees e ON e.agency_id = d.agency_id AND e.employee_id = d.delegate_id
    JOIN employees g ON g.agency_id = d.agency_id AND g.employee_id = d.delegator_id
   WHERE d.agency_id = $1 AND d.valid_from <= $2::date AND d.valid_to >= $2::date AND ${EMPLOYED('e')} AND ${EMPLOYED('g')}`

interface HolderRow { assignment_id: string | null; employee_id: string; name: string | null; unit_id: string | null; role: Role; scope: Scope; from: string; to: string | null; delegation_id: string | null }
const toHolder = (r: HolderRow): RoleHolder => ({
  assignmentId: r.assignment_id, employeeId: r.employee_id, name: r.name, unitId: r.unit_id, role: r.role, scope: r.scope, from: r.from, to: r.to, delegationId: r.delegation_id,
})

/** Everyone holding a role in the agency on `date` (assignments and delegations). */
export async function roleHoldersOn(pool: pg.Pool, agencyId: string, date: string): Promise<RoleHolder[]> {
  const { rows } = await pool.query<HolderRow>(`${HOLDERS_TODAY} ORDER BY 5, 2`, [agencyId, date])
  return rows.map(toHolder)
}

export interface OrganisationChart {
  agency: { id: string; name: string; kind: string; parentId: string | null; settings: unknown }
  units: { id: string; name: string; parentUnitId: string | null; employeeCount: number; holders: RoleHolder[] }[]
  agencyRoles: RoleHolder[]
  areas: { id: string; name: string; unitId: string | null; measures: string[]; measuresRecordedAt: string; officers: RoleHolder[] }[]
  committee: { id: string; name: string; mandate: string; chairId: string; memberIds: string[]; from: string } | null
}

export async function organisationChart(pool: pg.Pool, agencyId: string, date: string): Promise<OrganisationChart | undefined> {
  const [agency, units, areas, committee, holders] = await Promise.all([
    pool.query('SELECT agency_id, name, kind, parent_id, settings FROM agencies WHERE agency_id = $1', [agencyId]),
    pool.query(`SELECT u.unit_id, u.name, u.parent_unit_id,
                       (SELECT count(*) FROM employees e WHERE e.agency_id = u.agency_id AND e.unit_id = u.unit_id AND ${EMPLOYED('e')})::int AS employee_count
                  FROM units u WHERE u.agency_id = $1 ORDER BY u.unit_id`, [agencyId, date]),
    pool.query('SELECT area_id, name, unit_id, measures, measures_recorded_at FROM areas WHERE agency_id = $1 ORDER BY area_id', [agencyId]),
    pool.query('SELECT committee_id, name, mandate, chair_id, member_ids, valid_from::text AS from FROM committees WHERE agency_id = $1 ORDER BY organized_at DESC LIMIT 1', [agencyId]),
    roleHoldersOn(pool, agencyId, date),
  ])
  const a = agency.rows[0]
  if (!a) return undefined
  const c = committee.rows[0]
  return {
    agency: { id: a.agency_id, name: a.name, kind: a.kind, parentId: a.parent_id, settings: settingsOf(a.settings) },
    units: units.rows.map((u) => ({
      id: u.unit_id, name: u.name, parentUnitId: u.parent_unit_id, employeeCount: u.employee_count,
      holders: holders.filter((h) => h.scope.kind === 'UNIT' && h.scope.unitId === u.unit_id),
    })),
    agencyRoles: holders.filter((h) => h.scope.kind === 'AGENCY' || h.scope.kind === 'CLAUSES' || h.scope.kind === 'SYSTEM'),
    areas: areas.rows.map((r) => ({
      id: r.area_id, name: r.name, unitId: r.unit_id, measures: r.measures, measuresRecordedAt: r.measures_recorded_at.toISOString(),
      officers: holders.filter((h) => h.scope.kind === 'AREA' && h.scope.areaId === r.area_id),
    })),
    committee: c ? { id: c.committee_id, name: c.name, mandate: c.mandate, chairId: c.chair_id, memberIds: c.member_ids, from: c.from } : null,
  }
}

export interface Authority { command: string; roles: Role[] | 'ANY'; holders: RoleHolder[] }

/** Who may issue each command today (the rules table joined with today's role holders). */
export async function authorityOn(pool: pg.Pool, agencyId: string, date: string, command?: string): Promise<Authority[]> {
  const holders = await roleHoldersOn(pool, agencyId, date)
  return Object.entries(commandRoles)
    .filter(([type, roles]) => roles !== SYSTEM && (command === undefined || type === command))
    .map(([type, roles]) => roles === ANY
      ? { command: type, roles: 'ANY' as const, holders: [] }
      : { command: type, roles: [...roles] as Role[], holders: holders.filter((h) => (roles as readonly Role[]).includes(h.role)) })
}

const KeyCursor = z.object({ k: z.string().max(200) })
const encode = (k: string) => Buffer.from(JSON.stringify({ k })).toString('base64url')
function decode(cursor: string): string {
  try {
    const parsed = KeyCursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.success) return parsed.data.k
  } catch { /* fall through */ }
  throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
}

export interface EmployeeView { id: string; name: string; unitId: string; joinedOn: string; unitSince: string; departedOn: string | null }

export async function listEmployees(pool: pg.Pool, agencyId: string, filter: { unitId?: string | undefined; activeOn?: string | undefined }, first: number, after?: string): Promise<Page<EmployeeView>> {
  const params: unknown[] = [agencyId, after === undefined ? '' : decode(after), first + 1]
  const where = ['agency_id = $1', 'employee_id > $2']
  if (filter.unitId !== undefined) where.push(`unit_id = $${params.push(filter.unitId)}`)
  if (filter.activeOn !== undefined) where.push(`joined_on <= $${params.push(filter.activeOn)}::date AND (departed_on IS NULL OR departed_on >= $${params.length}::date)`)
  const { rows } = await pool.query(
    `SELECT employee_id, name, unit_id, joined_on::text, unit_since::text, departed_on::text FROM employees WHERE ${where.join(' AND ')} ORDER BY employee_id LIMIT $3`, params)
  const items = rows.slice(0, first).map((r) => ({ id: r.employee_id, name: r.name, unitId: r.unit_id, joinedOn: r.joined_on, unitSince: r.unit_since, departedOn: r.departed_on }))
  return { items, hasNextPage: rows.length > first, cursors: items.map((e) => encode(e.id)) }
}

export interface AssignmentFilter { role?: Role[] | undefined; employeeId?: string | undefined; activeOn?: string | undefined }

export async function listRoleAssignments(pool: pg.Pool, agencyId: string, filter: AssignmentFilter, first: number, after?: string): Promise<Page<RoleHolder & { endReason: string | null }>> {
  const params: unknown[] = [agencyId, after === undefined ? '' : decode(after), first + 1]
  const where = ['a.agency_id = $1', 'a.assignment_id > $2']
  if (filter.role?.length) where.push(`a.role = ANY($${params.push(filter.role)}::text[])`)
  if (filter.employeeId !== undefined) where.push(`a.employee_id = $${params.push(filter.employeeId)}`)
  if (filter.activeOn !== undefined) where.push(`a.valid_from <= $${params.push(filter.activeOn)}::date AND (a.valid_to IS NULL OR a.valid_to >= $${params.length}::date)`)
  const { rows } = await pool.query(
    `SELECT a.assignment_id, a.employee_id, e.name, e.unit_id, a.role, a.scope, a.valid_from::text AS "from", a.valid_to::text AS "to", NULL AS delegation_id, a.end_reason
       FROM role_assignments a LEFT JOIN employees e ON e.agency_id = a.agency_id AND e.employee_id = a.employee_id
      WHERE ${where.join(' AND ')} ORDER BY a.assignment_id LIMIT $3`, params)
  const items = rows.slice(0, first).map((r) => ({ ...toHolder(r), endReason: r.end_reason }))
  return { items, hasNextPage: rows.length > first, cursors: items.map((a) => encode(a.assignmentId ?? '')) }
}

export interface DelegationFilter { delegateId?: string | undefined; delegatorId?: string | undefined; activeOn?: string | undefined }
export interface DelegationView { id: string; delegatorId: string; delegateId: string; task: string; role: string | null; from: string; to: string; endReason: string | null }

/** Delegations, paged by id. */
export async function listDelegations(pool: pg.Pool, agencyId: string, filter: DelegationFilter = {}, first = 200, after?: string): Promise<Page<DelegationView>> {
  const params: unknown[] = [agencyId, after === undefined ? '' : decode(after), first + 1]
  const where = ['agency_id = $1', 'delegation_id > $2']
  if (filter.delegateId !== undefined) where.push(`delegate_id = $${params.push(filter.delegateId)}`)
  if (filter.delegatorId !== undefined) where.push(`delegator_id = $${params.push(filter.delegatorId)}`)
  if (filter.activeOn !== undefined) where.push(`valid_from <= $${params.push(filter.activeOn)}::date AND valid_to >= $${params.length}::date`)
  const { rows } = await pool.query(
    `SELECT delegation_id, delegator_id, delegate_id, task, role, valid_from::text AS "from", valid_to::text AS "to", end_reason
       FROM delegations WHERE ${where.join(' AND ')} ORDER BY delegation_id LIMIT $3`, params)
  const items = rows.slice(0, first).map((r) => ({ id: r.delegation_id, delegatorId: r.delegator_id, delegateId: r.delegate_id, task: r.task, role: r.role, from: r.from, to: r.to, endReason: r.end_reason }))
  return { items, hasNextPage: rows.length > first, cursors: items.map((d) => encode(d.id)) }
}
