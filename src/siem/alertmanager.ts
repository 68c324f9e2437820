// Prometheus Alertmanager webhook (payload version 4): many alerts per delivery, each with its status.
import { z } from 'zod'
import { groupedAlerts, toNormalizedAlerts } from './alertmanager-shape.js'
import { parseResult } from './normalize.js'
import { readJson, validate } from './payload.js'
import type { DeliveryHeaders, ParseResult } from './types.js'

export const PARSER_VERSION = 1

/** `groupKey`, `receiver`, the common labels and `externalURL` are not needed to map the alerts. */
export const AlertmanagerPayload = z.object({
  version: z.literal('4'),
  alerts: groupedAlerts,
})

export function parse(raw: Buffer, _headers: DeliveryHeaders, _receivedAt: string): ParseResult {
  const body = validate(AlertmanagerPayload, readJson(raw), 'Alertmanager v4')
  return parseResult('alertmanager', PARSER_VERSION, raw, toNormalizedAlerts('alertmanager', body.alerts))
}
