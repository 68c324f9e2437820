// The PostgreSQL event store: one append_events() call per append (one round trip), keyset reads.
import type pg from 'pg'
import type { Selectable } from 'kysely'
import type { EventsTable } from '../db/types.js'
import type { JsonObject } from '../domain/shared/decider.js'
import { contentHash } from './hash.js'
import type { AppendOutcome, AppendRequest, AppendResult, EventMetadata, EventStore, StoredEvent, StreamRead } from './types.js'

/** A row of `events` as pg returns it (jsonb parsed, timestamptz as Date, bytea as Buffer). */
type EventRow = Omit<Selectable<EventsTable>, 'data' | 'metadata' | 'recorded_at'> & { data: JsonObject; metadata: EventMetadata; recorded_at: Date }

export const EVENT_COLUMNS = `agency_id, agency_position, stream_id, stream_type, stream_version, event_id, event_type,
  schema_version, data, metadata, recorded_at, prev_hash, hash`

export function toStoredEvent(row: EventRow): StoredEvent {
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
    prevHash: row.prev_hash.toString('hex'),
    hash: row.hash.toString('hex'),
  }
}

export type AppendListener = (agencyId: string, lastPosition: number) => void

export class PostgresEventStore implements EventStore {
  private readonly listeners = new Set<AppendListener>()

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

  async append(request: AppendRequest): Promise<AppendOutcome> {
    // Hash exactly what a reader gets back: timestamptz reads back as toISOString() (UTC, milliseconds).
    const recordedAt = new Date(request.recordedAt).toISOString()
    const events = request.events.map((e, i) => ({
      eventId: e.eventId,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      metadata: e.metadata,
      contentHash: contentHash({
        agencyId: request.agencyId,
        streamId: request.streamId,
        streamType: request.streamType,
        streamVersion: request.expectedVersion + i + 1,
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
        recordedAt,
      }),
    }))
    let row: { outcome: string; stream_version: number | null; result: AppendResult | null } | undefined
    try {
      const res = await this.pool.query(
        'SELECT outcome, stream_version, result FROM append_events($1, $2, $3, $4, $5, $6, $7, $8)',
        [
          request.agencyId, request.streamId, request.streamType, request.expectedVersion, recordedAt,
          JSON.stringify(events), request.idempotency?.key ?? null, request.idempotency?.requestHash ?? null,
        ],
      )
      row = res.rows[0]
    } catch (err) {
      // Backstop: only a violation of the stream-version constraint is a concurrency conflict.
      if (isUniqueViolation(err, 'events_stream_version_key')) {
        const { version } = await this.readStream(request.agencyId, request.streamId)
        return { outcome: 'conflict', actualVersion: version }
      }
      throw err
    }
    if (!row) throw new Error('append_events returned no row')
    switch (row.outcome) {
      case 'appended': {
        const result = row.result as AppendResult
        for (const listener of this.listeners) listener(request.agencyId, result.lastPosition)
        return { outcome: 'appended', result }
      }
      case 'duplicate':
        return { outcome: 'duplicate', result: row.result as AppendResult }
      case 'key_reused':
        return { outcome: 'key_reused' }
      case 'conflict':
        return { outcome: 'conflict', actualVersion: row.stream_version ?? 0 }
      default:
        throw new Error(`append_events returned unknown outcome ${row.outcome}`)
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
