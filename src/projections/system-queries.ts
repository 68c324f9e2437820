// Queries of the information system ledger (Art. 17–21): the ledger with filters (keyset pages by ledger
// number), one system with everything derived at read time (ledger gaps, next stages, crypto evaluation
// against the CRYPTREC list, internet-service shortfalls, review overdue against today in Japan), its
// history from the log, and the systems whose crypto policy falls short.
import type pg from 'pg'
import { z } from 'zod'
import { cryptrecEdition, currentCryptrecEdition } from '../domain/shared/cryptrec.js'
import {
  continuityCriticalities, evaluateCryptoPolicy, internetServiceShortfalls, isGovernmentDomain, ledgerGaps, nextStages, systemStreamId,
  type AlgorithmEvaluation, type CryptoAlgorithmInput, type Criticality, type InternetServiceMeasures, type SystemStage,
} from '../domain/system/index.js'
import { EVENT_COLUMNS, toStoredEvent } from '../eventstore/postgres-store.js'
import type { StoredEvent } from '../eventstore/types.js'
import { InvalidCursorError, type Page } from './incident-queries.js'
import type { SystemRow } from './systems.js'

const SYSTEM_SELECT = 'SELECT s.* FROM information_systems s'

function evaluation(policy: SystemRow['crypto_policy']) {
  if (policy === null) return null
  const list = cryptrecEdition(String(policy.edition)) ?? cryptrecEdition(currentCryptrecEdition)
  return list ? evaluateCryptoPolicy({ algorithms: policy.algorithms as CryptoAlgorithmInput[] }, list) : null
}

function requirements(r: SystemRow) {
  const approved = new Set(r.approvals.map((a) => `${String(a.documentId)}@${String(a.documentVersion)}`))
  const docs = r.documents.filter((d) => d.kind === 'SECURITY_REQUIREMENTS')
  const unapproved = docs.map((d) => ({ documentId: d.documentId, version: d.versions.at(-1)?.version ?? '' })).filter((u) => !approved.has(`${u.documentId}@${u.version}`))
  return { recorded: docs.length > 0, approved: docs.length > 0 && unapproved.length === 0, unapproved }
}

/** Hosted on a cloud service (CLOUD or HYBRID) that is not registered under ISMAP, the government's cloud assessment scheme. */
const cloudNotIsmap = (hosting: SystemRow['hosting']): boolean =>
  hosting !== null && (hosting.kind === 'CLOUD' || hosting.kind === 'HYBRID') && hosting.ismapRegistered !== true

/** The public shape of a system (REST and GraphQL); `today` is the Japan date the review date is judged against. */
export function toSystemDto(r: SystemRow, today: string) {
  const retired = r.stage === 'RETIRED'
  const missing = ledgerGaps({
    securityOfficerId: r.security_officer_id ?? undefined, informationClasses: r.information_classes, hosting: r.hosting ?? undefined,
    documents: Object.fromEntries(r.documents.map((d) => [d.documentId, { kind: d.kind as never, versions: [] }])),
  })
  const planRequired = continuityCriticalities.includes(r.criticality as Criticality)
  return {
    id: r.system_id, agencyId: r.agency_id, name: r.name, purpose: r.purpose, ownerUnitId: r.owner_unit_id, securityOfficerId: r.security_officer_id,
    informationClasses: r.information_classes, highestClass: r.highest_class, handlesC3: r.highest_confidentiality === 3,
    hosting: r.hosting, cloudNotIsmapRegistered: cloudNotIsmap(r.hosting), contractorIds: r.contractor_ids, internetFacing: r.internet_facing, criticality: r.criticality,
    stage: r.stage, stageChangedAt: r.stage_changed_at, allowedNextStages: nextStages[r.stage as SystemStage] ?? [], stageHistory: r.stage_history,
    ledgerComplete: missing.length === 0, ledgerMissing: missing, documents: r.documents, securityRequirements: requirements(r), approvals: r.approvals,
    erasure: r.erasure, reviewDueOn: r.review_due_on, reviewOverdue: !retired && r.review_due_on !== null && r.review_due_on < today,
    lastReview: r.last_review, reviewCount: r.review_count, cryptoPolicy: r.crypto_policy, cryptoEvaluation: evaluation(r.crypto_policy),
    continuity: {
      planRequired, planMissing: planRequired && !retired && r.continuity_plan === null, plan: r.continuity_plan,
      planVersions: r.continuity_plan_versions, exercises: r.exercises, exerciseCount: r.exercise_count,
    },
    internetServices: r.internet_services.map((s) => ({
      ...s, governmentDomain: isGovernmentDomain(String(s.domain)), shortfalls: internetServiceShortfalls(String(s.domain), s.measures as InternetServiceMeasures),
    })),
    registeredAt: r.registered_at, registeredBy: r.registered_by, retiredAt: r.retired_at, version: r.version, position: Number(r.last_position), updatedAt: r.updated_at,
  }
}
export type SystemDto = ReturnType<typeof toSystemDto>

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null))
const normalize = (r: SystemRow): SystemRow => ({
  ...r, stage_changed_at: iso(r.stage_changed_at) ?? '', registered_at: iso(r.registered_at) ?? '', retired_at: iso(r.retired_at), updated_at: iso(r.updated_at) ?? '',
})

