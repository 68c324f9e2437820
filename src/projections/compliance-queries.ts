// Reads of the compliance read model: an agency's status per article now or as of an instant (the last
// history row at or before it, so a past status is shown exactly as it was), per own-standards item, the
// national organ's roll-up, and the history of changes (keyset on position).
import type pg from 'pg'
import { articlesOfItem, complianceRules, worstStatus, type ArticleStatus, type ComplianceStatus, type ExceptionRef, type Reason } from '../domain/compliance/rules.js'
import { InvalidCursorError, type Page } from './incident-queries.js'

export interface ArticleComplianceDto {
  article: number
  title: string
  standards: readonly string[]
  status: ComplianceStatus
  reasons: Reason[]
  exceptions: ExceptionRef[]
  /** When the status (with these reasons) began: the event that changed it. */
  since: string | null
  sincePosition: number | null
}
export type StatusCounts = Record<'compliant' | 'nonCompliant' | 'exceptionApproved' | 'notApplicable' | 'unknown', number>
export interface StandardsItemComplianceDto { itemId: string; title: string; covers: string[]; articles: number[]; status: ComplianceStatus }
export interface AgencyComplianceDto {
  agencyId: string
  /** The instant the status is for (now, or the asOf asked). */
  asOf: string
  /** The last agency position the status reflects. */
  position: number
  articles: ArticleComplianceDto[]
  standardsVersion: string | null
  standardsEdition: string | null
  standardsItems: StandardsItemComplianceDto[]
  counts: StatusCounts
}

interface StatusRow { article: number; status: ComplianceStatus; reasons: Reason[]; exceptions: ExceptionRef[]; position: string; recorded_at: Date }

const countKey: Record<ComplianceStatus, keyof StatusCounts> = {
  COMPLIANT: 'compliant', NON_COMPLIANT: 'nonCompliant', EXCEPTION_APPROVED: 'exceptionApproved', NOT_APPLICABLE: 'notApplicable', UNKNOWN: 'unknown',
}
export function countStatuses(statuses: readonly ComplianceStatus[]): StatusCounts {
  const counts: StatusCounts = { compliant: 0, nonCompliant: 0, exceptionApproved: 0, notApplicable: 0, unknown: 0 }
  for (const s of statuses) counts[countKey[s]]++
  return counts
}

const noEvidence: ArticleStatus = { status: 'UNKNOWN', reasons: [{ code: 'NO_EVIDENCE', message: 'nothing was recorded for the agency by then' }], exceptions: [] }

/**
 * The history position an instant cuts the log at: the last change recorded at or before it. Reading every
 * article at or before one position (not each article's last row by time) never mixes states: times are
 * taken before the agency's head lock, so they need not grow with positions.
 */
async function cutAt(pool: pg.Pool, agencyId: string, asOf: string): Promise<number> {
  const { rows } = await pool.query<{ position: string | null }>(
    `SELECT max(position) AS position FROM compliance_history WHERE agency_id = $1 AND recorded_at <= $2::timestamptz`, [agencyId, asOf])
  return Number(rows[0]?.position ?? 0)
}

async function statusRows(pool: pg.Pool, agencyId: string, cut: number | undefined): Promise<StatusRow[]> {
  if (cut === undefined) {
    const { rows } = await pool.query<StatusRow>(
      `SELECT article, status, reasons, exceptions, since_position AS position, since_at AS recorded_at FROM compliance_status WHERE agency_id = $1`, [agencyId])
    return rows
  }
  const { rows } = await pool.query<StatusRow>(
    `SELECT DISTINCT ON (article) article, status, reasons, exceptions, position, recorded_at
       FROM compliance_history WHERE agency_id = $1 AND position <= $2
      ORDER BY article, position DESC`, [agencyId, cut])
  return rows
}

