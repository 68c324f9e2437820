// Splunk's built-in webhook alert action: `{sid, search_name, app, owner, results_link, result}`,
// where `result` is the first result row of the search (field values are strings, or arrays for
// multivalue fields). One alert per delivery.
import { z } from 'zod'
import { firstGiven, normalizedAlert, parseResult } from './normalize.js'
import { canonicalJson, readJson, sha256Hex, validate } from './payload.js'
import { fromWords, splunkWords } from './severity.js'
import { instantFromIso, instantFromMs } from './time.js'
import type { DeliveryHeaders, ParseResult } from './types.js'

export const PARSER_VERSION = 1

const text = z.string().nullish()
/** A result field: Splunk writes strings, multivalue fields as arrays of strings. */
const field = z.union([z.string(), z.array(z.string())]).nullish()

export const SplunkPayload = z.object({
  sid: z.string().min(1),
  search_name: text,
  results_link: text,
  result: z.object({ severity: field, host: field, _time: z.union([z.string(), z.number(), z.array(z.string())]).nullish() }),
})

/** A multivalue field counts by its first value. */
function first<T>(value: T | readonly T[] | null | undefined): T | undefined {
  return Array.isArray(value) ? (value[0] as T | undefined) : ((value ?? undefined) as T | undefined)
}

/** `_time` as Splunk renders it: epoch seconds (`"1718187342.000"`) or an ISO-like string. */
function resultTime(value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number') return instantFromMs(value * 1000)
  return /^\d+(\.\d+)?$/.test(value.trim()) ? instantFromMs(Number(value) * 1000) : instantFromIso(value)
}

export function parse(raw: Buffer, _headers: DeliveryHeaders, receivedAt: string): ParseResult {
  const json = readJson(raw)
  const body = validate(SplunkPayload, json, 'Splunk webhook')
  // The id hashes the result as sent (every field, not only those read here): the same sid with a
  // different result row is a different alert, and key order in the JSON does not matter.
  const resultHash = sha256Hex(canonicalJson((json as { result: unknown }).result))
  return parseResult('splunk', PARSER_VERSION, raw, [
    normalizedAlert('splunk', {
      title: body.search_name,
      fallbackTitle: `Splunk alert ${body.sid}`,
      severity: fromWords(splunkWords, first(body.result.severity)),
      externalId: `${body.sid}/${resultHash}`,
      externalIdPath: '$.sid',
      occurredAt: resultTime(first(body.result._time)) ?? instantFromIso(receivedAt),
      asset: first(body.result.host),
      resolved: false,
      rule: firstGiven(body.search_name),
      links: [body.results_link],
    }),
  ])
}
