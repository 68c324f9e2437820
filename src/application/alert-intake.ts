// What a verified or refused webhook delivery records: one alert stream per (source, external id) in the
// integration's agency (a repeat lands on the same stream), and an audit event per refusal that never
// holds the unverified body (at most its SHA-256). The webhook acts as the system, not as an employee.
import { createHash, randomUUID } from 'node:crypto'
import { alertDecider, alertStatusOf, alertStreamId, type AlertData } from '../domain/alert/index.js'
import { integrationDecider, integrationSeverities, integrationStreamId, type IntegrationState } from '../domain/integration/index.js'
import type { NormalizedAlert, ParseResult } from '../siem/index.js'
import { runCommand, type Services } from './command-runner.js'
import { runPartitioned } from './partitioned.js'
import type { Principal, RequestContext } from './context.js'

export interface AcceptedAlert { externalId: string; alertId: string; status: 'NEW' | 'UPDATED' | 'RESOLVED'; position: number }

export const webhookPrincipal = (agencyId: string, integrationId: string): Principal => ({ agencyId, actorId: `integration:${integrationId}`, roles: [], tokenId: 'webhook', system: true })

/** The alert's stream key: the agency is already the store's first key, so (source, external id) completes it. */
export const alertIdOf = (source: string, externalId: string) => createHash('sha256').update(`${source}|${externalId}`).digest('hex').slice(0, 32)

/** The correlation group of an alert (alert-correlation.ts): one integration, one rule (the title when the format names none), one asset. */
export function alertGroupKey(integrationId: string, rule: string | undefined, title: string, asset: string | undefined): string {
  return createHash('sha256').update(JSON.stringify([integrationId, rule ?? title, asset ?? ''])).digest('hex').slice(0, 32)
}

const rank = (severity: string | null | undefined) => (severity == null ? -1 : integrationSeverities.indexOf(severity as never))

function alertData(a: NormalizedAlert, state: IntegrationState): AlertData {
  return {
    title: a.title, severity: a.severity ?? state.defaultSeverity ?? null, source: a.source, externalId: a.externalId, resolved: a.resolved,
    ...(a.occurredAt ? { occurredAt: a.occurredAt } : {}), ...(a.asset ? { asset: a.asset } : {}), ...(a.rule ? { rule: a.rule } : {}), ...(a.link ? { link: a.link } : {}),
  }
}

/**
 * Alerts of one delivery recorded at once, their appends sharing commits; alerts of the same alert or the same
 * correlation group stay in payload order, so the log (and the sliding correlation window) sees them as sent.
 */
const DELIVERY_CONCURRENCY = 8

/** Append every alert of a parsed delivery (each durable before the answer); answers in payload order. */
export async function acceptAlerts(s: Services, agencyId: string, integrationId: string, state: IntegrationState, parsed: ParseResult, receivedAt: string, ctx: RequestContext): Promise<AcceptedAlert[]> {
  const keysOf = (a: NormalizedAlert) => [alertIdOf(a.source, a.externalId), alertGroupKey(integrationId, a.rule, a.title, a.asset)]
  return runPartitioned(parsed.alerts, keysOf, DELIVERY_CONCURRENCY, async (a) => {
    const alertId = alertIdOf(a.source, a.externalId)
    const alert = alertData(a, state)
    const data = {
      alertId, integrationId, alert, payloadSha256: parsed.payloadSha256, parserVersion: parsed.parserVersion, receivedAt,
      meetsThreshold: rank(alert.severity) >= rank(state.severityThreshold ?? 'medium'), correlationWindowMinutes: state.correlationWindowMinutes,
    }
    const result = await runCommand(s, webhookPrincipal(agencyId, integrationId), ctx, { decider: alertDecider, streamId: alertStreamId(alertId), command: { type: 'ReceiveAlert', data }, fingerprint: data })
    // An alert stream always starts with AlertReceived: version 1 is the first delivery of this alert.
    const type = result.streamVersion === 1 ? 'AlertReceived' : a.resolved ? 'AlertResolved' : 'AlertUpdated'
    return { externalId: a.externalId, alertId, status: alertStatusOf(type), position: result.position }
  })
}

/**
 * Each refusal is a stream of its own, not part of the integration's stream: every delivery folds that
 * stream, and appending to a shared stream reads it first, so anyone who knows the URL could otherwise make
 * every later delivery (and refusal) slower. The integrations read model counts them per integration.
 */
export const refusalStreamId = (integrationId: string) => `${integrationStreamId(integrationId)}-refusal-${randomUUID()}`

export async function recordRefusal(s: Services, agencyId: string, integrationId: string, refusal: { reason: string; sourceAddress: string; payloadSha256?: string | undefined; suppressedBefore?: number | undefined }, ctx: RequestContext): Promise<void> {
  await runCommand(s, webhookPrincipal(agencyId, integrationId), ctx, {
    decider: integrationDecider, streamId: refusalStreamId(integrationId),
    command: { type: 'RecordDeliveryRefused', data: { integrationId, ...refusal } }, fingerprint: null,
  })
}
