// The public event catalogue of outbound webhooks: which stored events a subscriber may receive, under
// which versioned public name, and the minimal payload each carries (ids, status, severity, title, times;
// never free text beyond the title). Data in one place: the outbox, the APIs and the README read it.
import type { ExceptionEvent } from '../exception/events.js'
import type { IncidentEvent } from '../incident/events.js'
import type { JsonObject } from '../shared/decider.js'

/** Public names, versioned by their shape: a breaking change to a payload gets a new name (`incident.reported.v2`). */
export const webhookEventTypes = {
  'incident.reported': 'An incident (or a possible one) was reported: incidentId, title, source, severity (initial, if given), detectedAt.',
  'incident.triaged': 'The CSIRT assessed a report: incidentId, assessment (INCIDENT or NOT_INCIDENT), severity, serious.',
  'incident.escalated': 'The CSIRT head reported the incident to the CISO: incidentId, escalatedAt.',
  'incident.notified': 'The national centre was notified: incidentId, notifiedAt.',
  'incident.closed': 'The incident was closed: incidentId, closedAt.',
  'exception.decided': 'An exception request was approved or rejected: exceptionId, decision, emergency, decidedAt; when approved also rules, assetIds, unitId, from, to.',
  'exception.revoked': 'An approved exception was revoked: exceptionId, revokedAt.',
  'exception.overdue': 'An approved exception ended without an end report: exceptionId, dueAt, at.',
} as const

export type WebhookEventType = keyof typeof webhookEventTypes
export const webhookEventTypeNames = Object.keys(webhookEventTypes) as WebhookEventType[]
export const isWebhookEventType = (name: string): name is WebhookEventType => Object.hasOwn(webhookEventTypes, name)

type SourceEvent = IncidentEvent | ExceptionEvent
type DataOf<T extends SourceEvent['type']> = Extract<SourceEvent, { type: T }>['data']

interface Mapping<T extends SourceEvent['type']> {
  readonly publicType: WebhookEventType
  /** The payload's own fields; the envelope adds agencyId, position and eventId. */
  readonly build: (data: DataOf<T>, streamId: string) => JsonObject
}

/** `incident-<id>` → `<id>` (follow-up incident events do not repeat the id in their data). */
const idOf = (streamId: string, prefix: string) => (streamId.startsWith(`${prefix}-`) ? streamId.slice(prefix.length + 1) : streamId)

/** Stored event type → public type and payload. A stored type absent here is never sent. */
export const outboundEventMappings = {
  IncidentReported: {
    publicType: 'incident.reported',
    build: (d) => ({ incidentId: d.incidentId, title: d.title, source: d.source, severity: d.initialSeverity ?? null, detectedAt: d.detectedAt }),
  },
  IncidentTriaged: {
    publicType: 'incident.triaged',
    build: (d, streamId) => ({ incidentId: idOf(streamId, 'incident'), assessment: d.assessment, severity: d.severity ?? null, serious: d.serious, triagedAt: d.at }),
  },
  IncidentReportedToCiso: { publicType: 'incident.escalated', build: (d, streamId) => ({ incidentId: idOf(streamId, 'incident'), escalatedAt: d.at }) },
  NationalCentreNotified: { publicType: 'incident.notified', build: (d, streamId) => ({ incidentId: idOf(streamId, 'incident'), notifiedAt: d.at }) },
  IncidentClosed: { publicType: 'incident.closed', build: (d, streamId) => ({ incidentId: idOf(streamId, 'incident'), closedAt: d.at }) },
  ExceptionApproved: {
    publicType: 'exception.decided',
    build: (d) => ({
      exceptionId: d.exceptionId, decision: 'APPROVED', emergency: d.emergency, decidedAt: d.at,
      rules: d.rules, assetIds: d.assetIds, unitId: d.unitId ?? null, from: d.from, to: d.to,
    }),
  },
  ExceptionRejected: { publicType: 'exception.decided', build: (d) => ({ exceptionId: d.exceptionId, decision: 'REJECTED', emergency: d.emergency, decidedAt: d.at }) },
  ExceptionRevoked: { publicType: 'exception.revoked', build: (d) => ({ exceptionId: d.exceptionId, revokedAt: d.at }) },
  ExceptionBecameOverdue: { publicType: 'exception.overdue', build: (d) => ({ exceptionId: d.exceptionId, dueAt: d.dueAt, at: d.at }) },
} as const satisfies { [T in SourceEvent['type']]?: Mapping<T> }

export type OutboundSourceType = keyof typeof outboundEventMappings
export const outboundSourceTypes = Object.keys(outboundEventMappings) as OutboundSourceType[]

/** The stored event types behind each public type (for the catalogue as published). */
export const sourcesOf = (publicType: WebhookEventType): OutboundSourceType[] =>
  outboundSourceTypes.filter((t) => outboundEventMappings[t].publicType === publicType)

/** What a stored event becomes for subscribers, or undefined when it is not in the catalogue. */
export function toOutboundEvent(type: string, data: unknown, streamId: string): { publicType: WebhookEventType; payload: JsonObject } | undefined {
  if (!Object.hasOwn(outboundEventMappings, type)) return undefined
  const mapping = outboundEventMappings[type as OutboundSourceType] as Mapping<OutboundSourceType>
  return { publicType: mapping.publicType, payload: mapping.build(data as never, streamId) }
}
