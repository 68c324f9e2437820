// Queries of the information assets read model: a keyset-paged list with filters, one asset, and its
// history (its stream in the log, always current). Label and flags are derived by the domain here.
import type pg from 'pg'
import { z } from 'zod'
import { AgencyId } from '../domain/agency/commands.js'
import { assetStreamId, flagCodes, flagsOf, labelOf, type InformationFlag, type Medium, type StoredRestriction } from '../domain/information/index.js'
import { instant } from '../domain/shared/values.js'
import { EVENT_COLUMNS, toStoredEvent } from '../eventstore/postgres-store.js'
import type { StoredEvent } from '../eventstore/types.js'
import { InvalidCursorError, type Page } from './incident-queries.js'

export const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : v)

/**
 * Opaque keyset cursors: base64url JSON of the sort key, checked against `schema` when read back. The parts
 * of a cursor's schema are what PostgreSQL accepts (instants of years 1900–9999, agency ids, bigint
 * positions), so a forged cursor answers InvalidCursor (400), never a database error.
 */
export const CursorTime = instant
export const CursorAgency = AgencyId
export const CursorPosition = z.string().regex(/^[0-9]{1,16}$/)
export const encodeCursor = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url')
export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.output<S> {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.success) return parsed.data
  } catch { /* not JSON: fall through */ }
  throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
}

/** The classes columns of a row, as the public shape shows them (with the label and the derived flags). */
export interface ClassColumns { confidentiality: number; integrity: number | null; availability: number | null; sub_level: string | null }
export function classesView(r: ClassColumns) {
  const classes = { confidentiality: r.confidentiality, integrity: r.integrity ?? undefined, availability: r.availability ?? undefined }
  return {
    confidentiality: r.confidentiality, integrity: r.integrity, availability: r.availability, subLevel: r.sub_level,
    label: labelOf(classes), flags: { ...flagsOf(classes), codes: flagCodes(classes) },
  }
}

export const restrictionView = (r: StoredRestriction) => ({
  code: r.code, audience: r.audience ?? null, date: r.date ?? null, duration: r.duration ?? null, location: r.location ?? null, label: r.label ?? null, customCode: r.customCode ?? null,
})

export interface AssetRow extends ClassColumns {
  agency_id: string; asset_id: string; title: string; owner_unit_id: string; medium: Medium; restrictions: StoredRestriction[]; origin: Record<string, string>
  source_asset_id: string | null; received_from_agency_id: string | null; received_from_asset_id: string | null; decided_by: string; decider: string
  created_by: string; created_at: Date | string; created_position: number | string; updated_at: Date | string; deleted: boolean; deleted_at: Date | string | null; version: number; last_position: number | string
}

/** The public shape of an asset (REST and GraphQL). */
export function toAssetDto(r: AssetRow) {
  const o = r.origin
  return {
    id: r.asset_id, agencyId: r.agency_id, title: r.title, ownerUnitId: r.owner_unit_id, medium: r.medium, ...classesView(r),
    restrictions: r.restrictions.map(restrictionView),
    origin: { how: o.how ?? 'CREATE', source: o.source ?? null, sourceAssetId: o.sourceAssetId ?? null, fromAgencyId: o.fromAgencyId ?? null, fromAssetId: o.fromAssetId ?? null, providedBy: o.providedBy ?? null, providedAt: o.providedAt ?? null },
    decidedBy: r.decided_by, decider: r.decider, createdBy: r.created_by, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
    deleted: r.deleted, deletedAt: r.deleted_at === null ? null : iso(r.deleted_at), version: r.version, position: Number(r.last_position),
  }
}
export type AssetDto = ReturnType<typeof toAssetDto>

export interface AssetFilter {
  ownerUnitId?: string | undefined
  medium?: Medium | undefined
  minConfidentiality?: number | undefined
  /** Every flag named must be set. */
  flags?: InformationFlag[] | undefined
  /** A restriction code the asset carries (or an agency's custom code). */
  restriction?: string | undefined
  deleted?: boolean | undefined
}

