// The SIEM parsers by format id, and format sniffing for a generic (unrouted) endpoint.
import * as alertmanager from './alertmanager.js'
import { cefStartIndex } from './cef-syntax.js'
import * as cef from './cef.js'
import * as elastic from './elastic.js'
import * as grafana from './grafana.js'
import * as ocsf from './ocsf.js'
import { decodeText, isRecord, parseJsonText } from './payload.js'
import * as sentinel from './sentinel.js'
import * as splunk from './splunk.js'
import type { DeliveryHeaders, Parser, SiemFormat } from './types.js'
import * as wazuh from './wazuh.js'

export { siemFormats, alertSeverities, ParseError } from './types.js'
export type { AlertSeverity, DeliveryHeaders, NormalizedAlert, ParseErrorCode, ParseResult, Parser, SiemFormat } from './types.js'

/**
 * Every parser, by the format id an integration names. A routed delivery goes straight to
 * `parsers[integration.format].parse(raw, headers, receivedAt)`.
 */
export const parsers: Record<SiemFormat, Parser> = {
  wazuh: { version: wazuh.PARSER_VERSION, parse: wazuh.parse },
  alertmanager: { version: alertmanager.PARSER_VERSION, parse: alertmanager.parse },
  grafana: { version: grafana.PARSER_VERSION, parse: grafana.parse },
  elastic: { version: elastic.PARSER_VERSION, parse: elastic.parse },
  splunk: { version: splunk.PARSER_VERSION, parse: splunk.parse },
  sentinel: { version: sentinel.PARSER_VERSION, parse: sentinel.parse },
  ocsf: { version: ocsf.PARSER_VERSION, parse: ocsf.parse },
  cef: { version: cef.PARSER_VERSION, parse: cef.parse },
}

const has = (o: Record<string, unknown>, key: string) => Object.hasOwn(o, key)
const wazuhEventId = /^\d+\.\d+$/

/** The "Recognise by" column of siem.md, for one JSON object. */
function sniffObject(o: Record<string, unknown>): SiemFormat | undefined {
  if (wazuh.isShuffleWrapper(o)) return 'wazuh'
  const rule = o.rule
  if (isRecord(rule) && typeof rule.level === 'number' && has(rule, 'id') && (has(o, 'agent') || has(o, 'manager'))
    && typeof o.id === 'string' && wazuhEventId.test(o.id)) return 'wazuh'
  // Legacy Grafana is routed to the Grafana parser, which refuses it with its own code.
  if (typeof o.orgId === 'number' && (Array.isArray(o.alerts) || grafana.isLegacyGrafana(o))) return 'grafana'
  if (o.version === '4' && typeof o.groupKey === 'string' && Array.isArray(o.alerts) && !has(o, 'orgId')) return 'alertmanager'
  if (o.schema === 'elastic-v1' && Array.isArray(o.alerts)) return 'elastic'
  if (typeof o.sid === 'string' && has(o, 'results_link') && isRecord(o.result)) return 'splunk'
  if (sentinel.isSentinelIncident(o)) return 'sentinel'
  if (o.class_uid === 2004 && isRecord(o.finding_info) && has(o.finding_info, 'uid')) return 'ocsf'
  return undefined
}

/**
 * Which format a delivery is, from its body alone (siem.md, "Recognise by"); undefined when none
 * fits, which the endpoint answers as an unsupported shape. Throws `ParseError('UnreadablePayload')`
 * for bytes that are not UTF-8, or that look like JSON but are not. `headers` are accepted for
 * symmetry with the parsers; no rule needs them today.
 */
export function sniffFormat(raw: Buffer, _headers: DeliveryHeaders): SiemFormat | undefined {
  const text = decodeText(raw).trimStart()
  if (text.startsWith('{') || text.startsWith('[')) {
    const json = parseJsonText(text)
    if (Array.isArray(json)) return json.length > 0 && isRecord(json[0]) && sniffObject(json[0]) === 'ocsf' ? 'ocsf' : undefined
    return isRecord(json) ? sniffObject(json) : undefined
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
  return cefStartIndex(firstLine) !== undefined ? 'cef' : undefined
}
