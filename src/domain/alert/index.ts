// One SIEM alert per stream `alert-<key>`, the key derived from (source, external id) inside the agency, so
// a repeat of the same alert lands on the same stream: the first delivery records it, a repeat updates
// it, a resolved notice resolves it. Webhook deliveries only (the system acts, no role issues it).
import type { Command, Decider, DomainEvent } from '../shared/decider.js'

/** The normalized alert as stored (src/siem NormalizedAlert, severity after the integration's default). */
export type AlertData = {
  title: string; severity: string | null; source: string; externalId: string; occurredAt?: string | undefined
  asset?: string | undefined; resolved: boolean; rule?: string | undefined; link?: string | undefined
}
type Receipt = { alertId: string; integrationId: string; alert: AlertData; payloadSha256: string; parserVersion: number; receivedAt: string; meetsThreshold: boolean }

export type ReceiveAlert = Command<'ReceiveAlert', Receipt>
export type AlertReceived = DomainEvent<'AlertReceived', Receipt>
export type AlertUpdated = DomainEvent<'AlertUpdated', Receipt>
export type AlertResolved = DomainEvent<'AlertResolved', Receipt>
export type AlertEvent = AlertReceived | AlertUpdated | AlertResolved
export const alertEventTypes = ['AlertReceived', 'AlertUpdated', 'AlertResolved'] as const satisfies readonly AlertEvent['type'][]

export interface AlertState { readonly received: boolean; readonly resolved: boolean }

export const alertDecider: Decider<ReceiveAlert, AlertEvent, AlertState> = {
  streamType: 'alert',
  initialState: () => ({ received: false, resolved: false }),
  evolve: (s, e) => {
    switch (e.type) {
      case 'AlertReceived': return { received: true, resolved: e.data.alert.resolved }
      case 'AlertUpdated': return { ...s, received: true }
      case 'AlertResolved': return { received: true, resolved: true }
    }
  },
  decide: (c, s) => {
    // The first delivery records the alert as it is (possibly already resolved); repeats update or resolve it.
    if (!s.received) return [{ type: 'AlertReceived', data: c.data }]
    return [{ type: c.data.alert.resolved ? 'AlertResolved' : 'AlertUpdated', data: c.data }]
  },
}

/** What a delivery answers for one alert, from the events its command recorded. */
export const alertStatusOf = (type: AlertEvent['type']): 'NEW' | 'UPDATED' | 'RESOLVED' =>
  type === 'AlertReceived' ? 'NEW' : type === 'AlertResolved' ? 'RESOLVED' : 'UPDATED'

export const alertStreamId = (alertKey: string) => `alert-${alertKey}`
