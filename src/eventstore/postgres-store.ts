// The PostgreSQL event store: one call per append or group of appends (one round trip: append_one_event()
// for a lone single-event append, append_events() otherwise), keyset reads.
import type pg from 'pg'
import type { Selectable } from 'kysely'
import type { EventsTable } from '../db/types.js'
import type { JsonObject } from '../domain/shared/decider.js'
import { contentHash } from './hash.js'
import { z } from 'zod'
import { groupStreams, type AppendOutcome, type AppendRequest, type AppendResult, type EventContent, type EventMetadata, type EventStore, type NewEvent, type StoredEvent, type StreamRead } from './types.js'

/** A row of `events` as pg returns it (jsonb parsed, timestamptz as Date, bytea as Buffer). */
type EventRow = Omit<Selectable<EventsTable>, 'data' | 'metadata' | 'recorded_at'> & { data: JsonObject; metadata: EventMetadata; recorded_at: Date }

/** Every column but the hash chain. */
export const CONTENT_COLUMNS = `agency_id, agency_position, stream_id, stream_type, stream_version, event_id, event_type,
  schema_version, data, metadata, recorded_at`
export const EVENT_COLUMNS = `${CONTENT_COLUMNS}, prev_hash, hash`

/** The event without its chain fields, for readers that do not verify (projections read no hashes). */
export function toEventContent(row: Omit<EventRow, 'prev_hash' | 'hash'>): EventContent {
  return {
    agencyId: row.agency_id,
    position: row.agency_position,
    streamId: row.stream_id,
    streamType: row.stream_type,
    streamVersion: row.stream_version,
    eventId: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at.toISOString(),
  }
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return { ...toEventContent(row), prevHash: row.prev_hash.toString('hex'), hash: row.hash.toString('hex') }
}

export type AppendListener = (agencyId: string, lastPosition: number) => void

// Named (prepared once per connection): the server parses and plans them once, not at every append. A prepared
// statement breaks ("cached plan must not change result type") if its function's result type changes under it:
// never change these functions' results in place; add a new function (and a new name here) instead.
const APPEND_EVENTS = 'SELECT idx, outcome, stream_version, result FROM append_events($1, $2)'
/** Answers one JSON value with the keys of append_events()'s columns. */
const APPEND_ONE_EVENT = 'SELECT append_one_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) AS answer'

/** At most this many appends of one agency go in one call. */
const MAX_GROUPED = 64

/** One append as append_events() takes it. */
interface AppendBody {
  streamId: string
  streamType: string
  expectedVersion: number
  recordedAt: string
  idempotencyKey: string | undefined
  requestHash: string | undefined
  events: (NewEvent & { contentHash: string })[]
}

interface Pending {
  request: AppendRequest
  body: AppendBody
  resolve: (outcome: AppendOutcome) => void
  reject: (err: unknown) => void
}

const OutcomeRow = z.object({
  idx: z.number().int(),
  outcome: z.enum(['appended', 'duplicate', 'key_reused', 'conflict']),
  stream_version: z.number().int().nullable(),
  result: z.object({ streamId: z.string(), streamVersion: z.number(), firstPosition: z.number(), lastPosition: z.number() }).nullable(),
})
type OutcomeRow = z.infer<typeof OutcomeRow>

