// The event store port: what handleCommand, projections and exports need from any store.
import type { JsonObject } from '../domain/shared/decider.js'

export interface EventMetadata {
  [key: string]: unknown
  actor: { id: string; roles: string[] }
  correlationId: string
  causationId?: string | undefined
  idempotencyKey?: string | undefined
  source: string
  commandType: string
}

/** An event as stored: the fact plus where it sits in its agency's log and hash chain. */
export interface StoredEvent {
  agencyId: string
  position: number
  streamId: string
  streamType: string
  streamVersion: number
  eventId: string
  type: string
  schemaVersion: number
  data: JsonObject
  metadata: EventMetadata
  /** ISO-8601 */
  recordedAt: string
  prevHash: string
  hash: string
}

/** An event without its hash-chain fields: what readers that do not verify (projections) get. */
export type EventContent = Omit<StoredEvent, 'prevHash' | 'hash'>

export interface NewEvent {
  eventId: string
  type: string
  schemaVersion: number
  data: JsonObject
  metadata: EventMetadata
}

export interface AppendRequest {
  agencyId: string
  streamId: string
  streamType: string
  /** The stream version the events were decided against (0 for a new stream). */
  expectedVersion: number
  recordedAt: string
  events: NewEvent[]
  idempotency?: { key: string; requestHash: string } | undefined
}

/** What a command wrote, also what a retry with the same idempotency key gets back. */
export interface AppendResult {
  streamId: string
  streamVersion: number
  /** Agency positions written; lastPosition is what read-your-writes waits for. */
  firstPosition: number
  lastPosition: number
}

export type AppendOutcome =
  | { outcome: 'appended'; result: AppendResult }
  | { outcome: 'duplicate'; result: AppendResult }
  | { outcome: 'key_reused' }
  | { outcome: 'conflict'; actualVersion: number }

export interface StreamRead {
  version: number
  events: StoredEvent[]
}

export interface EventStore {
  readStream(agencyId: string, streamId: string): Promise<StreamRead>
  /**
   * Only a stream's last event (and so its version): one index lookup however long the stream is. For
   * deciders whose events each carry the whole state the next decision needs (see HandleOptions.fold).
   */
  readStreamTail(agencyId: string, streamId: string): Promise<StreamRead>
  /** Several streams of one agency in one read (for lookups naming many records), keyed by stream id. */
  readStreams(agencyId: string, streamIds: readonly string[]): Promise<Map<string, StreamRead>>
  append(request: AppendRequest): Promise<AppendOutcome>
  /** Events of one agency with position > after, in position order. */
  readAgency(agencyId: string, after: number, limit: number): Promise<StoredEvent[]>
  findIdempotencyKey(agencyId: string, key: string): Promise<{ requestHash: string; result: AppendResult } | undefined>
  /** Head positions per agency (for catch-up and lag figures). */
  heads(): Promise<Map<string, number>>
}

/** Events (in stream-version order within each stream) grouped per requested stream; absent streams are empty. */
export function groupStreams(streamIds: readonly string[], events: readonly StoredEvent[]): Map<string, StreamRead> {
  const streams = new Map<string, StreamRead>(streamIds.map((id) => [id, { version: 0, events: [] }]))
  for (const e of events) {
    const s = streams.get(e.streamId)
    if (!s) continue
    s.events.push(e)
    s.version = e.streamVersion
  }
  return streams
}
