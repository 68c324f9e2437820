// Reads of the event log for the audit trail, shared by GraphQL, REST and exports: the filter (validated and
// normalised once), keyset batches on the log's own keys, and pages. No index is added to `events` (every
// index slows appends): an entity with one stream is read on the stream key (agency_id, stream_id,
// stream_version); every other filter walks the agency's positions (the primary key) window by window.
import type pg from 'pg'
import { z } from 'zod'
import type { Principal } from '../application/context.js'
import { ValidationError } from '../application/errors.js'
import { ForbiddenError } from '../domain/shared/errors.js'
import type { Role } from '../domain/shared/roles.js'
import { EVENT_COLUMNS, toStoredEvent } from '../eventstore/postgres-store.js'
import type { StoredEvent } from '../eventstore/types.js'
import { InvalidCursorError } from '../projections/incident-queries.js'
import { EntityIdError, entityId, entitySource, entityTypes, type EntitySource, type EntityType } from './entities.js'

export const auditSources = ['api', 'graphql', 'webhook', 'scheduler', 'cli'] as const
export type AuditSource = (typeof auditSources)[number]

/** Positions of one agency (bigint in the database; safe integers here). */
export const Position = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)
export const EventTypeName = z.string().regex(/^[A-Z][A-Za-z0-9]{0,99}$/, 'an event type name such as IncidentReported')

/** The filter as clients give it (REST flattens entity into entityType/entityId; GraphQL nests it). */
export const AuditFilterFields = z.object({
  entityType: z.string().max(40).optional(),
  entityId: z.string().min(1).max(200).optional(),
  streamId: z.string().min(1).max(300).optional(),
  eventTypes: z.array(EventTypeName).min(1).max(50).optional(),
  actorId: z.string().min(1).max(200).optional(),
  source: z.enum(auditSources).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  fromPosition: Position.optional(),
  toPosition: Position.optional(),
})
export type AuditFilterFields = z.infer<typeof AuditFilterFields>

/** A validated filter of one agency's log. Times are instants (toISOString); eventTypes sorted, unique. */
export interface AuditFilter {
  agencyId: string
  entity?: { type: EntityType; id: string | null } | undefined
  streamId?: string | undefined
  eventTypes?: string[] | undefined
  actorId?: string | undefined
  source?: AuditSource | undefined
  from?: string | undefined
  to?: string | undefined
  fromPosition?: number | undefined
  toPosition?: number | undefined
}

/**
 * Checks what one field alone cannot (entity ids, ranges). `at` prefixes error paths (e.g. `querystring` or
 * `arguments.filter`); `names` renames fields in them (GraphQL nests entityType as entity.type).
 */
export function normaliseFilter(agencyId: string, fields: AuditFilterFields, at: string, names: Partial<Record<keyof AuditFilterFields, string>> = {}): AuditFilter {
  const fail = (field: keyof AuditFilterFields, message: string): never => {
    const path = `${at}.${names[field] ?? field}`
    throw new ValidationError(`invalid audit-trail filter: ${path}: ${message}`, [{ path, message }])
  }
  let entity: AuditFilter['entity']
  if (fields.entityType !== undefined) {
    const type = entityTypeOf(fields.entityType) ?? fail('entityType', 'not an entity type (use streamId for a stream no entity type names)')
    try {
      entity = { type, id: entityId(type, fields.entityId, agencyId) }
    } catch (err) {
      if (err instanceof EntityIdError) fail('entityId', err.message)
      throw err
    }
  } else if (fields.entityId !== undefined) fail('entityId', 'give entityType with it')
  if (entity && fields.streamId !== undefined) fail('streamId', 'give either an entity or a streamId, not both')
  const instant = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso).toISOString())
  const from = instant(fields.from)
  const to = instant(fields.to)
  if (from !== undefined && to !== undefined && from >= to) fail('to', 'must be later than from')
  if (fields.fromPosition !== undefined && fields.toPosition !== undefined && fields.fromPosition > fields.toPosition) fail('toPosition', 'must not be before fromPosition')
  return {
    agencyId, entity, streamId: fields.streamId, eventTypes: fields.eventTypes && [...new Set(fields.eventTypes)].sort(),
    actorId: fields.actorId, source: fields.source, from, to, fromPosition: fields.fromPosition, toPosition: fields.toPosition,
  }
}

