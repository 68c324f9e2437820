// An in-memory event store with the same semantics as PostgresEventStore (versions, positions, hash
// chain, idempotency), for fast unit tests of command handling. Not for production.
import { chainHash, contentHash, GENESIS_HASH } from './hash.js'
import { groupStreams, type AppendOutcome, type AppendRequest, type AppendResult, type EventStore, type StoredEvent, type StreamRead } from './types.js'

export class InMemoryEventStore implements EventStore {
  private readonly logs = new Map<string, StoredEvent[]>()
  private readonly keys = new Map<string, { requestHash: string; result: AppendResult }>()

  async readStream(agencyId: string, streamId: string): Promise<StreamRead> {
    const events = (this.logs.get(agencyId) ?? []).filter((e) => e.streamId === streamId)
    return { version: events.at(-1)?.streamVersion ?? 0, events: structuredClone(events) }
  }

  async readStreamTail(agencyId: string, streamId: string): Promise<StreamRead> {
    const { version, events } = await this.readStream(agencyId, streamId)
    return { version, events: events.slice(-1) }
  }

  async readStreams(agencyId: string, streamIds: readonly string[]): Promise<Map<string, StreamRead>> {
    const wanted = new Set(streamIds)
    return groupStreams(streamIds, structuredClone((this.logs.get(agencyId) ?? []).filter((e) => wanted.has(e.streamId))))
  }

  async append(request: AppendRequest): Promise<AppendOutcome> {
    const keyId = request.idempotency && `${request.agencyId}\u0000${request.idempotency.key}`
    if (keyId) {
      const earlier = this.keys.get(keyId)
      if (earlier) {
        return earlier.requestHash === request.idempotency?.requestHash ? { outcome: 'duplicate', result: earlier.result } : { outcome: 'key_reused' }
      }
    }
    const log = this.logs.get(request.agencyId) ?? []
    const current = log.filter((e) => e.streamId === request.streamId).at(-1)?.streamVersion ?? 0
    if (current !== request.expectedVersion) return { outcome: 'conflict', actualVersion: current }
    let prev = log.at(-1)?.hash ?? GENESIS_HASH
    const start = log.length
    request.events.forEach((e, i) => {
      const content = { agencyId: request.agencyId, streamId: request.streamId, streamType: request.streamType,
        streamVersion: current + i + 1, eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion,
        data: structuredClone(e.data), metadata: structuredClone(e.metadata), recordedAt: new Date(request.recordedAt).toISOString() }
      const position = start + i + 1
      const hash = chainHash(prev, position, contentHash(content))
      log.push({ ...content, position, prevHash: prev, hash })
      prev = hash
    })
    this.logs.set(request.agencyId, log)
    const result = { streamId: request.streamId, streamVersion: current + request.events.length, firstPosition: start + 1, lastPosition: log.length }
    if (keyId && request.idempotency) this.keys.set(keyId, { requestHash: request.idempotency.requestHash, result })
    return { outcome: 'appended', result }
  }

  async readAgency(agencyId: string, after: number, limit: number): Promise<StoredEvent[]> {
    return structuredClone((this.logs.get(agencyId) ?? []).slice(after, after + limit))
  }

  async findIdempotencyKey(agencyId: string, key: string) {
    return this.keys.get(`${agencyId}\u0000${key}`)
  }

  async heads(): Promise<Map<string, number>> {
    return new Map([...this.logs].map(([agency, log]) => [agency, log.length]))
  }
}