// Keyset on the ledger number within an agency: a forged cursor is a 400, never a SQL error.
const Cursor = z.object({ a: z.string().max(100), i: z.string().max(100) })
const encode = (a: string, i: string) => Buffer.from(JSON.stringify({ a, i })).toString('base64url')
function decode(cursor: string): z.infer<typeof Cursor> {
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.success) return parsed.data
  } catch { /* not JSON: fall through */ }
  throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
}

export async function getSystem(pool: pg.Pool, agencyId: string, systemId: string): Promise<SystemRow | undefined> {
  const { rows } = await pool.query<SystemRow>(`${SYSTEM_SELECT} WHERE s.agency_id = $1 AND s.system_id = $2`, [agencyId, systemId])
  return rows[0] && normalize(rows[0])
}

export interface SystemFilter {
  criticality?: readonly string[] | undefined
  stage?: readonly string[] | undefined
  internetFacing?: boolean | undefined
  /** The highest class handled is C3 (true), or lower or none (false). */
  handlesC3?: boolean | undefined
  ownerUnitId?: string | undefined
  /** Not retired and the review date is before today (Japan). */
  pastReview?: boolean | undefined
  /** HIGH or CRITICAL, not retired, and no continuity plan recorded. */
  continuityPlanMissing?: boolean | undefined
  /** Not retired, on a cloud service (CLOUD or HYBRID) not registered under ISMAP. */
  cloudNotIsmapRegistered?: boolean | undefined
}

/** Rows of the ledger in ledger order after a cursor, filtered (SQL), one more than `limit` when more follow. */
async function ledgerRows(pool: pg.Pool, agencyIds: readonly string[], filter: SystemFilter & { cryptoCandidates?: boolean }, today: string, limit: number, after?: string): Promise<SystemRow[]> {
  const where: string[] = ['s.agency_id = ANY($1::text[])']
  const params: unknown[] = [agencyIds]
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value)
    where.push(clause(`$${params.length}`))
  }
  if (filter.criticality?.length) add((p) => `s.criticality = ANY(${p}::text[])`, filter.criticality)
  if (filter.stage?.length) add((p) => `s.stage = ANY(${p}::text[])`, filter.stage)
  if (filter.internetFacing !== undefined) add((p) => `s.internet_facing = ${p}`, filter.internetFacing)
  if (filter.handlesC3 !== undefined) where.push(filter.handlesC3 ? 's.highest_confidentiality = 3' : 's.highest_confidentiality < 3')
  if (filter.ownerUnitId !== undefined) add((p) => `s.owner_unit_id = ${p}`, filter.ownerUnitId)
  const pastReview = (p: string) => `(s.stage <> 'RETIRED' AND s.review_due_on IS NOT NULL AND s.review_due_on < ${p})`
  if (filter.pastReview !== undefined) add((p) => (filter.pastReview ? pastReview(p) : `NOT ${pastReview(p)}`), today)
  const planMissing = `(s.stage <> 'RETIRED' AND s.criticality = ANY('{${continuityCriticalities.join(',')}}'::text[]) AND s.continuity_plan IS NULL)`
  if (filter.continuityPlanMissing !== undefined) where.push(filter.continuityPlanMissing ? planMissing : `NOT ${planMissing}`)
  const notIsmap = `(s.stage <> 'RETIRED' AND coalesce(s.hosting->>'kind', '') IN ('CLOUD', 'HYBRID') AND coalesce((s.hosting->>'ismapRegistered')::boolean, false) = false)`
  if (filter.cloudNotIsmapRegistered !== undefined) where.push(filter.cloudNotIsmapRegistered ? notIsmap : `NOT ${notIsmap}`)
  if (filter.cryptoCandidates) where.push(`s.stage <> 'RETIRED'`)
  if (after) {
    const c = decode(after)
    params.push(c.a, c.i)
    where.push(`(s.agency_id, s.system_id) > ($${params.length - 1}, $${params.length})`)
  }
  params.push(limit + 1)
  const { rows } = await pool.query<SystemRow>(`${SYSTEM_SELECT} WHERE ${where.join(' AND ')} ORDER BY s.agency_id, s.system_id LIMIT $${params.length}`, params)
  return rows.map(normalize)
}

