// Microsoft Sentinel incidents forwarded by a Logic App ("Microsoft Sentinel incident" trigger,
// body passed on as is): the incident is `object`, updates keep its `name`.
import { z } from 'zod'
import { firstGiven, normalizedAlert, parseResult } from './normalize.js'
import { readJson, validate } from './payload.js'
import { fromWords, sentinelWords } from './severity.js'
import { instantFromIso } from './time.js'
import { ParseError, type DeliveryHeaders, type ParseResult } from './types.js'

export const PARSER_VERSION = 1

const INCIDENT_TYPE = 'microsoft.securityinsights/incidents'
const text = z.string().nullish()

/** Entities of every kind share this outline; only `Host` entities carry `hostName`. */
const Entity = z.object({
  kind: text,
  properties: z.object({ hostName: text, friendlyName: text }).nullish(),
})

export const SentinelPayload = z.object({
  objectSchemaType: text,
  object: z.object({
    name: z.string().min(1),
    type: text,
    properties: z.object({
      title: text,
      severity: text,
      status: text,
      createdTimeUtc: text,
      incidentNumber: z.number().nullish(),
      incidentUrl: text,
      relatedAnalyticRuleIds: z.array(z.string()).nullish(),
      relatedEntities: z.array(Entity).nullish(),
    }),
  }),
})
type SentinelPayload = z.output<typeof SentinelPayload>

/** Azure resource types compare case-insensitively (the API writes both `Incidents` and `incidents`). */
export function isSentinelIncident(body: { objectSchemaType?: unknown; object?: unknown }): boolean {
  const type = typeof body.object === 'object' && body.object !== null ? (body.object as { type?: unknown }).type : undefined
  return body.objectSchemaType === 'Incident' || (typeof type === 'string' && type.toLowerCase() === INCIDENT_TYPE)
}

function firstHost(incident: SentinelPayload['object']): string | undefined {
  const host = incident.properties.relatedEntities?.find((e) => e.kind?.toLowerCase() === 'host')
  return firstGiven(host?.properties?.hostName, host?.properties?.friendlyName)
}

export function parse(raw: Buffer, _headers: DeliveryHeaders, _receivedAt: string): ParseResult {
  const body = validate(SentinelPayload, readJson(raw), 'Sentinel incident')
  if (!isSentinelIncident(body)) {
    throw new ParseError('UnsupportedShape', 'not a Sentinel incident: $.objectSchemaType is not "Incident" and $.object.type is not Microsoft.SecurityInsights/Incidents', '$.objectSchemaType')
  }
  const incident = body.object
  const p = incident.properties
  return parseResult('sentinel', PARSER_VERSION, raw, [
    normalizedAlert('sentinel', {
      title: p.title,
      fallbackTitle: p.incidentNumber == null ? `Sentinel incident ${incident.name}` : `Sentinel incident ${p.incidentNumber}`,
      severity: fromWords(sentinelWords, p.severity),
      externalId: incident.name,
      externalIdPath: '$.object.name',
      occurredAt: instantFromIso(p.createdTimeUtc),
      asset: firstHost(incident),
      resolved: p.status === 'Closed',
      rule: p.relatedAnalyticRuleIds?.[0],
      links: [p.incidentUrl],
    }),
  ])
}
