// Correlation of alerts into incidents (issue 5 §4), one stream per group `alert-group-<key>`: the alerts
// of one integration with the same rule and the same asset. The group remembers its current incident and
// the span of its alerts; an alert joins that incident while it is open and the alert happened within the
// window of that span (the window slides with each alert that joins), otherwise an alert that meets the
// severity threshold opens a new incident. Below the threshold an alert can join but never open. Pure: the
// application says whether the current incident is still open and which id a new incident gets. That an
// alert is decided once is the alert stream's business (AlertCorrelated) and the reaction's keys.
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
/** Carries the window after the join (first and last alert times), so the group's last event is its whole state. */
export type AlertJoinedGroupIncident = DomainEvent<'AlertJoinedGroupIncident', {
  alertId: string; incidentId: string; alertAt: string; windowMinutes: number; firstAlertAt: string; lastAlertAt: string; at: string
}>
export type AlertGroupEvent = AlertGroupIncidentOpened | AlertJoinedGroupIncident
export const alertGroupEventTypes = ['AlertGroupIncidentOpened', 'AlertJoinedGroupIncident'] as const satisfies readonly AlertGroupEvent['type'][]

/**
 * The current incident and the span of its alerts. Every event carries this whole state, so a decision needs
 * only the stream's last event (handleCommand's fold 'last'): a noisy rule on one host costs the same per
 * alert on its ten-thousandth alert as on its first.
 */
export interface AlertGroupState {
  readonly incidentId?: string | undefined
  readonly firstAlertAt?: string | undefined
  readonly lastAlertAt?: string | undefined
}

/** What the group decided for an alert: read back from the event it wrote, so a retried reaction learns the first answer. */
export interface GroupDecision { incidentId: string; opened: boolean }

export function decisionFor(events: readonly AlertGroupEvent[], alertId: string): GroupDecision | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]
    if (e?.data.alertId === alertId) return { incidentId: e.data.incidentId, opened: e.type === 'AlertGroupIncidentOpened' }
  }
  return undefined
}

const earliest = (a: string, b: string) => (Date.parse(b) < Date.parse(a) ? b : a)
const latest = (a: string, b: string) => (Date.parse(b) > Date.parse(a) ? b : a)

export const alertGroupDecider: Decider<CorrelateAlert, AlertGroupEvent, AlertGroupState> = {
  streamType: 'alert-group',
  initialState: () => ({}),
  evolve: (s, e) => {
    switch (e.type) {
      case 'AlertGroupIncidentOpened': return { incidentId: e.data.incidentId, firstAlertAt: e.data.alertAt, lastAlertAt: e.data.alertAt }
      case 'AlertJoinedGroupIncident': return { incidentId: e.data.incidentId, firstAlertAt: e.data.firstAlertAt, lastAlertAt: e.data.lastAlertAt }
    }
  },
  decide: (c, s) => {
    const d = c.data
    const at = c.metadata.now
    // The window reaches `windowMinutes` before the incident's first alert and after its last one: an alert
    // that happened in between or near it joins, one far from it (earlier or later) does not.
    const window = d.windowMinutes * 60_000
    const t = Date.parse(d.alertAt)
    const withinWindow = s.incidentId !== undefined && s.firstAlertAt !== undefined && s.lastAlertAt !== undefined && window > 0
      && t >= Date.parse(s.firstAlertAt) - window && t <= Date.parse(s.lastAlertAt) + window
    if (s.incidentId !== undefined && s.firstAlertAt !== undefined && s.lastAlertAt !== undefined && d.currentIncidentOpen && withinWindow) {
      return [{
        type: 'AlertJoinedGroupIncident',
        data: { alertId: d.alertId, incidentId: s.incidentId, alertAt: d.alertAt, windowMinutes: d.windowMinutes, firstAlertAt: earliest(s.firstAlertAt, d.alertAt), lastAlertAt: latest(s.lastAlertAt, d.alertAt), at },
      }]
    }
    if (!d.meetsThreshold) return []
    return [{ type: 'AlertGroupIncidentOpened', data: { integrationId: d.integrationId, rule: d.rule, asset: d.asset, alertId: d.alertId, incidentId: d.newIncidentId, alertAt: d.alertAt, at } }]
  },
}

export const alertGroupStreamId = (groupKey: string) => `alert-group-${groupKey}`