/** The own standards in force at the instant (latest StandardsAdopted of the policy stream). */
async function standardsAt(pool: pg.Pool, agencyId: string, asOf: string): Promise<{ version: string; edition: string; items: { itemId: string; title: string; covers: string[] }[] } | undefined> {
  const { rows } = await pool.query<{ data: { version: string; edition: string; items: { itemId: string; title: string; covers: string[] }[] } }>(
    `SELECT data FROM events WHERE agency_id = $1 AND stream_id = 'policy' AND event_type = 'StandardsAdopted' AND recorded_at <= $2::timestamptz
      ORDER BY stream_version DESC LIMIT 1`, [agencyId, asOf])
  return rows[0]?.data
}

/** The agency's status per article (3–22) now, or as of `asOf`, with its own-standards items. */
export async function agencyCompliance(pool: pg.Pool, agencyId: string, now: string, asOf?: string): Promise<AgencyComplianceDto> {
  const at = asOf ?? now
  const cut = asOf === undefined ? undefined : await cutAt(pool, agencyId, asOf)
  const [rows, standards, head] = await Promise.all([
    statusRows(pool, agencyId, cut),
    standardsAt(pool, agencyId, at),
    cut !== undefined
      ? cut
      : pool.query<{ position: string }>(`SELECT position FROM compliance_evidence WHERE agency_id = $1`, [agencyId]).then((r) => Number(r.rows[0]?.position ?? 0)),
  ])
  const byArticle = new Map(rows.map((r) => [r.article, r]))
  const articles = complianceRules.map((rule): ArticleComplianceDto => {
    const r = byArticle.get(rule.article)
    const s = r ?? { ...noEvidence, position: null, recorded_at: null }
    return {
      article: rule.article, title: rule.title, standards: rule.standards, status: s.status, reasons: s.reasons, exceptions: s.exceptions,
      since: r ? r.recorded_at.toISOString() : null, sincePosition: r ? Number(r.position) : null,
    }
  })
  const statusOf = new Map(articles.map((a) => [a.article, a.status]))
  const standardsItems = (standards?.items ?? []).map((item) => {
    const mapped = articlesOfItem(item.covers)
    return { itemId: item.itemId, title: item.title, covers: item.covers, articles: mapped, status: mapped.length === 0 ? 'UNKNOWN' as const : worstStatus(mapped.map((a) => statusOf.get(a) ?? 'UNKNOWN')) }
  })
  return {
    agencyId, asOf: at, position: head, articles,
    standardsVersion: standards?.version ?? null, standardsEdition: standards?.edition ?? null, standardsItems,
    counts: countStatuses(articles.map((a) => a.status)),
  }
}

export interface ArticleRollupDto { article: number; title: string; status: ComplianceStatus; counts: StatusCounts; nonCompliantAgencies: string[] }

/** Several agencies (a national organ and the bodies under it), with a summary per article. */
export async function complianceRollup(pool: pg.Pool, agencyIds: readonly string[], now: string, asOf?: string) {
  const agencies = await Promise.all([...agencyIds].sort().map((a) => agencyCompliance(pool, a, now, asOf)))
  const articles: ArticleRollupDto[] = complianceRules.map((rule) => {
    const of = agencies.map((a) => ({ agencyId: a.agencyId, status: a.articles.find((x) => x.article === rule.article)?.status ?? 'UNKNOWN' as ComplianceStatus }))
    return {
      article: rule.article, title: rule.title, status: worstStatus(of.map((o) => o.status)), counts: countStatuses(of.map((o) => o.status)),
      nonCompliantAgencies: of.filter((o) => o.status === 'NON_COMPLIANT').map((o) => o.agencyId),
    }
  })
  return { asOf: asOf ?? now, agencies, articles }
}

export interface ComplianceChangeDto {
  agencyId: string; article: number; title: string; position: number; recordedAt: string; status: ComplianceStatus; previousStatus: ComplianceStatus | null
  reasons: Reason[]; exceptions: ExceptionRef[]; eventType: string
}
interface HistoryRow { agency_id: string; article: number; position: string; recorded_at: Date; status: ComplianceStatus; previous_status: ComplianceStatus | null; reasons: Reason[]; exceptions: ExceptionRef[]; event_type: string }

