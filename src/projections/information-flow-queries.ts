// Queries of what crossed agency lines and what was refused: information other agencies provided to
// yours (with the asset you took it in as, if any), and lifecycle steps blocked in a period.
import type pg from 'pg'
import { z } from 'zod'
import type { LifecycleRuleCode, LifecycleStep } from '../domain/shared/lifecycle.js'
import type { Medium, StoredRestriction } from '../domain/information/index.js'
import type { Page } from './incident-queries.js'
import { classesView, CursorAgency, CursorPosition, CursorTime, decodeCursor, encodeCursor, iso, restrictionView, type ClassColumns } from './information-queries.js'

interface ReceivedRow extends ClassColumns {
  agency_id: string; from_agency_id: string; step_id: string; asset_id: string; title: string; medium: Medium; restrictions: StoredRestriction[]
  decider: string; recipient: string; purpose: string; provided_by: string; provided_at: Date | string; position: number | string; accepted_asset_id: string | null
}

export function toReceivedDto(r: ReceivedRow) {
  return {
    agencyId: r.agency_id, fromAgencyId: r.from_agency_id, assetId: r.asset_id, stepId: r.step_id, title: r.title, medium: r.medium, ...classesView(r),
    restrictions: r.restrictions.map(restrictionView), decider: r.decider, recipient: r.recipient, purpose: r.purpose,
    providedBy: r.provided_by, providedAt: iso(r.provided_at), position: Number(r.position), acceptedAssetId: r.accepted_asset_id,
  }
}

export interface ReceivedFilter {
  fromAgencyId?: string | undefined
  /** true: only what was taken into the record; false: only what was not. */
  accepted?: boolean | undefined
}

const Cursor = z.object({ t: CursorTime, a: CursorAgency, f: CursorAgency, p: CursorPosition })

/**
 * Newest first; keyset pagination on (provided_at desc, agency_id, from_agency_id, position desc). Each
 * provision shows the asset taken in from THAT provision (an asset is taken in per provision).
 */
export async function listReceived(pool: pg.Pool, agencyIds: readonly string[], filter: ReceivedFilter, first: number, after?: string): Promise<Page<ReturnType<typeof toReceivedDto>>> {
  const params: unknown[] = [agencyIds]
  const where = ['r.agency_id = ANY($1::text[])']
  const p = (value: unknown) => `$${params.push(value)}`
  if (filter.fromAgencyId !== undefined) where.push(`r.from_agency_id = ${p(filter.fromAgencyId)}`)
  if (filter.accepted !== undefined) where.push(`a.asset_id IS ${filter.accepted ? 'NOT ' : ''}NULL`)
  if (after !== undefined) {
    const c = decodeCursor(Cursor, after)
    const [t, key, pos] = [p(c.t), `(${p(c.a)}, ${p(c.f)})`, p(c.p)]
    where.push(`(r.provided_at < ${t}::timestamptz OR (r.provided_at = ${t}::timestamptz AND ((r.agency_id, r.from_agency_id) > ${key} OR ((r.agency_id, r.from_agency_id) = ${key} AND r.position < ${pos}::bigint))))`)
  }
  const { rows } = await pool.query<ReceivedRow>(
    `SELECT r.*, a.asset_id AS accepted_asset_id FROM information_received r
       LEFT JOIN information_assets a ON a.agency_id = r.agency_id AND a.received_from_agency_id = r.from_agency_id AND a.received_from_asset_id = r.asset_id
             AND a.origin->>'provisionStepId' = r.step_id
      WHERE ${where.join(' AND ')} ORDER BY r.provided_at DESC, r.agency_id, r.from_agency_id, r.position DESC LIMIT ${p(first + 1)}`, params)
  const items = rows.slice(0, first)
  return {
    items: items.map(toReceivedDto), hasNextPage: rows.length > first,
    cursors: items.map((r) => encodeCursor({ t: iso(r.provided_at), a: r.agency_id, f: r.from_agency_id, p: String(r.position) })),
  }
}

interface BlockedRow {
  agency_id: string; step_id: string; asset_id: string; step: LifecycleStep; rules: LifecycleRuleCode[]; exceptions: { rule: string; exceptionId: string }[]
  owner_unit_id: string; details: Record<string, unknown>; blocked_by: string; blocked_at: Date | string; position: number | string
}

export function toBlockedDto(r: BlockedRow) {
  return {
    agencyId: r.agency_id, stepId: r.step_id, assetId: r.asset_id, step: r.step, rules: r.rules, exceptions: r.exceptions, ownerUnitId: r.owner_unit_id,
    details: r.details, blockedBy: r.blocked_by, blockedAt: iso(r.blocked_at), position: Number(r.position),
  }
}

export interface BlockedFilter {
  rule?: LifecycleRuleCode | undefined
  step?: LifecycleStep | undefined
  unitId?: string | undefined
  /** Blocked at or after this instant. */
  from?: string | undefined
  /** Blocked before this instant. */
  to?: string | undefined
}

const BlockedCursor = z.object({ t: CursorTime, a: CursorAgency, p: CursorPosition })

/** Newest first; keyset pagination on (blocked_at desc, agency_id, position desc). */
export async function listBlocked(pool: pg.Pool, agencyIds: readonly string[], filter: BlockedFilter, first: number, after?: string): Promise<Page<ReturnType<typeof toBlockedDto>>> {
  const params: unknown[] = [agencyIds]
  const where = ['agency_id = ANY($1::text[])']
  const p = (value: unknown) => `$${params.push(value)}`
  if (filter.rule !== undefined) where.push(`${p(filter.rule)} = ANY(rules)`)
  if (filter.step !== undefined) where.push(`step = ${p(filter.step)}`)
  if (filter.unitId !== undefined) where.push(`owner_unit_id = ${p(filter.unitId)}`)
  if (filter.from !== undefined) where.push(`blocked_at >= ${p(filter.from)}::timestamptz`)
  if (filter.to !== undefined) where.push(`blocked_at < ${p(filter.to)}::timestamptz`)
  if (after !== undefined) {
    const c = decodeCursor(BlockedCursor, after)
    const [t, a, pos] = [p(c.t), p(c.a), p(c.p)]
    where.push(`(blocked_at < ${t}::timestamptz OR (blocked_at = ${t}::timestamptz AND (agency_id > ${a} OR (agency_id = ${a} AND position < ${pos}::bigint))))`)
  }
  const { rows } = await pool.query<BlockedRow>(
    `SELECT * FROM information_blocked WHERE ${where.join(' AND ')} ORDER BY blocked_at DESC, agency_id, position DESC LIMIT ${p(first + 1)}`, params)
  const items = rows.slice(0, first)
  return { items: items.map(toBlockedDto), hasNextPage: rows.length > first, cursors: items.map((r) => encodeCursor({ t: iso(r.blocked_at), a: r.agency_id, p: String(r.position) })) }
}
