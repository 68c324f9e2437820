// One SIEM alert per stream `alert-<key>`, the key derived from (source, external id) inside the agency, so
// a repeat of the same alert lands on the same stream: the first delivery records it, a repeat updates
// it, a resolved notice resolves it. Webhook deliveries only (the system acts, no role issues it).
import type { Command, Decider, DomainEvent } from '../shared/decider.js'
import { DomainError } from '../shared/errors.js'

/** The normalized alert as stored (src/siem NormalizedAlert, severity after the integration's default). */
export type AlertData = {
  title: string; severity: string | null; source: string; externalId: string; occurredAt?: string | undefined
  asset?: string | undefined; resolved: boolean; rule?: string | undefined; link?: string | undefined
}
/**
 * What one delivery said about the alert, with the integration's policy in force when it arrived
 * (`meetsThreshold`, `correlationWindowMinutes`), so correlation later decides by the policy of the moment.
 */
export type AlertReceipt = {
  alertId: string; integrationId: string; alert: AlertData; payloadSha256: string; parserVersion: number; receivedAt: string; meetsThreshold: boolean
  /** Absent in events recorded before correlation existed: 60. */
  correlationWindowMinutes?: number | undefined
}

export type ReceiveAlert = Command<'ReceiveAlert', AlertReceipt>
/** Correlation (alert-correlation.ts) records which incident the alert fed; the first link stays. */
export type LinkAlertToIncident = Command<'LinkAlertToIncident', { alertId: string; incidentId: string }>
export type AlertCommand = ReceiveAlert | LinkAlertToIncident

export type AlertReceived = DomainEvent<'AlertReceived', AlertReceipt>
export type AlertUpdated = DomainEvent<'AlertUpdated', AlertReceipt>
export type AlertResolved = DomainEvent<'AlertResolved', AlertReceipt>
export type AlertCorrelated = DomainEvent<'AlertCorrelated', { alertId: string; incidentId: string; at: string }>
/** What a delivery records: what correlation reacts to. */
export type AlertReceiptEvent = AlertReceived | AlertUpdated | AlertResolved
export type AlertEvent = AlertReceiptEvent | AlertCorrelated
export const alertReceiptEventTypes = ['AlertReceived', 'AlertUpdated', 'AlertResolved'] as const satisfies readonly AlertReceiptEvent['type'][]
export const alertEventTypes = [...alertReceiptEventTypes, 'AlertCorrelated'] as const satisfies readonly AlertEvent['type'][]

export interface AlertState { readonly received: boolean; readonly resolved: boolean; readonly incidentId?: string | undefined }

export const alertDecider: Decider<AlertCommand, AlertEvent, AlertState> = {
  streamType: 'alert',
  initialState: () => ({ received: false, resolved: false }),
  evolve: (s, e) => {
    switch (e.type) {
      case 'AlertReceived': return { ...s, received: true, resolved: e.data.alert.resolved }
      // A delivery that is not a resolved notice: the alert fires (again, if it was resolved).
      case 'AlertUpdated': return { ...s, received: true, resolved: false }
      case 'AlertResolved': return { ...s, received: true, resolved: true }
      case 'AlertCorrelated': return { ...s, incidentId: s.incidentId ?? e.data.incidentId }
    }
  },
  decide: (c, s) => {
    if (c.type === 'LinkAlertToIncident') {
      if (!s.received) throw new DomainError('AlertNotFound', `no alert ${c.data.alertId} in this agency`)
      return s.incidentId === undefined ? [{ type: 'AlertCorrelated', data: { ...c.data, at: c.metadata.now } }] : []
    }
    // The first delivery records the alert as it is (possibly already resolved); repeats update or resolve it.
    if (!s.received) return [{ type: 'AlertReceived', data: c.data }]
    return [{ type: c.data.alert.resolved ? 'AlertResolved' : 'AlertUpdated', data: c.data }]
  },
}

/** What a delivery answers for one alert, from the events its command recorded. */
export const alertStatusOf = (type: AlertReceiptEvent['type']): 'NEW' | 'UPDATED' | 'RESOLVED' =>
  type === 'AlertReceived' ? 'NEW' : type === 'AlertResolved' ? 'RESOLVED' : 'UPDATED'

export const alertStreamId = (alertKey: string) => `alert-${alertKey}`

export * from './group.js'
