// Wazuh: one alert as Wazuh writes it to alerts.json (what a custom integration script forwards),
// or wrapped by the Shuffle integration (`pretext: "WAZUH Alert"`, the alert in `all_fields`).
import { z } from 'zod'
import { firstGiven, normalizedAlert, parseResult } from './normalize.js'
import { isRecord, readJson, validate } from './payload.js'
import { fromBands, wazuhLevels } from './severity.js'
import { instantFromIso } from './time.js'
import type { DeliveryHeaders, ParseResult } from './types.js'

export const PARSER_VERSION = 1

const text = z.string().nullish()

/**
 * The fields we read from a Wazuh alert. `id` is `<epoch seconds>.<offset in the alerts file>`,
 * unique per manager; `rule.id` is a string in Wazuh's JSON, accepted as a number too.
 */
export const WazuhAlert = z.object({
  id: z.string().min(1),
  timestamp: text,
  rule: z.object({
    id: z.union([z.string().min(1), z.number()]),
    level: z.number(),
    description: text,
  }),
  agent: z.object({ name: text, ip: text }).nullish(),
})

const ShuffleWrapper = z.object({ pretext: z.literal('WAZUH Alert'), all_fields: WazuhAlert })

export function isShuffleWrapper(value: unknown): boolean {
  return isRecord(value) && value.pretext === 'WAZUH Alert' && Object.hasOwn(value, 'all_fields')
}

export function parse(raw: Buffer, _headers: DeliveryHeaders, _receivedAt: string): ParseResult {
  const body = readJson(raw)
  const wrapped = isShuffleWrapper(body)
  const alert = wrapped ? validate(ShuffleWrapper, body, 'Wazuh (Shuffle wrapper)').all_fields : validate(WazuhAlert, body, 'Wazuh alert')
  const ruleId = String(alert.rule.id)
  return parseResult('wazuh', PARSER_VERSION, raw, [
    normalizedAlert('wazuh', {
      title: alert.rule.description,
      fallbackTitle: `Wazuh rule ${ruleId}`,
      severity: fromBands(wazuhLevels, alert.rule.level),
      externalId: alert.id,
      externalIdPath: wrapped ? '$.all_fields.id' : '$.id',
      occurredAt: instantFromIso(alert.timestamp),
      asset: firstGiven(alert.agent?.name, alert.agent?.ip),
      resolved: false,
      rule: ruleId,
    }),
  ])
}
