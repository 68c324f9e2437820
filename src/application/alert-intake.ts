// What a verified or refused webhook delivery records: one alert stream per (source, external id) in the
// integration's agency (a repeat lands on the same stream), and an audit event per refusal that never
// holds the unverified body (at most its SHA-256). The webhook acts as the system, not as an employee.
import { createHash } from 'node:crypto'
import { alertDecider, alertStatusOf, alertStreamId, type AlertData, type AlertEvent } from '../domain/alert/index.js'
import { integrationDecider, integrationSeverities, integrationStreamId, type IntegrationState } from '../domain/integration/index.js'
import type { NormalizedAlert, ParseResult } from '../siem/index.js'
import { runCommand, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'

export interface AcceptedAlert { externalId: string; alertId: string; status: 'NEW' | 'UPDATED' | 'RESOLVED'; position: number }

const webhookPrincipal = (agencyId: string, integrationId: string): Principal => ({ agencyId, actorId: `integration:${integrationId}`, roles: [], tokenId: 'webhook', system: true })

/** The alert's stream key: the agency is already the store's first key, so (source, external id) completes it. */
export const alertIdOf = (source: string, externalId: string) => createHash('sha256').update(`${source}|${externalId}`).digest('hex').slice(0, 32)

const rank = (severity: string | null | undefined) => (severity == null ? -1 : integrationSeverities.indexOf(severity as never))

function alertData(a: NormalizedAlert, state: IntegrationState): AlertData {
  return {
    title: a.title, severity: a.severity ?? state.defaultSeverity ?? null, source: a.source, externalId: a.externalId, resolved: a.resolved,
    ...(a.occurredAt ? { occurredAt: a.occurredAt } : {}), ...(a.asset ? { asset: a.asset } : {}), ...(a.rule ? { rule: a.rule } : {}), ...(a.link ? { link: a.link } : {}),
  }
}

/** Append every alert of a parsed delivery (each durable before the answer), in payload order. */
export async function acceptAlerts(s: Services, agencyId: string, integrationId: string, state: IntegrationState, parsed: ParseResult, receivedAt: string, ctx: RequestContext): Promise<AcceptedAlert[]> {
  const accepted: AcceptedAlert[] = []
  for (const a of parsed.alerts) {
    const alertId = alertIdOf(a.source, a.externalId)
    const alert = alertData(a, state)
    const data = {
      alertId, integrationId, alert, payloadSha256: parsed.payloadSha256, parserVersion: parsed.parserVersion, receivedAt,
      meetsThreshold: rank(alert.severity) >= rank(state.severityThreshold ?? 'medium'),
    }
    const before = await s.store.readStream(agencyId, alertStreamId(alertId))
    const result = await runCommand(s, webhookPrincipal(agencyId, integrationId), ctx, { decider: alertDecider, streamId: alertStreamId(alertId), command: { type: 'ReceiveAlert', data }, fingerprint: data })
    const type: AlertEvent['type'] = before.version === 0 ? 'AlertReceived' : a.resolved ? 'AlertResolved' : 'AlertUpdated'
    accepted.push({ externalId: a.externalId, alertId, status: alertStatusOf(type), position: result.position })
  }
  return accepted
}

export async function recordRefusal(s: Services, agencyId: string, integrationId: string, refusal: { reason: string; sourceAddress: string; payloadSha256?: string | undefined }, ctx: RequestContext): Promise<void> {
  await runCommand(s, webhookPrincipal(agencyId, integrationId), ctx, {
    decider: integrationDecider, streamId: integrationStreamId(integrationId),
    command: { type: 'RecordDeliveryRefused', data: { integrationId, ...refusal } }, fingerprint: null,
  })
}