const titleOf = new Map(complianceRules.map((r) => [r.article, r.title]))
export function toChangeDto(r: HistoryRow): ComplianceChangeDto {
  return {
    agencyId: r.agency_id, article: r.article, title: titleOf.get(r.article) ?? '', position: Number(r.position), recordedAt: r.recorded_at.toISOString(),
    status: r.status, previousStatus: r.previous_status, reasons: r.reasons, exceptions: r.exceptions, eventType: r.event_type,
  }
}

export interface HistoryFilter { article?: number | undefined; from?: string | undefined; to?: string | undefined }

/** Changes of one agency's statuses in log order; cursor = "<position>:<article>". */
export async function complianceHistory(pool: pg.Pool, agencyId: string, filter: HistoryFilter, first: number, after?: string): Promise<Page<ComplianceChangeDto>> {
  const params: unknown[] = [agencyId]
  const where = ['agency_id = $1']
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value)
    where.push(clause(`$${params.length}`))
  }
  if (filter.article !== undefined) add((p) => `article = ${p}`, filter.article)
  if (filter.from !== undefined) add((p) => `recorded_at >= ${p}::timestamptz`, filter.from)
  if (filter.to !== undefined) add((p) => `recorded_at < ${p}::timestamptz`, filter.to)
  if (after !== undefined) {
    const m = /^(\d{1,15}):(\d{1,2})$/.exec(after)
    if (!m) throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
    params.push(Number(m[1]), Number(m[2]))
    where.push(`(position, article) > ($${params.length - 1}, $${params.length})`)
  }
  params.push(first + 1)
  const { rows } = await pool.query<HistoryRow>(
    `SELECT agency_id, article, position, recorded_at, status, previous_status, reasons, exceptions, event_type FROM compliance_history
      WHERE ${where.join(' AND ')} ORDER BY position, article LIMIT $${params.length}`, params)
  const items = rows.slice(0, first).map(toChangeDto)
  return { items, hasNextPage: rows.length > first, cursors: items.map((c) => `${c.position}:${c.article}`) }
}

/**
 * Subscription feed positions: several articles change at one log position, so the feed orders changes by
 * `position * 100 + article` (articles are 3–22).
 */
export const feedPosition = (c: Pick<ComplianceChangeDto, 'position' | 'article'>) => c.position * 100 + c.article

/** Per agency, the feed position of the newest history row (where a subscription starts). */
export async function complianceHighWater(pool: pg.Pool, agencyIds: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ agency_id: string; position: string | null }>(
    `SELECT a.id AS agency_id, (SELECT max(h.position) FROM compliance_history h WHERE h.agency_id = a.id) AS position FROM unnest($1::text[]) AS a(id)`, [agencyIds])
  return new Map(rows.map((r) => [r.agency_id, r.position === null ? 0 : Number(r.position) * 100 + 99]))
}

/** History rows past each agency's last seen feed position, in feed order (the subscription feed). */
export async function complianceChangesSince(pool: pg.Pool, seen: ReadonlyMap<string, number>): Promise<ComplianceChangeDto[]> {
  if (seen.size === 0) return []
  const { rows } = await pool.query<HistoryRow>(
    `SELECT h.agency_id, h.article, h.position, h.recorded_at, h.status, h.previous_status, h.reasons, h.exceptions, h.event_type
       FROM jsonb_each_text($1::jsonb) AS s(agency_id, seen)
       JOIN compliance_history h ON h.agency_id = s.agency_id AND h.position >= s.seen::bigint / 100 AND h.position * 100 + h.article > s.seen::bigint
      ORDER BY h.agency_id, h.position, h.article LIMIT 1000`, [JSON.stringify(Object.fromEntries(seen))])
  return rows.map(toChangeDto)
}