function entityTypeOf(value: string): EntityType | undefined {
  const parsed = z.enum(entityTypes).safeParse(value)
  return parsed.success ? parsed.data : undefined
}

/** The filter without its agency and unset fields: what a manifest records. */
export function filterFields(filter: AuditFilter): Record<string, unknown> {
  const { agencyId: _agency, ...rest } = filter
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined))
}

/** True when the filter selects events by content (not only a position range): gaps between them are expected. */
export const selectsByContent = (filter: AuditFilter): boolean =>
  filter.entity !== undefined || filter.streamId !== undefined || filter.eventTypes !== undefined || filter.actorId !== undefined ||
  filter.source !== undefined || filter.from !== undefined || filter.to !== undefined

/** Where a read resumes: after position p (and, on the stream key, after stream version v). */
export interface Cursor {
  p: number
  v?: number | undefined
}

const CursorShape = z.strictObject({ p: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), v: z.number().int().min(0).max(2_147_483_647).optional() })

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url')

export function decodeCursor(cursor: string): Cursor {
  try {
    const parsed = CursorShape.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.success) return parsed.data
  } catch { /* not JSON: fall through */ }
  throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
}

/** The agency's last committed position: positions are committed in order, so nothing at or below it is still to come. */
export async function agencyHead(pool: pg.Pool, agencyId: string): Promise<number> {
  const { rows } = await pool.query<{ position: string }>('SELECT position FROM agency_heads WHERE agency_id = $1', [agencyId])
  return Number(rows[0]?.position ?? 0)
}

/** The positions a read covers: from fromPosition (or 1) up to the head read at its start (or toPosition). */
export function coveredPositions(filter: AuditFilter, head: number): { from: number; to: number } {
  return { from: filter.fromPosition ?? 1, to: Math.min(head, filter.toPosition ?? head) }
}

/** Positions one statement of a scan covers: bounded work per statement whatever the filter matches. */
export const SCAN_WINDOW = 20_000

export interface Batch {
  events: StoredEvent[]
  /** Resume here; past the last event when a scan window held fewer matches than asked. */
  next: Cursor
  done: boolean
}

/** The next `limit` events (or fewer) of the filter after `after`, up to position `upTo`, in position order. */
export async function readBatch(pool: pg.Pool, filter: AuditFilter, after: Cursor, upTo: number, limit: number, window = SCAN_WINDOW): Promise<Batch> {
  const source: EntitySource | undefined = filter.entity ? entitySource(filter.entity.type, filter.entity.id, filter.agencyId)
    : filter.streamId !== undefined ? { kind: 'stream', streamId: filter.streamId } : undefined
  const q = new Query(filter.agencyId)
  const lo = Math.max(after.p, (filter.fromPosition ?? 1) - 1)
  if (source?.kind === 'stream') {
    // On the stream key: versions follow positions within a stream (appends to it are serialized).
    q.where('stream_id = ?', source.streamId)
    q.where('stream_version > ?', after.v ?? 0)
    q.where('agency_position > ?', lo)
    q.where('agency_position <= ?', upTo)
    if (source.dataMatch) q.where(`data ->> '${source.dataMatch.key}' = ?`, source.dataMatch.value)
    contentPredicates(q, filter)
    const rows = await q.run(pool, 'stream_version', limit)
    const last = rows.at(-1)
    return { events: rows, next: last ? { p: last.position, v: last.streamVersion } : after, done: rows.length < limit }
  }
  const hi = Math.min(lo + window, upTo)
  if (hi <= lo) return { events: [], next: { p: lo }, done: true }
  q.where('agency_position > ?', lo)
  q.where('agency_position <= ?', hi)
  if (source?.kind === 'scan') {
    q.where('stream_type = ?', source.streamType)
    q.where(`data ->> '${source.dataMatch.key}' = ?`, source.dataMatch.value)
  }
  contentPredicates(q, filter)
  const rows = await q.run(pool, 'agency_position', limit)
  const last = rows.at(-1)
  if (rows.length === limit && last) return { events: rows, next: { p: last.position }, done: last.position >= upTo }
  return { events: rows, next: { p: hi }, done: hi >= upTo }
}