/** A UTF-16 surrogate without its pair: not text PostgreSQL can store (the driver would turn it into U+FFFD). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function assertText(name: string, value: string | undefined): void {
  if (value !== undefined && LONE_SURROGATE.test(value)) throw new Error(`append: the ${name} holds a lone UTF-16 surrogate, which is not text`)
}

function appendBody(request: AppendRequest): AppendBody {
  // Sent as text parameters: a lone surrogate would be stored changed (and no longer match its hash), or
  // two idempotency keys would become one. Refused here, as a JSON body containing one always was.
  assertText('streamId', request.streamId)
  assertText('streamType', request.streamType)
  assertText('idempotency key', request.idempotency?.key)
  assertText('request hash', request.idempotency?.requestHash)
  for (const e of request.events) assertText('event type', e.type)
  // Hash exactly what a reader gets back: timestamptz reads back as toISOString() (UTC, milliseconds).
  const recordedAt = new Date(request.recordedAt).toISOString()
  return {
    streamId: request.streamId,
    streamType: request.streamType,
    expectedVersion: request.expectedVersion,
    recordedAt,
    idempotencyKey: request.idempotency?.key,
    requestHash: request.idempotency?.requestHash,
    events: request.events.map((e, i) => ({
      ...e,
      contentHash: contentHash({
        agencyId: request.agencyId, streamId: request.streamId, streamType: request.streamType,
        streamVersion: request.expectedVersion + i + 1, eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion,
        data: e.data, metadata: e.metadata, recordedAt,
      }),
    })),
  }
}

export class PostgresEventStore implements EventStore {
  private readonly listeners = new Set<AppendListener>()
  /**
   * Per-agency group commit: appends of one agency are serialized by its head row lock, held until
   * commit. So while one call of an agency is in flight, later appends of that agency wait here and then
   * go together in one call and one commit (measured: 64 in flight over 16 agencies went from 0.48 to
   * 0.77–0.83 of a bare INSERT's rate). Other agencies are never held up.
   */
  private readonly lanes = new Map<string, Pending[]>()

  constructor(private readonly pool: pg.Pool) {}

  /** Called after each committed append, in this process (projection runners wake on it). */
  onAppended(listener: AppendListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async readStream(agencyId: string, streamId: string): Promise<StreamRead> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE agency_id = $1 AND stream_id = $2 ORDER BY stream_version`,
      [agencyId, streamId],
    )
    const events = rows.map(toStoredEvent)
    return { version: events.at(-1)?.streamVersion ?? 0, events }
  }

  async readStreamTail(agencyId: string, streamId: string): Promise<StreamRead> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE agency_id = $1 AND stream_id = $2 ORDER BY stream_version DESC LIMIT 1`,
      [agencyId, streamId],
    )
    const events = rows.map(toStoredEvent)
    return { version: events[0]?.streamVersion ?? 0, events }
  }

  async readStreams(agencyId: string, streamIds: readonly string[]): Promise<Map<string, StreamRead>> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE agency_id = $1 AND stream_id = ANY($2::text[]) ORDER BY stream_id, stream_version`,
      [agencyId, [...new Set(streamIds)]],
    )
    return groupStreams(streamIds, rows.map(toStoredEvent))
  }

  append(request: AppendRequest): Promise<AppendOutcome> {
    let body: AppendBody
    try {
      body = appendBody(request)
    } catch (err) {
      return Promise.reject(err)
    }
    return new Promise((resolve, reject) => {
      const queue = this.lanes.get(request.agencyId)
      if (queue) {
        queue.push({ request, body, resolve, reject })
        return
      }
      this.lanes.set(request.agencyId, [{ request, body, resolve, reject }])
      void this.drain(request.agencyId)
    })
  }

  /** Sends the agency's waiting appends, a group per call, until none is left. */
  private async drain(agencyId: string): Promise<void> {
    const queue = this.lanes.get(agencyId) ?? []
    try {
      while (queue.length > 0) {
        const group = queue.splice(0, MAX_GROUPED)
        let rows: unknown[]
        try {
          rows = await this.call(agencyId, group)
        } catch {
          // Either the call rolled back as a whole (one request may have broken it), or the connection failed
          // and nobody knows whether it committed. Resend each alone, marked as a resend: the append function
          // recognises a committed one by its event id and answers its result, so nothing is written twice,
          // and a request that broke the group fails alone.
          for (const p of group) {
            await this.call(agencyId, [p], true).then((r) => this.settle(agencyId, [p], r), (e: unknown) => this.conflictOrReject(agencyId, p, e))
          }
          continue
        }
        // Committed: from here on nothing is ever sent again, whatever the answer looks like.
        this.settle(agencyId, group, rows)
      }
    } finally {
      // Never leave a lane behind: later appends of the agency would wait on it forever.
      this.lanes.delete(agencyId)
      for (const p of queue.splice(0)) p.reject(new Error('append was not sent: the agency\'s append queue stopped'))
    }
  }

  private async call(agencyId: string, group: Pending[], resend = false): Promise<unknown[]> {
    const only = group.length === 1 ? group[0] : undefined
    const event = only?.body.events.length === 1 ? only.body.events[0] : undefined
    if (only && event) {
      // One request of one event (the commonest call): plain parameters, no JSON array to parse and walk.
      const b = only.body
      const res = await this.pool.query<{ answer: unknown }>({
        name: 'append_one_event', text: APPEND_ONE_EVENT,
        values: [agencyId, b.streamId, b.streamType, b.expectedVersion, b.recordedAt, event.eventId, event.type, event.schemaVersion,
          JSON.stringify(event.data), JSON.stringify(event.metadata), event.contentHash, b.idempotencyKey ?? null, b.requestHash ?? null, resend],
      })
      return res.rows.map((r) => r.answer)
    }
    const res = await this.pool.query({
      name: 'append_events', text: APPEND_EVENTS,
      values: [agencyId, JSON.stringify(group.map((p) => (resend ? { ...p.body, resend: true } : p.body)))],
    })
    return res.rows
  }

  /** Backstop: only a violation of the stream-version constraint is a concurrency conflict. */
  private async conflictOrReject(agencyId: string, p: Pending, err: unknown): Promise<void> {
    if (!isUniqueViolation(err, 'events_stream_version_key')) return p.reject(err)
    const { version } = await this.readStream(agencyId, p.request.streamId).catch(() => ({ version: p.request.expectedVersion }))
    p.resolve({ outcome: 'conflict', actualVersion: version })
  }

  /** Answers each waiting append from its answer row and wakes the listeners once. */
  private settle(agencyId: string, group: Pending[], rows: unknown[]): void {
    let lastPosition: number | undefined
    const byIndex = new Map(rows.map((r) => {
      const row = OutcomeRow.safeParse(r)
      return row.success ? [row.data.idx, row.data] as const : [-1, undefined] as const
    }))
    group.forEach((p, i) => {
      const row = byIndex.get(i)
      const outcome = row && toOutcome(row)
      if (!outcome) return p.reject(new Error(`the append function gave no valid answer for request ${i} (the append may have been committed)`))
      if (outcome.outcome === 'appended') lastPosition = outcome.result.lastPosition
      p.resolve(outcome)
    })
    if (lastPosition === undefined) return
    for (const listener of this.listeners) {
      try {
        listener(agencyId, lastPosition)
      } catch {
        // A wake-up hint that fails must not touch the appends; readers poll anyway.
      }
    }
  }

  async readAgency(agencyId: string, after: number, limit: number): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE agency_id = $1 AND agency_position > $2 ORDER BY agency_position LIMIT $3`,
      [agencyId, after, limit],
    )
    return rows.map(toStoredEvent)
  }

  async findIdempotencyKey(agencyId: string, key: string) {
    const { rows } = await this.pool.query<{ request_hash: string; result: AppendResult }>(
      'SELECT request_hash, result FROM idempotency_keys WHERE agency_id = $1 AND idempotency_key = $2',
      [agencyId, key],
    )
    const row = rows[0]
    return row ? { requestHash: row.request_hash, result: row.result } : undefined
  }

  async heads(): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ agency_id: string; position: number }>('SELECT agency_id, position FROM agency_heads')
    return new Map(rows.map((r) => [r.agency_id, r.position]))
  }
}

export function isUniqueViolation(err: unknown, constraint: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505' &&
    (err as { constraint?: string }).constraint === constraint
}

function toOutcome(row: OutcomeRow): AppendOutcome | undefined {
  switch (row.outcome) {
    case 'appended':
    case 'duplicate':
      return row.result ? { outcome: row.outcome, result: row.result } : undefined
    case 'key_reused':
      return { outcome: 'key_reused' }
    case 'conflict':
      return { outcome: 'conflict', actualVersion: row.stream_version ?? 0 }
  }
}
