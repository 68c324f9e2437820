// Compliance status (Art. 3–22, domain.md §10): folds each agency's evidence event by event
// (src/domain/compliance/evidence.ts), evaluates every article's rule after each event, keeps the current
// status per article and appends a history row whenever a status or its reasons change, at the event that
// changed it. The status as of an instant is the last history row at or before it.
import type pg from 'pg'
import { articlesAffectedBy, emptyEvidence, evidenceEventTypes, evolveEvidence, type Evidence } from '../domain/compliance/evidence.js'
import { complianceRules, evaluateCompliance, sameStatus, type ArticleStatus } from '../domain/compliance/rules.js'
import { ident, type ProjectedEvent, type Projection, type TableNames } from './types.js'

type Tables = 'compliance_evidence' | 'compliance_status' | 'compliance_history'
export const COMPLIANCE = 'compliance'

interface Current { status: ArticleStatus; since_position: number; since_at: string }

async function load(client: pg.ClientBase, tables: TableNames<Tables>, agencyIds: string[]) {
  const evidence = new Map<string, Evidence>()
  const current = new Map<string, Map<number, Current>>()
  const e = await client.query<{ agency_id: string; evidence: Evidence }>(
    `SELECT agency_id, evidence FROM ${ident(tables.compliance_evidence)} WHERE agency_id = ANY($1::text[])`, [agencyIds])
  for (const r of e.rows) evidence.set(r.agency_id, { ...emptyEvidence(), ...r.evidence })
  const s = await client.query<{ agency_id: string; article: number; status: ArticleStatus['status']; reasons: ArticleStatus['reasons']; exceptions: ArticleStatus['exceptions']; since_position: string; since_at: Date }>(
    `SELECT agency_id, article, status, reasons, exceptions, since_position, since_at FROM ${ident(tables.compliance_status)} WHERE agency_id = ANY($1::text[])`, [agencyIds])
  for (const r of s.rows) {
    const byArticle = current.get(r.agency_id) ?? new Map<number, Current>()
    byArticle.set(r.article, { status: { status: r.status, reasons: r.reasons, exceptions: r.exceptions }, since_position: Number(r.since_position), since_at: r.since_at.toISOString() })
    current.set(r.agency_id, byArticle)
  }
  return { evidence, current }
}

export const complianceProjection: Projection<Tables> = {
  name: COMPLIANCE,
  eventTypes: evidenceEventTypes,
  tables: ['compliance_evidence', 'compliance_status', 'compliance_history'],
  async apply(client, events, tables) {
    const agencyIds = [...new Set(events.map((e) => e.agencyId))]
    const { evidence, current } = await load(client, tables, agencyIds)
    const history: object[] = []
    const changed = new Map<string, Set<number>>()
    const positions = new Map<string, number>()
    for (const e of events as readonly ProjectedEvent[]) {
      const next = evolveEvidence(evidence.get(e.agencyId) ?? emptyEvidence(), e)
      evidence.set(e.agencyId, next)
      positions.set(e.agencyId, e.position)
      const byArticle = current.get(e.agencyId) ?? new Map<number, Current>()
      current.set(e.agencyId, byArticle)
      // Only the articles the event can change, once every article has a status.
      const articles = byArticle.size < complianceRules.length ? undefined : articlesAffectedBy(e)
      for (const [article, status] of evaluateCompliance(next, articles)) {
        const before = byArticle.get(article)
        if (before && sameStatus(before.status, status)) {
          // Same status and reasons; keep the details (dates, messages) current without a history row.
          before.status = status
          continue
        }
        byArticle.set(article, { status, since_position: e.position, since_at: e.recordedAt })
        history.push({
          agency_id: e.agencyId, article, position: e.position, recorded_at: e.recordedAt, status: status.status,
          previous_status: before?.status.status ?? null, reasons: status.reasons, exceptions: status.exceptions, event_type: e.type,
        })
        const set = changed.get(e.agencyId) ?? new Set<number>()
        set.add(article)
        changed.set(e.agencyId, set)
      }
    }
    await client.query(
      `INSERT INTO ${ident(tables.compliance_evidence)} (agency_id, evidence, position)
       SELECT r.agency_id, r.evidence, r.position FROM jsonb_to_recordset($1::jsonb) AS r(agency_id text, evidence jsonb, position bigint)
       ON CONFLICT (agency_id) DO UPDATE SET evidence = excluded.evidence, position = excluded.position`,
      [JSON.stringify(agencyIds.map((a) => ({ agency_id: a, evidence: evidence.get(a), position: positions.get(a) })))],
    )
    const statusRows = agencyIds.flatMap((a) => [...(current.get(a) ?? new Map<number, Current>())].map(([article, c]) => ({
      agency_id: a, article, status: c.status.status, reasons: c.status.reasons, exceptions: c.status.exceptions, since_position: c.since_position, since_at: c.since_at,
    })))
    if (statusRows.length > 0) {
      await client.query(
        `INSERT INTO ${ident(tables.compliance_status)} SELECT * FROM jsonb_populate_recordset(null::${ident(tables.compliance_status)}, $1::jsonb)
         ON CONFLICT (agency_id, article) DO UPDATE SET status = excluded.status, reasons = excluded.reasons, exceptions = excluded.exceptions,
           since_position = excluded.since_position, since_at = excluded.since_at`,
        [JSON.stringify(statusRows)],
      )
    }
    if (history.length > 0) {
      await client.query(
        `INSERT INTO ${ident(tables.compliance_history)} SELECT * FROM jsonb_populate_recordset(null::${ident(tables.compliance_history)}, $1::jsonb)
         ON CONFLICT (agency_id, article, position) DO UPDATE SET status = excluded.status, previous_status = excluded.previous_status,
           reasons = excluded.reasons, exceptions = excluded.exceptions, recorded_at = excluded.recorded_at, event_type = excluded.event_type`,
        [JSON.stringify(history)],
      )
    }
  },
}
