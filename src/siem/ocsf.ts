// OCSF Detection Finding (class_uid 2004, OCSF 1.1+): one finding, or a JSON array of findings.
// Times are epoch milliseconds (OCSF `timestamp_t`).
import { z } from 'zod'
import { firstGiven, normalizedAlert, parseResult } from './normalize.js'
import { MAX_ALERTS, readJson, validate } from './payload.js'
import { fromIds, ocsfSeverityIds } from './severity.js'
import { instantFromMs } from './time.js'
import type { DeliveryHeaders, NormalizedAlert, ParseResult } from './types.js'

export const PARSER_VERSION = 1

/** OCSF finding `status_id` 4: the finding is resolved. */
export const OCSF_RESOLVED = 4

const text = z.string().nullish()
const epochMs = z.number().nullish()

export const DetectionFinding = z.object({
  class_uid: z.literal(2004),
  severity_id: z.number().int().nullish(),
  status_id: z.number().int().nullish(),
  time: epochMs,
  message: text,
  finding_info: z.object({
    uid: z.string().min(1),
    title: text,
    first_seen_time: epochMs,
    src_url: text,
    analytic: z.object({ uid: text, name: text }).nullish(),
  }),
  resources: z.array(z.object({ name: text })).nullish(),
  device: z.object({ hostname: text }).nullish(),
})
type DetectionFinding = z.output<typeof DetectionFinding>

const Findings = z.array(DetectionFinding).max(MAX_ALERTS)

function toAlert(f: DetectionFinding, path: string): NormalizedAlert {
  const info = f.finding_info
  return normalizedAlert('ocsf', {
    title: firstGiven(info.title, f.message),
    fallbackTitle: `OCSF finding ${info.uid}`,
    severity: fromIds(ocsfSeverityIds, f.severity_id),
    externalId: info.uid,
    externalIdPath: `${path}.finding_info.uid`,
    occurredAt: instantFromMs(info.first_seen_time ?? f.time ?? Number.NaN),
    asset: firstGiven(f.resources?.[0]?.name, f.device?.hostname),
    resolved: f.status_id === OCSF_RESOLVED,
    rule: firstGiven(info.analytic?.uid, info.analytic?.name),
    links: [info.src_url],
  })
}

export function parse(raw: Buffer, _headers: DeliveryHeaders, _receivedAt: string): ParseResult {
  const json = readJson(raw)
  const alerts = Array.isArray(json)
    ? validate(Findings, json, 'OCSF Detection Finding').map((f, i) => toAlert(f, `$[${i}]`))
    : [toAlert(validate(DetectionFinding, json, 'OCSF Detection Finding'), '$')]
  return parseResult('ocsf', PARSER_VERSION, raw, alerts)
}