export async function listSystems(pool: pg.Pool, agencyIds: readonly string[], filter: SystemFilter, today: string, first: number, after?: string): Promise<Page<SystemDto>> {
  const rows = await ledgerRows(pool, agencyIds, filter, today, first, after)
  const items = rows.slice(0, first).map((r) => toSystemDto(r, today))
  return { items, hasNextPage: rows.length > first, cursors: items.map((x) => encode(x.agencyId, x.id)) }
}

export interface CryptoShortfallItem {
  systemId: string; agencyId: string; name: string; stage: string; criticality: string; internetFacing: boolean
  /** False: the system has no crypto policy recorded at all. */
  policySet: boolean
  edition: string | null
  /** The algorithms that fall short, each with its reasons. */
  algorithms: AlgorithmEvaluation[]
  shortfallCount: number
}

/**
 * Systems (not retired) whose crypto policy falls short of the CRYPTREC list, and, unless excluded, those
 * with no policy. The evaluation is derived from the list in code, so the rows are filtered here: the
 * ledger is read in keyset chunks until a page is full.
 */
export async function cryptoShortfalls(pool: pg.Pool, agencyIds: readonly string[], opts: { includeMissing: boolean }, first: number, after?: string): Promise<Page<CryptoShortfallItem>> {
  const items: CryptoShortfallItem[] = []
  let cursor = after
  for (;;) {
    const rows = await ledgerRows(pool, agencyIds, { cryptoCandidates: true }, '', 200, cursor)
    for (const r of rows.slice(0, 200)) {
      const evaluated = evaluation(r.crypto_policy)
      const short = evaluated?.algorithms.filter((a) => !a.recommended) ?? []
      if (evaluated ? short.length === 0 : !opts.includeMissing) continue
      items.push({
        systemId: r.system_id, agencyId: r.agency_id, name: r.name, stage: r.stage, criticality: r.criticality, internetFacing: r.internet_facing,
        policySet: evaluated !== null, edition: evaluated?.edition ?? null, algorithms: short, shortfallCount: evaluated?.shortfallCount ?? 0,
      })
      if (items.length > first) break
    }
    const last = rows.slice(0, 200).at(-1)
    if (items.length > first || rows.length <= 200 || !last) break
    cursor = encode(last.agency_id, last.system_id)
  }
  const page = items.slice(0, first)
  return { items: page, hasNextPage: items.length > first, cursors: page.map((x) => encode(x.agencyId, x.systemId)) }
}

/** A page of a system's events, oldest first, after a stream version: the log itself, never a copy. */
export async function systemHistory(pool: pg.Pool, agencyId: string, systemId: string, first: number, afterVersion = 0): Promise<Page<StoredEvent>> {
  const { rows } = await pool.query(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE agency_id = $1 AND stream_id = $2 AND stream_version > $3 ORDER BY stream_version LIMIT $4`,
    [agencyId, systemStreamId(systemId), afterVersion, first + 1])
  const items = rows.slice(0, first).map(toStoredEvent)
  return { items, hasNextPage: rows.length > first, cursors: items.map((e) => String(e.streamVersion)) }
}
