// Elastic Security (Kibana) through a Webhook connector whose body is the template we publish
// (`schema: "elastic-v1"`, published in src/siem/README.md; a test keeps the two copies equal).
import { z } from 'zod'
import { firstGiven, normalizedAlert, parseResult } from './normalize.js'
import { MAX_ALERTS, readJson, validate } from './payload.js'
import { elasticWords, fromWords } from './severity.js'
import { instantFromIso } from './time.js'
import type { DeliveryHeaders, ParseResult } from './types.js'

export const PARSER_VERSION = 1

const text = z.string().nullish()

export const ElasticAlert = z.object({
  uuid: z.string().min(1),
  rule: z.object({ name: text, rule_id: text }).nullish(),
  'kibana.alert.severity': text,
  'kibana.alert.workflow_status': text,
  original_time: text,
  host: text,
  url: text,
})

/**
 * The published template (Kibana renders it; `{{#ParseHjson}}` forgives the trailing comma that
 * the `{{#context.alerts}}` section leaves, and Kibana JSON-escapes the `{{…}}` values):
 *
 * ```
 * {{#ParseHjson}}
 * {
 *   "schema": "elastic-v1",
 *   "rule": { "id": "{{rule.id}}", "name": "{{rule.name}}", "url": "{{rule.url}}" },
 *   "results_link": "{{context.results_link}}",
 *   "alerts": [
 *     {{#context.alerts}}
 *     {
 *       "uuid": "{{kibana.alert.uuid}}",
 *       "rule": { "name": "{{kibana.alert.rule.name}}", "rule_id": "{{kibana.alert.rule.rule_id}}" },
 *       "kibana.alert.severity": "{{kibana.alert.severity}}",
 *       "kibana.alert.workflow_status": "{{kibana.alert.workflow_status}}",
 *       "original_time": "{{kibana.alert.original_time}}",
 *       "host": "{{host.name}}",
 *       "url": "{{kibana.alert.url}}"
 *     },
 *     {{/context.alerts}}
 *   ]
 * }
 * {{/ParseHjson}}
 * ```
 * A variable Kibana does not have renders as `""`, so every field but `uuid` may be empty.
 */
export const ElasticPayload = z.object({
  schema: z.literal('elastic-v1'),
  rule: z.object({ id: text, name: text, url: text }).nullish(),
  results_link: text,
  alerts: z.array(ElasticAlert).max(MAX_ALERTS),
})

export function parse(raw: Buffer, _headers: DeliveryHeaders, _receivedAt: string): ParseResult {
  const body = validate(ElasticPayload, readJson(raw), 'Elastic (elastic-v1 template)')
  const alerts = body.alerts.map((a, i) =>
    normalizedAlert('elastic', {
      title: firstGiven(a.rule?.name, body.rule?.name),
      fallbackTitle: `Elastic alert ${a.uuid}`,
      severity: fromWords(elasticWords, a['kibana.alert.severity']),
      externalId: a.uuid,
      externalIdPath: `$.alerts[${i}].uuid`,
      occurredAt: instantFromIso(a.original_time),
      asset: a.host,
      // The template carries the workflow status; `closed` is the only value that says it is over.
      resolved: a['kibana.alert.workflow_status']?.trim().toLowerCase() === 'closed',
      rule: firstGiven(a.rule?.rule_id, body.rule?.id),
      links: [a.url, body.results_link, body.rule?.url],
    }),
  )
  return parseResult('elastic', PARSER_VERSION, raw, alerts)
}
