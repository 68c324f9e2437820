// Alerts into incidents (issue 5 §4): a reaction to what deliveries record. For each alert event, in log
// order per agency:
//   received or updated, not yet in an incident, not resolved:
//     1. its group (same integration, rule and asset) decides: join the group's open incident if the alert
//        comes within the window after the last one, else open a new incident if it meets the threshold;
//     2. the incident records the alert (OpenIncidentFromAlert, or LinkAlert);
//     3. the alert records its incident (LinkAlertToIncident).
//   resolved, in an incident: the incident records that the alert resolved.
// Each step carries an Idempotency-Key derived from the alert event and the step, and a new incident's id
// is derived from the event too: a reaction that is repeated (crash, lost lease) appends nothing twice.
import { createHash } from 'node:crypto'
import {
  alertDecider, alertGroupDecider, alertGroupStreamId, alertReceiptEventTypes, alertStreamId, decisionFor,
  type AlertEvent, type AlertGroupEvent, type AlertReceiptEvent,
} from '../domain/alert/index.js'
import { incidentDecider, incidentStreamId, type IncidentAlert, type IncidentAlertCommand } from '../domain/incident/index.js'
import { DEFAULT_CORRELATION_WINDOW_MINUTES } from '../domain/integration/decider.js'
import { toDomainEvent } from '../eventstore/handle-command.js'
import type { ProjectedEvent, Projection } from '../projections/types.js'
import { alertGroupKey, webhookPrincipal } from './alert-intake.js'
import { runCommand, type Services } from './command-runner.js'
import type { RequestContext } from './context.js'
import { runPartitioned } from './partitioned.js'

export const ALERT_CORRELATION = 'alert-correlation'

