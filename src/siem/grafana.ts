// Grafana unified alerting webhook (Grafana 8+, the contact point "Webhook"): the Alertmanager body
// plus a numeric `orgId`. The legacy dashboard-alerting body is refused with its own code.
import { z } from 'zod'
import { groupedAlerts, toNormalizedAlerts } from './alertmanager-shape.js'
import { parseResult } from './normalize.js'
import { isRecord, readJson, validate } from './payload.js'
import { ParseError, type DeliveryHeaders, type ParseResult } from './types.js'

export const PARSER_VERSION = 1

export const GrafanaPayload = z.object({
  orgId: z.number().int(),
  alerts: groupedAlerts,
})

/** Legacy alerting (removed in Grafana 11) sent one rule's state with `ruleName` and `evalMatches`. */
export function isLegacyGrafana(body: unknown): boolean {
  return isRecord(body) && (Object.hasOwn(body, 'evalMatches') || Object.hasOwn(body, 'ruleName'))
}

export function parse(raw: Buffer, _headers: DeliveryHeaders, _receivedAt: string): ParseResult {
  const json = readJson(raw)
  if (isLegacyGrafana(json)) {
    const key = Object.hasOwn(json as object, 'evalMatches') ? 'evalMatches' : 'ruleName'
    throw new ParseError(
      'LegacyGrafanaPayload',
      `legacy Grafana alerting payload ($.${key}): use a unified alerting contact point (Grafana 8+)`,
      `$.${key}`,
    )
  }
  const body = validate(GrafanaPayload, json, 'Grafana')
  return parseResult('grafana', PARSER_VERSION, raw, toNormalizedAlerts('grafana', body.alerts, [String(body.orgId)]))
}
