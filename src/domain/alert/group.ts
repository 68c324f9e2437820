// Correlation of alerts into incidents (issue 5 §4), one stream per group `alert-group-<key>`: the alerts
// of one integration with the same rule and the same asset. The group remembers its current incident and
// when its last alert came; an alert joins that incident while it is open and the alert comes within the
// window after the last one (a sliding window), otherwise an alert that meets the severity threshold opens
// a new incident. Below the threshold an alert can join but never open. Pure: the application says
// whether the current incident is still open and which id a new incident gets.
import type { Command, Decider, DomainEvent } from '../shared/decider.js'

export type AlertGroupKey = { integrationId: string; rule: string; asset: string }

export type CorrelateAlert = Command<'CorrelateAlert', AlertGroupKey & {
  alertId: string
  /** When the alert happened (occurredAt, else when it was received). */
  alertAt: string
  meetsThreshold: boolean
  windowMinutes: number
  /** Whether the group's current incident may still take alerts (not closed, not dismissed). */
  currentIncidentOpen: boolean
  /** The id an incident opened by this alert gets (derived from the alert's event, so a retry gets the same). */
  newIncidentId: string
}>

export type AlertGroupIncidentOpened = DomainEvent<'AlertGroupIncidentOpened', AlertGroupKey & { alertId: string; incidentId: string; alertAt: string; at: string }>
export type AlertJoinedGroupIncident = DomainEvent<'AlertJoinedGroupIncident', { alertId: string; incidentId: string; alertAt: string; windowMinutes: number; at: string }>
export type AlertGroupEvent = AlertGroupIncidentOpened | AlertJoinedGroupIncident
export const alertGroupEventTypes = ['AlertGroupIncidentOpened', 'AlertJoinedGroupIncident'] as const satisfies readonly AlertGroupEvent['type'][]

export interface AlertGroupState {
  readonly incidentId?: string | undefined
  /** The latest alert time of the current incident: the window slides from here. */
  readonly lastAlertAt?: string | undefined
  /** Alerts of the current incident (a repeat of the same alert decides nothing). */
  readonly alertIds: ReadonlySet<string>
}

/** What the group decided for an alert: read back from the stream, so a retried reaction learns the first answer. */
export interface GroupDecision { incidentId: string; opened: boolean }

export function decisionFor(events: readonly AlertGroupEvent[], alertId: string): GroupDecision | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]
    if (e?.data.alertId === alertId) return { incidentId: e.data.incidentId, opened: e.type === 'AlertGroupIncidentOpened' }
  }
  return undefined
}

const later = (a: string | undefined, b: string) => (a === undefined || Date.parse(b) > Date.parse(a) ? b : a)

export const alertGroupDecider: Decider<CorrelateAlert, AlertGroupEvent, AlertGroupState> = {
  streamType: 'alert-group',
  initialState: () => ({ alertIds: new Set() }),
  evolve: (s, e) => {
    switch (e.type) {
      case 'AlertGroupIncidentOpened': return { incidentId: e.data.incidentId, lastAlertAt: e.data.alertAt, alertIds: new Set([e.data.alertId]) }
      // The set is only ever held by the fold that built it, so adding to it in place keeps a long incident's fold linear.
      case 'AlertJoinedGroupIncident': return { ...s, lastAlertAt: later(s.lastAlertAt, e.data.alertAt), alertIds: (s.alertIds as Set<string>).add(e.data.alertId) }
    }
  },
  decide: (c, s) => {
    const d = c.data
    const at = c.metadata.now
    if (s.alertIds.has(d.alertId)) return []
    const withinWindow = s.lastAlertAt !== undefined && d.windowMinutes > 0 && Date.parse(d.alertAt) <= Date.parse(s.lastAlertAt) + d.windowMinutes * 60_000
    if (s.incidentId !== undefined && d.currentIncidentOpen && withinWindow) {
      return [{ type: 'AlertJoinedGroupIncident', data: { alertId: d.alertId, incidentId: s.incidentId, alertAt: d.alertAt, windowMinutes: d.windowMinutes, at } }]
    }
    if (!d.meetsThreshold) return []
    return [{ type: 'AlertGroupIncidentOpened', data: { integrationId: d.integrationId, rule: d.rule, asset: d.asset, alertId: d.alertId, incidentId: d.newIncidentId, alertAt: d.alertAt, at } }]
  },
}

export const alertGroupStreamId = (groupKey: string) => `alert-group-${groupKey}`
