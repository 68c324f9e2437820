// Severity mappings as data, one table per format (siem.md, "Formats"). A value no table knows maps
// to undefined: the integration's default severity then applies.
import type { AlertSeverity } from './types.js'

/** Inclusive numeric bands, checked in order. */
export type SeverityBands = readonly (readonly [min: number, max: number, severity: AlertSeverity])[]

/** Wazuh `rule.level` 0–16. */
export const wazuhLevels: SeverityBands = [
  [0, 3, 'info'],
  [4, 7, 'low'],
  [8, 11, 'medium'],
  [12, 14, 'high'],
  [15, 16, 'critical'],
]

/** CEF header severity 0–10 (integers only). */
export const cefLevels: SeverityBands = [
  [0, 3, 'low'],
  [4, 6, 'medium'],
  [7, 8, 'high'],
  [9, 10, 'critical'],
]

/** CEF header severity written as a word (CEF 23+: Unknown, Low, Medium, High, Very-High). */
export const cefWords: Readonly<Record<string, AlertSeverity>> = { low: 'low', medium: 'medium', high: 'high', 'very-high': 'critical' }

/** OCSF `severity_id`: 0 Unknown and 99 Other say nothing. */
export const ocsfSeverityIds: Readonly<Record<number, AlertSeverity>> = { 1: 'info', 2: 'low', 3: 'medium', 4: 'high', 5: 'critical', 6: 'critical' }

/** Sentinel incident severities. */
export const sentinelWords: Readonly<Record<string, AlertSeverity>> = { informational: 'info', low: 'low', medium: 'medium', high: 'high' }

/** Kibana `kibana.alert.severity`: Elastic only has these four. */
export const elasticWords: Readonly<Record<string, AlertSeverity>> = { low: 'low', medium: 'medium', high: 'high', critical: 'critical' }

/** Splunk `result.severity` (the words Splunk ES and most searches use). */
export const splunkWords: Readonly<Record<string, AlertSeverity>> = {
  informational: 'info', info: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical',
}

/**
 * Prometheus/Grafana `labels.severity` is free text; these are the values seen in the
 * kube-prometheus and Grafana rule conventions (`warning` is the usual middle level).
 */
export const labelWords: Readonly<Record<string, AlertSeverity>> = {
  none: 'info', info: 'info', informational: 'info', low: 'low', minor: 'low', warning: 'medium', warn: 'medium',
  medium: 'medium', high: 'high', major: 'high', error: 'high', critical: 'critical', page: 'critical',
}

export function fromBands(bands: SeverityBands, value: number | undefined): AlertSeverity | undefined {
  if (value === undefined || !Number.isInteger(value)) return undefined
  return bands.find(([min, max]) => value >= min && value <= max)?.[2]
}

/** Case-insensitive lookup; own keys only, so `constructor` or `__proto__` never match. */
export function fromWords(table: Readonly<Record<string, AlertSeverity>>, value: string | null | undefined): AlertSeverity | undefined {
  if (value == null) return undefined
  const key = value.trim().toLowerCase()
  return Object.hasOwn(table, key) ? table[key] : undefined
}

export function fromIds(table: Readonly<Record<number, AlertSeverity>>, value: number | null | undefined): AlertSeverity | undefined {
  return value != null && Object.hasOwn(table, value) ? table[value] : undefined
}
