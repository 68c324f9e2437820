// Queries of the risks read model: one risk, and a keyset-paged list ordered by review date (soonest
// first). The level is derived by the domain; filtering by level asks for its likelihood × impact pairs.
import type pg from 'pg'
import { z } from 'zod'
import { pairsOfLevel, riskLevel, type RiskRating } from '../domain/risk/commands.js'
import { InvalidCursorError, type Page } from './incident-queries.js'

export interface RiskFilter {
  level?: RiskRating[] | undefined
  /** Active risks whose review date has passed (before `today`). */
  overdue?: boolean | undefined
  /** true: only retired; false: only active; absent: both. */
  retired?: boolean | undefined
  systemId?: string | undefined
}

interface RiskRow {
  agency_id: string; risk_id: string; title: string; threat: string; likelihood: RiskRating; impact: RiskRating; measures: string[]
  review_by: string; system_id: string | null; asset_id: string | null; retired: boolean; retire_reason: string | null
  assessed_by: string; assessed_at: Date | string; updated_by: string; updated_at: Date | string; reassessments: number; version: number; last_position: number | string
}

const COLUMNS = `agency_id, risk_id, title, threat, likelihood, impact, measures, review_by::text AS review_by, system_id, asset_id, retired, retire_reason,
  assessed_by, assessed_at, updated_by, updated_at, reassessments, version, last_position`

const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : v)

/** The public shape of a risk (REST and GraphQL); `today` decides whether its review is overdue. */
export function toRiskDto(r: RiskRow, today: string) {
  return {
    id: r.risk_id, agencyId: r.agency_id, title: r.title, threat: r.threat, likelihood: r.likelihood, impact: r.impact,
    level: riskLevel(r.likelihood, r.impact), measures: r.measures, reviewBy: r.review_by, reviewOverdue: !r.retired && r.review_by < today,
    systemId: r.system_id, assetId: r.asset_id, status: r.retired ? 'RETIRED' : 'ACTIVE', retireReason: r.retire_reason,
    assessedBy: r.assessed_by, assessedAt: iso(r.assessed_at), updatedBy: r.updated_by, updatedAt: iso(r.updated_at),
    reassessments: r.reassessments, version: r.version, position: Number(r.last_position),
  }
}
export type RiskDto = ReturnType<typeof toRiskDto>

export async function getRisk(pool: pg.Pool, agencyIds: readonly string[], riskId: string): Promise<RiskRow | undefined> {
  const { rows } = await pool.query<RiskRow>(`SELECT ${COLUMNS} FROM risks WHERE agency_id = ANY($1::text[]) AND risk_id = $2`, [agencyIds, riskId])
  return rows[0]
}

const Cursor = z.object({ r: z.iso.date(), a: z.string().max(100), i: z.string().max(100) })
type Cursor = z.infer<typeof Cursor>
const encodeCursor = (r: RiskRow) => Buffer.from(JSON.stringify({ r: r.review_by, a: r.agency_id, i: r.risk_id } satisfies Cursor)).toString('base64url')

function decodeCursor(cursor: string): Cursor {
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.success) return parsed.data
  } catch { /* not JSON: fall through */ }
  throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
}

/** Soonest review first; keyset pagination on (review_by, agency_id, risk_id). */
export async function listRisks(pool: pg.Pool, agencyIds: readonly string[], filter: RiskFilter, today: string, first: number, after?: string): Promise<Page<RiskRow>> {
  const params: unknown[] = [agencyIds]
  const where = ['agency_id = ANY($1::text[])']
  const p = (value: unknown) => `$${params.push(value)}`
  if (filter.level?.length) {
    const pairs = filter.level.flatMap(pairsOfLevel)
    where.push(`(likelihood, impact) IN (SELECT * FROM unnest(${p(pairs.map((x) => x[0]))}::text[], ${p(pairs.map((x) => x[1]))}::text[]))`)
  }
  if (filter.retired !== undefined) where.push(`retired = ${p(filter.retired)}`)
  if (filter.overdue !== undefined) where.push(`${filter.overdue ? '' : 'NOT '}(NOT retired AND review_by < ${p(today)}::date)`)
  if (filter.systemId !== undefined) where.push(`system_id = ${p(filter.systemId)}`)
  if (after !== undefined) {
    const c = decodeCursor(after)
    where.push(`(review_by, agency_id, risk_id) > (${p(c.r)}::date, ${p(c.a)}, ${p(c.i)})`)
  }
  const { rows } = await pool.query<RiskRow>(
    `SELECT ${COLUMNS} FROM risks WHERE ${where.join(' AND ')} ORDER BY review_by, agency_id, risk_id LIMIT ${p(first + 1)}`, params)
  const items = rows.slice(0, first)
  return { items, hasNextPage: rows.length > first, cursors: items.map(encodeCursor) }
}