const flagSql: Record<InformationFlag, string> = {
  CONFIDENTIALITY_REQUIRED: 'confidentiality >= 2', INTEGRITY_REQUIRED: 'integrity = 2', AVAILABILITY_REQUIRED: 'availability = 2',
  PROTECTION_REQUIRED: '(confidentiality >= 2 OR integrity = 2 OR availability = 2)',
}

const AssetCursor = z.object({ t: CursorTime, a: CursorAgency, p: CursorPosition })

/** The largest stream version (an int4 column): a larger `after` is no cursor this service issued. */
const MAX_VERSION = 2_147_483_647

/** Newest first (ties in time: later in the agency log first); keyset pagination on (created_at desc, agency_id, created_position desc). */
export async function listAssets(pool: pg.Pool, agencyIds: readonly string[], filter: AssetFilter, first: number, after?: string): Promise<Page<AssetRow>> {
  const params: unknown[] = [agencyIds]
  const where = ['agency_id = ANY($1::text[])']
  const p = (value: unknown) => `$${params.push(value)}`
  if (filter.ownerUnitId !== undefined) where.push(`owner_unit_id = ${p(filter.ownerUnitId)}`)
  if (filter.medium !== undefined) where.push(`medium = ${p(filter.medium)}`)
  if (filter.minConfidentiality !== undefined) where.push(`confidentiality >= ${p(filter.minConfidentiality)}`)
  for (const flag of filter.flags ?? []) where.push(flagSql[flag])
  if (filter.restriction !== undefined) {
    const code = p(filter.restriction)
    where.push(`(restrictions @> jsonb_build_array(jsonb_build_object('code', ${code}::text)) OR restrictions @> jsonb_build_array(jsonb_build_object('customCode', ${code}::text)))`)
  }
  if (filter.deleted !== undefined) where.push(`deleted = ${p(filter.deleted)}`)
  if (after !== undefined) {
    const c = decodeCursor(AssetCursor, after)
    const [t, a, pos] = [p(c.t), p(c.a), p(c.p)]
    where.push(`(created_at < ${t}::timestamptz OR (created_at = ${t}::timestamptz AND (agency_id > ${a} OR (agency_id = ${a} AND created_position < ${pos}::bigint))))`)
  }
  const { rows } = await pool.query<AssetRow>(
    `SELECT * FROM information_assets WHERE ${where.join(' AND ')} ORDER BY created_at DESC, agency_id, created_position DESC LIMIT ${p(first + 1)}`, params)
  const items = rows.slice(0, first)
  return { items, hasNextPage: rows.length > first, cursors: items.map((r) => encodeCursor({ t: iso(r.created_at), a: r.agency_id, p: String(r.created_position) })) }
}

export async function getAsset(pool: pg.Pool, agencyIds: readonly string[], assetId: string): Promise<AssetRow | undefined> {
  const { rows } = await pool.query<AssetRow>('SELECT * FROM information_assets WHERE agency_id = ANY($1::text[]) AND asset_id = $2', [agencyIds, assetId])
  return rows[0]
}

/** A page of the asset's stream, oldest first, after a stream version. */
export async function assetHistory(pool: pg.Pool, agencyId: string, assetId: string, first: number, after?: string): Promise<Page<StoredEvent>> {
  if (after !== undefined && !(/^[1-9][0-9]{0,9}$/.test(after) && Number(after) <= MAX_VERSION)) throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
  const { rows } = await pool.query(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE agency_id = $1 AND stream_id = $2 AND stream_version > $3 ORDER BY stream_version LIMIT $4`,
    [agencyId, assetStreamId(assetId), Number(after ?? 0), first + 1])
  const items = rows.slice(0, first).map(toStoredEvent)
  return { items, hasNextPage: rows.length > first, cursors: items.map((e) => String(e.streamVersion)) }
}

/** One history entry: who, when, what, and the exceptions that permitted it (or the rules that refused it). */
export function toHistoryDto(e: StoredEvent) {
  const data = e.data as { exceptionIds?: string[]; rules?: string[]; step?: string }
  return {
    eventId: e.eventId, type: e.type, version: e.streamVersion, position: e.position, actor: { id: e.metadata.actor.id, roles: e.metadata.actor.roles },
    recordedAt: e.recordedAt, step: data.step ?? null, exceptionIds: data.exceptionIds ?? [], rules: data.rules ?? [], data: e.data,
  }
}
