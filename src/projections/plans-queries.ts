// Queries of the promotion plan read model (REST and GraphQL) and its public shape.
import type pg from 'pg'
import { z } from 'zod'
import { InvalidCursorError, type Page } from './incident-queries.js'

interface PlanRow {
  agency_id: string; fiscal_year: number; title: string; established_by: string; established_at: Date | string
  last_position: string | number; version: number; reviews: Review[]; last_reviewed_at: Date | string | null
  item_count: number; done_count: number; overdue_count: number
}
interface ItemRow {
  item_id: string; title: string; owner_id: string; due_on: string; article: number | null; status: string; percent: number
  progress: Progress[]; updated_at: Date | string
}
interface Review { outcome: string; notes: string; by: string; at: string }
interface Progress { status: string; percent: number; note: string | null; by: string; at: string }

const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : v)

/** The plan's columns and item counts; `today` is the placeholder of the date overdue is judged on. */
const PLAN_COLUMNS = (today: string) => `p.*,
  (SELECT count(*) FROM plan_items i WHERE i.agency_id = p.agency_id AND i.fiscal_year = p.fiscal_year)::int AS item_count,
  (SELECT count(*) FROM plan_items i WHERE i.agency_id = p.agency_id AND i.fiscal_year = p.fiscal_year AND i.status = 'DONE')::int AS done_count,
  (SELECT count(*) FROM plan_items i WHERE i.agency_id = p.agency_id AND i.fiscal_year = p.fiscal_year AND i.status NOT IN ('DONE', 'DEFERRED') AND i.due_on < ${today}::date)::int AS overdue_count`

function toPlanSummary(r: PlanRow) {
  return {
    agencyId: r.agency_id, fiscalYear: r.fiscal_year, title: r.title, establishedBy: r.established_by, establishedAt: iso(r.established_at),
    version: r.version, position: Number(r.last_position), lastReviewedAt: r.last_reviewed_at === null ? null : iso(r.last_reviewed_at),
    reviews: r.reviews, itemCount: r.item_count, doneCount: r.done_count, overdueCount: r.overdue_count,
  }
}
export type PlanSummaryDto = ReturnType<typeof toPlanSummary>

const toItem = (today: string) => (r: ItemRow) => ({
  itemId: r.item_id, title: r.title, ownerId: r.owner_id, dueOn: r.due_on, article: r.article, status: r.status, percent: r.percent,
  overdue: r.status !== 'DONE' && r.status !== 'DEFERRED' && r.due_on < today, updatedAt: iso(r.updated_at), progress: r.progress,
})

/** One plan with its items (by due date), as of `today` for the overdue flags. */
export async function getPlan(pool: pg.Pool, agencyId: string, fiscalYear: number, today: string) {
  const [plan, items] = await Promise.all([
    pool.query<PlanRow>(`SELECT ${PLAN_COLUMNS('$3')} FROM plans p WHERE p.agency_id = $1 AND p.fiscal_year = $2`, [agencyId, fiscalYear, today]),
    pool.query<ItemRow>(
      `SELECT item_id, title, owner_id, due_on::text, article, status, percent, progress, updated_at
         FROM plan_items WHERE agency_id = $1 AND fiscal_year = $2 ORDER BY due_on, item_id`, [agencyId, fiscalYear]),
  ])
  const row = plan.rows[0]
  return row && { ...toPlanSummary(row), items: items.rows.map(toItem(today)) }
}
export type PlanDto = NonNullable<Awaited<ReturnType<typeof getPlan>>>

export interface PlanFilter { fiscalYear?: number | undefined; ownerId?: string | undefined }

const Cursor = z.object({ y: z.number().int(), a: z.string().max(100) })
const encode = (r: PlanRow) => Buffer.from(JSON.stringify({ y: r.fiscal_year, a: r.agency_id })).toString('base64url')
function decode(cursor: string): z.infer<typeof Cursor> {
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.success) return parsed.data
  } catch { /* fall through */ }
  throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
}

/** Plans of the agencies given, newest fiscal year first; keyset on (fiscal_year desc, agency_id). */
export async function listPlans(pool: pg.Pool, agencyIds: readonly string[], filter: PlanFilter, today: string, first: number, after?: string): Promise<Page<PlanSummaryDto>> {
  const params: unknown[] = [agencyIds, today]
  const where = ['p.agency_id = ANY($1::text[])']
  if (filter.fiscalYear !== undefined) where.push(`p.fiscal_year = $${params.push(filter.fiscalYear)}`)
  if (filter.ownerId !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM plan_items i WHERE i.agency_id = p.agency_id AND i.fiscal_year = p.fiscal_year AND i.owner_id = $${params.push(filter.ownerId)})`)
  }
  if (after !== undefined) {
    const c = decode(after)
    where.push(`(p.fiscal_year < $${params.push(c.y)} OR (p.fiscal_year = $${params.length} AND p.agency_id > $${params.push(c.a)}))`)
  }
  const { rows } = await pool.query<PlanRow>(
    `SELECT ${PLAN_COLUMNS('$2')} FROM plans p WHERE ${where.join(' AND ')} ORDER BY p.fiscal_year DESC, p.agency_id LIMIT $${params.push(first + 1)}`, params)
  const page = rows.slice(0, first)
  return { items: page.map(toPlanSummary), hasNextPage: rows.length > first, cursors: page.map(encode) }
}
