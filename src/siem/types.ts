// The normalized alert every SIEM parser produces, and the one error type they throw. Pure types.

/** Every format a webhook integration can name; the order is the order `sniffFormat` tries. */
export const siemFormats = ['wazuh', 'alertmanager', 'grafana', 'elastic', 'splunk', 'sentinel', 'ocsf', 'cef'] as const
export type SiemFormat = (typeof siemFormats)[number]

export const alertSeverities = ['info', 'low', 'medium', 'high', 'critical'] as const
export type AlertSeverity = (typeof alertSeverities)[number]

/** Request headers as the HTTP adapter hands them over (lower-case names). */
export type DeliveryHeaders = Readonly<Record<string, string | undefined>>

/**
 * One alert as the rest of the service sees it, whatever tool sent it.
 * Strings are already cleaned: no NUL characters, no control characters in one-line fields,
 * capped in length (see `limits` in normalize.ts), and empty strings are left out.
 */
export interface NormalizedAlert {
  readonly title: string
  /** Undefined when the format does not say: the integration's default severity applies later. */
  readonly severity: AlertSeverity | undefined
  readonly source: SiemFormat
  /** With `(agency, source)` the dedup key: a repeat of the same id updates the same alert. */
  readonly externalId: string
  /** ISO 8601 instant in UTC (`toISOString()` form), only when the payload gives a usable time. */
  readonly occurredAt?: string
  readonly asset?: string
  /** True when the payload says the alert is over (Alertmanager/Grafana `resolved`, OCSF status 4, Sentinel `Closed`). */
  readonly resolved: boolean
  /** Rule or signature id, for correlation (same rule + same asset within a window). */
  readonly rule?: string
  /** An http(s) link back to the source: results link, generator URL, Kibana or Sentinel URL. */
  readonly link?: string
  /** The raw payload never travels inside an alert: its SHA-256 is on the `ParseResult`. */
  readonly raw?: never
}

export interface ParseResult {
  readonly format: SiemFormat
  /** Bumped whenever a parser's output for the same bytes changes, so stored payloads can be re-parsed. */
  readonly parserVersion: number
  /** Hex SHA-256 of the raw bytes exactly as received (the evidence, and what a signature covered). */
  readonly payloadSha256: string
  readonly alerts: readonly NormalizedAlert[]
}

/** A parser is pure: the same bytes, headers and receipt time always give the same result. */
export type ParseFunction = (raw: Buffer, headers: DeliveryHeaders, receivedAt: string) => ParseResult

export interface Parser {
  readonly version: number
  readonly parse: ParseFunction
}

/**
 * Why a delivery cannot be turned into alerts. The HTTP adapter maps the codes:
 * `UnreadablePayload` → 400 (not UTF-8, not JSON), `UnsupportedShape` → 422 (readable, but not this
 * format: wrong types, missing fields, too deep, too many alerts), `LegacyGrafanaPayload` → 422
 * (the pre-8 Grafana alerting body: switch the contact point to unified alerting).
 */
export type ParseErrorCode = 'UnreadablePayload' | 'UnsupportedShape' | 'LegacyGrafanaPayload'

export class ParseError extends Error {
  override name = 'ParseError'
  constructor(
    readonly code: ParseErrorCode,
    message: string,
    /** Where in the payload, JSONPath-like (`$.alerts[2].fingerprint`) or `line 3` for text; `$` for the whole. */
    readonly path: string = '$',
  ) {
    super(message)
  }
}
