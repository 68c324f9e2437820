// Building a NormalizedAlert from whatever a parser found: cleaning and capping strings, keeping only
// http(s) links, and leaving out what is empty. Parsers map fields; this file enforces the limits.
import { sha256Hex } from './payload.js'
import { ParseError, type AlertSeverity, type NormalizedAlert, type ParseResult, type SiemFormat } from './types.js'

/** Caps, in UTF-16 code units. Longer values are shortened, never refused. */
export const limits = { title: 500, asset: 200, externalId: 500, rule: 500, link: 2048 } as const

const controls = /[\u0001-\u001f\u007f]+/g

/** Cuts to `max` code units without splitting a surrogate pair. */
function cut(value: string, max: number): string {
  if (value.length <= max) return value
  const end = /[\uD800-\uDBFF]/.test(value.charAt(max - 1)) ? max - 1 : max
  return value.slice(0, end)
}

/** One-line text: NULs removed, other control characters become spaces, ends trimmed, empty → undefined, long → cut with '…'. */
export function line(value: string | null | undefined, max: number): string | undefined {
  if (value == null) return undefined
  const cleaned = value.replaceAll('\u0000', '').replace(controls, ' ').trim()
  if (cleaned === '') return undefined
  return cleaned.length <= max ? cleaned : `${cut(cleaned, max - 1)}…`
}

/**
 * An id is cut differently from prose: a plain cut would make two long ids that share a prefix
 * collide, so a long id keeps its head and ends with the SHA-256 of the whole.
 */
export function identifier(value: string): string | undefined {
  const cleaned = line(value, Number.MAX_SAFE_INTEGER)
  if (cleaned === undefined || cleaned.length <= limits.externalId) return cleaned
  const hash = sha256Hex(cleaned)
  return `${cut(cleaned, limits.externalId - hash.length - 1)}~${hash}`
}

/** The first value that is not blank: for "this field, else that one" mappings. */
export function firstGiven(...values: readonly (string | null | undefined)[]): string | undefined {
  return values.find((v): v is string => line(v, Number.MAX_SAFE_INTEGER) !== undefined)
}

/** Only absolute http(s) URLs are links: anything else (javascript:, relative, too long) is dropped. */
export function httpLink(value: string | null | undefined): string | undefined {
  const candidate = line(value, Number.MAX_SAFE_INTEGER)
  if (candidate === undefined || candidate.length > limits.link || !URL.canParse(candidate)) return undefined
  const url = new URL(candidate)
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
}

/** What a parser hands over; `undefined`, `null` and empty strings simply mean "not given". */
export interface AlertFields {
  title: string | null | undefined
  /** Used when `title` is empty after cleaning (every alert needs a title). */
  fallbackTitle: string
  severity: AlertSeverity | undefined
  externalId: string
  /** Where the id came from, for the error when it is empty after cleaning. */
  externalIdPath: string
  occurredAt?: string | undefined
  asset?: string | null | undefined
  resolved: boolean
  rule?: string | null | undefined
  /** Candidates in order of preference: the first usable http(s) URL becomes the link. */
  links?: readonly (string | null | undefined)[]
}

export function normalizedAlert(source: SiemFormat, fields: AlertFields): NormalizedAlert {
  const externalId = identifier(fields.externalId)
  // Schemas require a non-empty id; one made only of spaces or control characters ends up here.
  if (externalId === undefined) throw new ParseError('UnsupportedShape', `${fields.externalIdPath}: the id is blank`, fields.externalIdPath)
  const title = line(fields.title, limits.title) ?? line(fields.fallbackTitle, limits.title) ?? `${source} alert`
  const asset = line(fields.asset, limits.asset)
  const rule = line(fields.rule, limits.rule)
  const link = (fields.links ?? []).map(httpLink).find((l) => l !== undefined)
  return {
    title,
    severity: fields.severity,
    source,
    externalId,
    ...(fields.occurredAt !== undefined && { occurredAt: fields.occurredAt }),
    ...(asset !== undefined && { asset }),
    resolved: fields.resolved,
    ...(rule !== undefined && { rule }),
    ...(link !== undefined && { link }),
  }
}

export function parseResult(format: SiemFormat, parserVersion: number, raw: Buffer, alerts: readonly NormalizedAlert[]): ParseResult {
  return { format, parserVersion, payloadSha256: sha256Hex(raw), alerts }
}
