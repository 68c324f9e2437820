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
  type AlertGroupEvent, type AlertReceiptEvent, type AlertState,
} from '../domain/alert/index.js'
import {
  incidentDecider, incidentStreamId, type IncidentAlert, type IncidentAlertCommand, type IncidentEvent, type IncidentState,
} from '../domain/incident/index.js'
import { DEFAULT_CORRELATION_WINDOW_MINUTES } from '../domain/integration/decider.js'
import type { Decider, DomainEvent } from '../domain/shared/decider.js'
import { toDomainEvent } from '../eventstore/handle-command.js'
import type { EventStore } from '../eventstore/types.js'
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

async function fold<E extends DomainEvent, S>(store: EventStore, agencyId: string, streamId: string, decider: Decider<never, E, S>): Promise<{ state: S; events: E[] }> {
  const stream = await store.readStream(agencyId, streamId)
  const events = stream.events.map((e) => toDomainEvent<E>(e))
  return { state: events.reduce(decider.evolve, decider.initialState()), events }
}

const CLOSED: readonly IncidentState['status'][] = ['CLOSED', 'DISMISSED']

/** React to one alert event (see the header). Safe to repeat. */
export async function correlate(s: Services, stored: ProjectedEvent): Promise<void> {
  const event = toDomainEvent<AlertReceiptEvent>(stored as never)
  const receipt = event.data
  const { agencyId } = stored
  const principal = webhookPrincipal(agencyId, receipt.integrationId)
  const key = (step: string) => `${ALERT_CORRELATION}:${stored.eventId}:${step}`
  // Why the commands happen: the delivery's conversation, caused by this alert event.
  const ctxFor = (step: string): RequestContext => ({ correlationId: stored.metadata.correlationId, causationId: stored.eventId, source: 'webhook', idempotencyKey: key(step) })
  const { state: alert } = await fold<never, AlertState>(s.store, agencyId, alertStreamId(receipt.alertId), alertDecider as never)
  const a = receipt.alert

  if (event.type === 'AlertResolved') {
    if (alert.incidentId === undefined) return
    const data = { alertId: receipt.alertId, resolvedAt: receipt.receivedAt }
    await runIncident(s, principal, ctxFor('resolve'), alert.incidentId, { type: 'ResolveLinkedAlert', data })
    return
  }
  if (alert.incidentId !== undefined || a.resolved) return

  // 1. The group decides (the current incident's state comes from its stream: closed or dismissed takes no more alerts).
  const groupStream = alertGroupStreamId(alertGroupKey(receipt.integrationId, a.rule, a.title, a.asset))
  const group = await fold<AlertGroupEvent, ReturnType<typeof alertGroupDecider.initialState>>(s.store, agencyId, groupStream, alertGroupDecider as never)
  let currentIncidentOpen = false
  if (group.state.incidentId !== undefined) {
    const current = await fold<IncidentEvent, IncidentState>(s.store, agencyId, incidentStreamId(group.state.incidentId), incidentDecider as never)
    currentIncidentOpen = !CLOSED.includes(current.state.status)
  }
  const windowMinutes = receipt.correlationWindowMinutes ?? DEFAULT_CORRELATION_WINDOW_MINUTES
  const correlateData = {
    integrationId: receipt.integrationId, rule: a.rule ?? a.title, asset: a.asset ?? '', alertId: receipt.alertId,
    alertAt: a.occurredAt ?? receipt.receivedAt, meetsThreshold: receipt.meetsThreshold, windowMinutes, currentIncidentOpen,
    newIncidentId: derivedId(stored.eventId, 'incident'),
  }
  // Decided before (a repeated reaction): go on with that decision. Otherwise the group decides now; its decision
  // is what it decided on the state read above when nothing else was written in between, else it is read back.
  let decided = decisionFor(group.events, receipt.alertId)
  if (decided === undefined) {
    const result = await runCommand(s, principal, ctxFor('group'), { decider: alertGroupDecider, streamId: groupStream, command: { type: 'CorrelateAlert', data: correlateData }, fingerprint: correlateData, checkKeyFirst: false })
    const predicted = alertGroupDecider.decide({ type: 'CorrelateAlert', data: correlateData, metadata: { actor: { id: principal.actorId, roles: [] }, agencyId, now: stored.recordedAt, correlationId: '', source: 'webhook' } }, group.state)
    decided = !result.replayed && result.streamVersion === group.events.length + predicted.length
      ? decisionFor(predicted, receipt.alertId)
      : decisionFor((await fold<AlertGroupEvent, unknown>(s.store, agencyId, groupStream, alertGroupDecider as never)).events, receipt.alertId)
  }
  if (decided === undefined) return // below the threshold, and no open incident to join

  // 2. The incident records the alert; 3. the alert records its incident.
  const incidentAlert: IncidentAlert = {
    alertId: receipt.alertId, integrationId: receipt.integrationId, source: a.source, externalId: a.externalId, title: a.title, severity: a.severity,
    receivedAt: receipt.receivedAt,
    ...(a.occurredAt ? { occurredAt: a.occurredAt } : {}), ...(a.asset ? { asset: a.asset } : {}), ...(a.rule ? { rule: a.rule } : {}), ...(a.link ? { link: a.link } : {}),
  }
  if (decided.opened) await runIncident(s, principal, ctxFor('open'), decided.incidentId, { type: 'OpenIncidentFromAlert', data: { incidentId: decided.incidentId, alert: incidentAlert } })
  else await runIncident(s, principal, ctxFor('link'), decided.incidentId, { type: 'LinkAlert', data: { alert: incidentAlert, windowMinutes } })
  const link = { alertId: receipt.alertId, incidentId: decided.incidentId }
  await runCommand(s, principal, ctxFor('alert'), { decider: alertDecider, streamId: alertStreamId(receipt.alertId), command: { type: 'LinkAlertToIncident', data: link }, fingerprint: link, checkKeyFirst: false })
}

function runIncident(s: Services, principal: ReturnType<typeof webhookPrincipal>, ctx: RequestContext, incidentId: string, command: Omit<IncidentAlertCommand, 'metadata'>) {
  // Each of these deciders answers a repeat with no event (or IncidentAlreadyExists, which handleCommand resolves through the key).
  return runCommand(s, principal, ctx, { decider: incidentDecider, streamId: incidentStreamId(incidentId), command: command as never, fingerprint: command.data, checkKeyFirst: false })
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