function contentPredicates(q: Query, filter: AuditFilter): void {
  if (filter.eventTypes) q.where('event_type = ANY(?::text[])', filter.eventTypes)
  if (filter.actorId !== undefined) q.where("metadata -> 'actor' ->> 'id' = ?", filter.actorId)
  if (filter.source !== undefined) q.where("metadata ->> 'source' = ?", filter.source)
  if (filter.from !== undefined) q.where('recorded_at >= ?', filter.from)
  if (filter.to !== undefined) q.where('recorded_at < ?', filter.to)
}

/**
 * A parameterised statement over one agency's events (`?` placeholders, numbered in order). Values are always
 * parameters; the only text put into a clause is a data key from entities.ts, never input.
 */
class Query {
  private readonly clauses: string[] = ['agency_id = $1']
  private readonly params: unknown[]
  constructor(agencyId: string) {
    this.params = [agencyId]
  }

  where(clause: string, value: unknown): void {
    this.params.push(value)
    this.clauses.push(clause.replace('?', `$${this.params.length}`))
  }

  async run(pool: pg.Pool, orderBy: 'agency_position' | 'stream_version', limit: number): Promise<StoredEvent[]> {
    const { rows } = await pool.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE ${this.clauses.join(' AND ')} ORDER BY ${orderBy} LIMIT ${Math.trunc(limit)}`, this.params)
    return rows.map(toStoredEvent)
  }
}

export interface AuditPage {
  items: StoredEvent[]
  /** Cursor of each item. */
  cursors: string[]
  hasNextPage: boolean
  /** Resume here; may lie past the last item when a scan stopped at its budget (fewer than `first` items). */
  endCursor: string | null
}

export interface ScanLimits {
  /** Positions one page may walk before it answers with what it found (default 200,000). */
  scanBudget?: number
  /** Positions per statement (default SCAN_WINDOW). */
  window?: number
}

/**
 * A page of the filter, in position order, up to the head read now. A scan stops after `scanBudget` positions
 * even with fewer than `first` matches (bounded work per request): follow endCursor while hasNextPage.
 */
export async function auditTrailPage(pool: pg.Pool, filter: AuditFilter, first: number, after: string | undefined, limits: ScanLimits = {}): Promise<AuditPage> {
  const scanBudget = limits.scanBudget ?? 200_000
  const start = after === undefined ? { p: 0 } : decodeCursor(after)
  const upTo = coveredPositions(filter, await agencyHead(pool, filter.agencyId)).to
  const items: StoredEvent[] = []
  const cursors: string[] = []
  let cursor: Cursor = start
  let done = false
  while (!done && items.length <= first) {
    const batch = await readBatch(pool, filter, cursor, upTo, first + 1 - items.length, limits.window)
    for (const e of batch.events) {
      items.push(e)
      cursors.push(encodeCursor(batch.next.v === undefined ? { p: e.position } : { p: e.position, v: e.streamVersion }))
    }
    cursor = batch.next
    done = batch.done
    if (!done && items.length <= first && cursor.p - start.p >= scanBudget) break
  }
  if (items.length > first) {
    items.length = first
    cursors.length = first
    return { items, cursors, hasNextPage: true, endCursor: cursors.at(-1) ?? null }
  }
  return { items, cursors, hasNextPage: !done, endCursor: done ? (cursors.at(-1) ?? after ?? null) : encodeCursor(cursor) }
}

/** Who reads the audit trail: these roles of the agency (and of a national organ, for the bodies under it). */
export const auditTrailReaders = ['CISO', 'DEPUTY_CISO', 'AUDIT_OFFICER', 'AUDITOR', 'GENERAL_SECURITY_OFFICER'] as const satisfies readonly Role[]

export function requireAuditReader(p: Principal): void {
  if (p.system) return
  if (p.roles.some((r) => (auditTrailReaders as readonly string[]).includes(r))) return
  throw new ForbiddenError(`reading the audit trail needs one of the roles ${auditTrailReaders.join(', ')}; you hold ${p.roles.join(', ') || 'none'}`, {
    requiredRoles: auditTrailReaders,
  })
}
