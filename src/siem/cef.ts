// CEF (ArcSight Common Event Format) as text: one record per line, each optionally behind a syslog
// header. The grammar is in cef-syntax.ts; this file maps a record to an alert.
import { parseCefLine, type CefRecord } from './cef-syntax.js'
import { firstGiven, normalizedAlert, parseResult } from './normalize.js'
import { decodeText, MAX_ALERTS, sha256Hex } from './payload.js'
import { cefLevels, cefWords, fromBands, fromWords } from './severity.js'
import { instantFromCivil, instantFromIso, instantFromMs, monthNames, offsetMinutes } from './time.js'
import { ParseError, type AlertSeverity, type DeliveryHeaders, type NormalizedAlert, type ParseResult } from './types.js'

export const PARSER_VERSION = 1

/** Named zones CEF senders write after `rt`: UTC and its aliases, RFC 5322's US zones, and JST. */
const zoneOffsets: Readonly<Record<string, number>> = {
  UTC: 0, UT: 0, GMT: 0, Z: 0, JST: 540, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
}

function zoneOffset(zone: string | undefined): number | undefined {
  if (zone === undefined) return 0
  const name = zone.toUpperCase()
  return Object.hasOwn(zoneOffsets, name) ? zoneOffsets[name] : offsetMinutes(zone)
}

export function cefSeverity(value: string): AlertSeverity | undefined {
  const trimmed = value.trim()
  return /^\d{1,2}$/.test(trimmed) ? fromBands(cefLevels, Number(trimmed)) : fromWords(cefWords, trimmed)
}

const rtPattern = /^([A-Za-z]{3}) (\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?: (\S+))?$/

/**
 * `rt` in the forms the CEF specification lists: epoch milliseconds, or `MMM dd [yyyy] HH:mm:ss[.SSS] [zzz]`;
 * ISO 8601 is accepted too. Without a zone the time is read as UTC. Without a year, the year that
 * puts the event closest to its receipt (so "Dec 31 23:59" received on 1 January is last year's).
 */
export function cefTime(rt: string | undefined, receivedAt: string): string | undefined {
  if (rt === undefined) return undefined
  const value = rt.trim()
  if (/^\d{1,15}$/.test(value)) return instantFromMs(Number(value))
  const m = rtPattern.exec(value)
  if (!m) return instantFromIso(value)
  const monthIndex = monthNames.indexOf((m[1] ?? '').toLowerCase() as (typeof monthNames)[number])
  const zone = zoneOffset(m[8])
  if (monthIndex < 0 || zone === undefined) return undefined
  const at = (year: number) =>
    instantFromCivil({
      year, month: monthIndex + 1, day: Number(m[2]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]),
      fraction: m[7], offsetMinutes: zone,
    })
  if (m[3] !== undefined) return at(Number(m[3]))
  const received = instantFromIso(receivedAt)
  if (received === undefined) return undefined
  const year = Number(received.slice(0, 4))
  const distance = (iso: string) => Math.abs(Date.parse(iso) - Date.parse(received))
  return [year - 1, year, year + 1]
    .map(at)
    .filter((iso): iso is string => iso !== undefined)
    .reduce<string | undefined>((best, iso) => (best === undefined || distance(iso) < distance(best) ? iso : best), undefined)
}

/** Header fields joined with `|`, escaped as in the header, so no two field lists give the same text. */
function fallbackId(r: CefRecord): string {
  const parts = [r.vendor, r.product, r.signatureId, r.extension.get('rt') ?? '', r.extension.get('src') ?? '', r.extension.get('dst') ?? '']
  return sha256Hex(parts.map((p) => p.replace(/[\\|]/g, '\\$&')).join('|'))
}

function toAlert(r: CefRecord, where: string, receivedAt: string): NormalizedAlert {
  const x = r.extension
  return normalizedAlert('cef', {
    title: r.name,
    fallbackTitle: `CEF ${r.vendor} ${r.product} ${r.signatureId}`,
    severity: cefSeverity(r.severity),
    externalId: firstGiven(x.get('externalId')) ?? fallbackId(r),
    externalIdPath: where,
    occurredAt: cefTime(x.get('rt'), receivedAt),
    asset: firstGiven(x.get('dhost'), x.get('dst')),
    resolved: false,
    // Signature ids are only unique within one vendor's product.
    rule: `${r.vendor}|${r.product}|${r.signatureId}`,
  })
}

/** Non-blank lines with their numbers; stops counting once there are too many. */
function records(text: string): { text: string; where: string }[] {
  const found: { text: string; where: string }[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length && found.length <= MAX_ALERTS; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '')
    if (line.trim() !== '') found.push({ text: line, where: `line ${i + 1}` })
  }
  return found
}

export function parse(raw: Buffer, _headers: DeliveryHeaders, receivedAt: string): ParseResult {
  const lines = records(decodeText(raw))
  if (lines.length === 0) throw new ParseError('UnsupportedShape', 'not a CEF payload: the body has no CEF record')
  if (lines.length > MAX_ALERTS) throw new ParseError('UnsupportedShape', `not a CEF payload: more than ${MAX_ALERTS} records`)
  const alerts = lines.map((l) => toAlert(parseCefLine(l.text, l.where), l.where, receivedAt))
  return parseResult('cef', PARSER_VERSION, raw, alerts)
}
