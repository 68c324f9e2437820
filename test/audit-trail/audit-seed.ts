// A log to read audit trails from: events appended straight to the store (the reader does not care whether a
// decider would have decided them), over the streams of several entity types, three actors, every source,
// a minute apart, with text that CSV must quote (commas, quotes, line breaks, Japanese).
import { randomUUID } from 'node:crypto'
import type { JsonObject } from '../../src/domain/shared/decider.js'
import type { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import type { StoredEvent } from '../../src/eventstore/types.js'

export const actors = ['sato', 'tanaka', 'suzuki'] as const
export const sources = ['api', 'graphql', 'webhook', 'scheduler', 'cli'] as const
export const T0 = Date.parse('2026-04-01T00:00:00Z')
export const note = '件名, "引用" と改行\r\n二行目'

interface Shape {
  streamId: string
  streamType: string
  type: string
  data: JsonObject
}

const refusal = `integration-I1-refusal-${randomUUID()}`

/** The i-th event's stream, type and data (a fixed rotation, so tests can predict what a filter selects). */
function shape(i: number, agencyId: string): Shape {
  const k = i % 10
  switch (k) {
    case 0: case 1: case 2: return { streamId: `incident-INC-${i % 3}`, streamType: 'incident', type: k === 0 ? 'IncidentReported' : 'IncidentTriaged', data: { incidentId: `INC-${i % 3}`, note, n: i } }
    case 3: return { streamId: `management-${agencyId}`, streamType: 'management', type: 'RoleAssigned', data: { assignmentId: `A${i % 2}`, employeeId: 'sato', role: 'AUDITOR', n: i } }
    case 4: return { streamId: `management-${agencyId}`, streamType: 'management', type: 'CommitteeOrganized', data: { committeeId: 'C1', n: i } }
    case 5: return { streamId: 'integration-I1', streamType: 'integration', type: 'IntegrationPolicyChanged', data: { integrationId: 'I1', n: i } }
    case 6: return { streamId: refusal, streamType: 'integration', type: 'DeliveryRefused', data: { integrationId: 'I1', reason: 'bad signature', n: i } }
    case 7: return { streamId: 'plan-2026', streamType: 'plan', type: 'PlanItemAdded', data: { fiscalYear: 2026, n: i } }
    case 8: return { streamId: 'asset-AS-1', streamType: 'asset', type: i < 10 ? 'InformationClassified' : 'InformationReclassified', data: { assetId: 'AS-1', reason: 'review, 再分類', n: i } }
    default: return { streamId: 'policy', streamType: 'policy', type: 'PolicyReviewed', data: { n: i, nested: { list: [1, 2.5, 'three'], flag: true, none: null } } }
  }
}

/** Appends `count` events to the agency's log, one per append; returns the log as read back. */
export async function seedLog(store: PostgresEventStore, agencyId: string, count: number, firstIndex = 0): Promise<StoredEvent[]> {
  const versions = new Map<string, number>()
  for (const e of await store.readAgency(agencyId, 0, 1_000_000)) versions.set(e.streamId, e.streamVersion)
  for (let i = firstIndex; i < firstIndex + count; i++) {
    const s = shape(i, agencyId)
    const expectedVersion = versions.get(s.streamId) ?? 0
    const outcome = await store.append({
      agencyId, streamId: s.streamId, streamType: s.streamType, expectedVersion, recordedAt: new Date(T0 + i * 60_000).toISOString(),
      events: [{
        eventId: randomUUID(), type: s.type, schemaVersion: 1, data: s.data,
        metadata: {
          actor: { id: actors[i % 3] ?? 'sato', roles: i % 3 === 2 ? [] : ['CISO', 'AUDITOR'] }, correlationId: `corr-${i}`,
          causationId: i % 4 === 0 ? undefined : `req-${i}`, idempotencyKey: i % 5 === 0 ? `key-${i}` : undefined,
          source: sources[i % 5] ?? 'api', commandType: `Do${s.type}`,
        },
      }],
    })
    if (outcome.outcome !== 'appended') throw new Error(`seed append ${i} was ${outcome.outcome}`)
    versions.set(s.streamId, expectedVersion + 1)
  }
  return store.readAgency(agencyId, 0, 1_000_000)
}
