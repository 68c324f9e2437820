// Shared by the SIEM parser tests: fixtures, a fixed receipt time, and an independent SHA-256.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parsers, type ParseResult, type SiemFormat } from '../../src/siem/index.js'

export const RECEIVED_AT = '2024-06-12T01:30:00.000Z'

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url))
}

/** A JSON fixture as a value, to change one field and send it again. */
export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixture(name).toString('utf8')) as T
}

export const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8')
export const text = (value: string): Buffer => Buffer.from(value, 'utf8')

export function parse(format: SiemFormat, raw: Buffer, receivedAt = RECEIVED_AT): ParseResult {
  return parsers[format].parse(raw, {}, receivedAt)
}

/** The alerts only, for mapping assertions. */
export function alerts(format: SiemFormat, raw: Buffer, receivedAt = RECEIVED_AT) {
  return parse(format, raw, receivedAt).alerts
}

export const only = (format: SiemFormat, raw: Buffer, receivedAt = RECEIVED_AT) => {
  const list = alerts(format, raw, receivedAt)
  if (list.length !== 1) throw new Error(`expected one alert, got ${list.length}`)
  return list[0]!
}

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')

/** JSON-value formats: they all go through the same hardening. */
export const jsonFormats = ['wazuh', 'alertmanager', 'grafana', 'elastic', 'splunk', 'sentinel', 'ocsf'] as const satisfies readonly SiemFormat[]