/** An id derived from the reacted-to event (RFC 9562 version 8 layout), so a repeated reaction names the same incident. */
function derivedId(eventId: string, purpose: string): string {
  const h = createHash('sha256').update(`${eventId}|${purpose}`).digest()
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x80
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80
  const hex = h.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Whether the incident may take more alerts: not closed, not dismissed (from its read model; not there yet: open). */
async function incidentOpen(s: Services, agencyId: string, incidentId: string): Promise<boolean> {
  const { rows } = await s.pool.query<{ status: string }>('SELECT status FROM incidents WHERE agency_id = $1 AND incident_id = $2', [agencyId, incidentId])
  const status = rows[0]?.status
  return status !== 'CLOSED' && status !== 'DISMISSED'
}

const earlier = (a: string, b: string) => (Date.parse(b) < Date.parse(a) ? b : a)

/** React to one alert event (see the header). Safe to repeat. */
export async function correlate(s: Services, stored: ProjectedEvent): Promise<void> {
  const event = toDomainEvent<AlertReceiptEvent>(stored as never)
  const receipt = event.data
  const { agencyId } = stored
  const principal = webhookPrincipal(agencyId, receipt.integrationId)
  const key = (step: string) => `${ALERT_CORRELATION}:${stored.eventId}:${step}`
  // Why the commands happen: the delivery's conversation, caused by this alert event.
  const ctxFor = (step: string): RequestContext => ({ correlationId: stored.metadata.correlationId, causationId: stored.eventId, source: 'webhook', idempotencyKey: key(step) })
  // The alert as it was before this event (was it resolved?) and as it is (which incident it fed).
  const alertEvents = (await s.store.readStream(agencyId, alertStreamId(receipt.alertId))).events
  const foldAlert = (events: typeof alertEvents) => events.map((e) => toDomainEvent<AlertEvent>(e)).reduce(alertDecider.evolve, alertDecider.initialState())
  const before = foldAlert(alertEvents.filter((e) => e.streamVersion < stored.streamVersion))
  const alert = foldAlert(alertEvents)
  const a = receipt.alert

  if (alert.incidentId !== undefined) {
    // The incident shows when its alert resolves, and when a resolved one fires again; once each.
    if (event.type === 'AlertResolved' && before.received && !before.resolved) {
      await runIncident(s, principal, ctxFor('resolve'), alert.incidentId, { type: 'ResolveLinkedAlert', data: { alertId: receipt.alertId, resolvedAt: receipt.receivedAt } })
    } else if (event.type === 'AlertUpdated' && before.resolved) {
      await runIncident(s, principal, ctxFor('reopen'), alert.incidentId, { type: 'ReopenLinkedAlert', data: { alertId: receipt.alertId, firingAgainAt: receipt.receivedAt } })
    }
    return
  }
  if (event.type === 'AlertResolved' || a.resolved) return

  // 1. The group decides. Its last event is its whole state (fold 'last'), so a noisy group costs the same per alert.
  const groupStream = alertGroupStreamId(alertGroupKey(receipt.integrationId, a.rule, a.title, a.asset))
  const tail = await s.store.readStreamTail(agencyId, groupStream)
  const current = tail.events.map((e) => toDomainEvent<AlertGroupEvent>(e)).reduce(alertGroupDecider.evolve, alertGroupDecider.initialState())
  const windowMinutes = receipt.correlationWindowMinutes ?? DEFAULT_CORRELATION_WINDOW_MINUTES
  const correlateData = {
    integrationId: receipt.integrationId, rule: a.rule ?? a.title, asset: a.asset ?? '', alertId: receipt.alertId,
    // A sender's clock may run ahead: an alert never happened after it was received.
    alertAt: earlier(a.occurredAt ?? receipt.receivedAt, receipt.receivedAt), meetsThreshold: receipt.meetsThreshold, windowMinutes,
    currentIncidentOpen: current.incidentId === undefined ? false : await incidentOpen(s, agencyId, current.incidentId),
    newIncidentId: derivedId(stored.eventId, 'incident'),
  }
  const result = await runCommand(s, principal, ctxFor('group'), {
    decider: alertGroupDecider, streamId: groupStream, command: { type: 'CorrelateAlert', data: correlateData }, fingerprint: correlateData, checkKeyFirst: false, fold: 'last',
  })
  // The decision is the event this call (or, repeated, its first run) wrote; none: below the threshold with nothing to join.
  if (result.appended === 0 && !result.replayed) return
  const written = (await s.store.readAgency(agencyId, result.position - 1, 1))[0]
  const decided = written && written.streamId === groupStream ? decisionFor([toDomainEvent<AlertGroupEvent>(written)], receipt.alertId) : undefined
  if (decided === undefined) throw new Error(`alert-correlation: no decision of ${groupStream} at ${agencyId}@${result.position} for alert ${receipt.alertId}`)

  // 2. The incident records the alert; 3. the alert records its incident.
  const incidentAlert: IncidentAlert = {
    alertId: receipt.alertId, integrationId: receipt.integrationId, source: a.source, externalId: a.externalId, title: a.title, severity: a.severity,
    receivedAt: receipt.receivedAt,
    ...(a.occurredAt ? { occurredAt: a.occurredAt } : {}), ...(a.asset ? { asset: a.asset } : {}), ...(a.rule ? { rule: a.rule } : {}), ...(a.link ? { link: a.link } : {}),
  }
  if (decided.opened) {
    await runCommand(s, principal, ctxFor('open'), { decider: incidentDecider, streamId: incidentStreamId(decided.incidentId), command: { type: 'OpenIncidentFromAlert', data: { incidentId: decided.incidentId, alert: incidentAlert } } as never, fingerprint: { incidentId: decided.incidentId, alert: incidentAlert } })
  } else {
    await runIncident(s, principal, ctxFor('link'), decided.incidentId, { type: 'LinkAlert', data: { alert: incidentAlert, windowMinutes } })
  }
  const link = { alertId: receipt.alertId, incidentId: decided.incidentId }
  await runCommand(s, principal, ctxFor('alert'), { decider: alertDecider, streamId: alertStreamId(receipt.alertId), command: { type: 'LinkAlertToIncident', data: link }, fingerprint: link, checkKeyFirst: false })
}

/**
 * Alert facts on an incident: they need only that the incident exists, so they decide on its last event (fold
 * 'last': the same cost on a noisy incident's ten-thousandth alert as on its first); a repeat is answered by its key.
 */
function runIncident(s: Services, principal: ReturnType<typeof webhookPrincipal>, ctx: RequestContext, incidentId: string, command: Omit<IncidentAlertCommand, 'metadata'>) {
  return runCommand(s, principal, ctx, { decider: incidentDecider, streamId: incidentStreamId(incidentId), command: command as never, fingerprint: command.data, checkKeyFirst: false, fold: 'last' })
}

/** Partitions of a batch worked on at once. */
const REACTION_CONCURRENCY = 16

/** What orders two alert events: the same agency and alert, or the same agency and group. */
function keysOf(e: ProjectedEvent): string[] {
  const r = e.data as unknown as AlertReceiptEvent['data']
  return [`${e.agencyId}|a|${r.alertId}`, `${e.agencyId}|g|${alertGroupKey(r.integrationId, r.alert.rule, r.alert.title, r.alert.asset)}`]
}

/** The reaction as the reactions runner runs it: one event after another, in log order per agency. */
export function alertCorrelationReaction(s: Services): Projection<never> {
  return {
    name: ALERT_CORRELATION,
    eventTypes: alertReceiptEventTypes,
    tables: [],
    async apply(_client, events) {
      // Different alerts of different groups go in parallel; one alert's or one group's events stay in log order.
      await runPartitioned(events, keysOf, REACTION_CONCURRENCY, (e) => correlate(s, e))
    },
  }
}
