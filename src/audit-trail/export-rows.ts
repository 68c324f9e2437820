// Reading an export back, row by row in file order, for verify-export.ts: JSON Lines and CSV rows become
// events whose content hash and chained hash are recomputed; OCSF rows keep position, hashes and the fields
// that must agree with each other. A row that breaks something throws Broken, naming its line.
import { parse as csvParser } from 'csv-parse'
import { chainHash, contentHash } from '../eventstore/hash.js'
import type { StoredEvent } from '../eventstore/types.js'
import { csvColumns, csvRecord, entityManagementEvents, ocsfClasses, type CsvColumn } from './formats.js'
import type { BrokenLink } from './verify-report.js'

/** A row of the file, read back: the event (JSON Lines, CSV), or only what OCSF keeps of it. */
export interface Row {
  line: number
  position: number
  prevHash: string
  hash: string
  streamId?: string | undefined
  streamVersion?: number | undefined
  eventId?: string | undefined
}

/** Thrown by a row decoder: the link is broken here. */
export class Broken extends Error {
  constructor(readonly link: BrokenLink) {
    super(link.message)
  }
}

/** Rows in file order, each decoded only when the caller reaches it: the first broken link is the first in the file. */
export interface Decoder {
  push(chunk: Buffer): Iterable<Row>
  end(): Promise<Iterable<Row>>
}

/** Lines ending in LF; a line never splits a UTF-8 sequence, so each is decoded whole. */
export function lineDecoder(toRow: (text: string, line: number) => Row): Decoder {
  let pending: Buffer = Buffer.alloc(0)
  let line = 0
  function* take(buf: Buffer): Generator<Row> {
    let start = 0
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      const text = buf.toString('utf8', start, nl)
      start = nl + 1
      pending = buf.subarray(start)
      yield toRow(text, ++line)
    }
    pending = buf.subarray(start)
  }
  return {
    push: (chunk) => take(pending.length === 0 ? chunk : Buffer.concat([pending, chunk])),
    end: async () => (pending.length === 0 ? [] : [toRow(pending.toString('utf8'), ++line)]),
  }
}

const malformed = (agencyId: string, line: number, message: string) => new Broken({ kind: 'MALFORMED', agencyId, line, message: `line ${line}: ${message}` })

/** Recomputes the event's content hash and chained hash; a difference is a changed event. */
function checkedEvent(e: StoredEvent, line: number, agencyId: string): Row {
  const at = { agencyId, line, position: e.position, streamId: e.streamId, streamVersion: e.streamVersion, eventId: e.eventId }
  if (e.agencyId !== agencyId) throw new Broken({ kind: 'MANIFEST_MISMATCH', ...at, expected: agencyId, actual: e.agencyId, message: `line ${line} is an event of agency ${e.agencyId}, not of ${agencyId}` })
  const recomputed = chainHash(e.prevHash, e.position, contentHash(e))
  if (recomputed !== e.hash) {
    throw new Broken({ kind: 'CONTENT_CHANGED', ...at, expected: e.hash, actual: recomputed, message: `the event at position ${e.position} (${e.streamId} version ${e.streamVersion}, line ${line}) was changed: its fields hash to ${recomputed.slice(0, 16)}…, not to its recorded hash` })
  }
  return { line, position: e.position, prevHash: e.prevHash, hash: e.hash, streamId: e.streamId, streamVersion: e.streamVersion, eventId: e.eventId }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const hex64 = /^[0-9a-f]{64}$/

/** The StoredEvent fields of a parsed object, or why not. */
function asEvent(o: Record<string, unknown>): StoredEvent | string {
  const strings = ['agencyId', 'streamId', 'streamType', 'eventId', 'type', 'recordedAt', 'prevHash', 'hash'] as const
  const ints = ['position', 'streamVersion', 'schemaVersion'] as const
  const missing = [...strings.filter((k) => typeof o[k] !== 'string'), ...ints.filter((k) => !Number.isSafeInteger(o[k])),
    ...(['data', 'metadata'] as const).filter((k) => !isObject(o[k]))]
  if (missing.length > 0) return `missing or wrong ${missing.join(', ')}`
  if (!hex64.test(o.hash as string) || !hex64.test(o.prevHash as string)) return 'hash and prevHash must be 64 hex digits'
  return o as unknown as StoredEvent
}

/** A line's JSON, or MALFORMED at that line. */
function parseLine(agencyId: string, text: string, line: number): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw malformed(agencyId, line, 'not a JSON object')
  }
}

export function jsonlRow(agencyId: string) {
  return (text: string, line: number): Row => {
    const o = parseLine(agencyId, text, line)
    const e = isObject(o) ? asEvent(o) : 'not a JSON object'
    if (typeof e === 'string') throw malformed(agencyId, line, e)
    return checkedEvent(e, line, agencyId)
  }
}

/** What an OCSF row keeps: position, hashes, and fields that must agree with each other and with the mapping. */
export function ocsfRow(agencyId: string) {
  return (text: string, line: number): Row => {
    const o = parseLine(agencyId, text, line)
    const u = isObject(o) && isObject(o.unmapped) ? o.unmapped : undefined
    const meta = isObject(o) && isObject(o.metadata) ? o.metadata : undefined
    if (!isObject(o) || !u || !meta || !Number.isSafeInteger(u.position) || typeof u.hash !== 'string' || !hex64.test(u.hash) ||
      typeof u.prev_hash !== 'string' || !hex64.test(u.prev_hash) || typeof u.event_type !== 'string') {
      throw malformed(agencyId, line, 'not an OCSF row of this service (unmapped.position, hash, prev_hash, event_type)')
    }
    const row: Row = { line, position: u.position as number, prevHash: u.prev_hash, hash: u.hash, streamId: typeof u.stream_id === 'string' ? u.stream_id : undefined, eventId: typeof meta.uid === 'string' ? meta.uid : undefined }
    const cls = entityManagementEvents[u.event_type] === undefined ? ocsfClasses.API_ACTIVITY : ocsfClasses.ENTITY_MANAGEMENT
    const disagreements = [
      u.agency_id !== agencyId && `unmapped.agency_id is ${String(u.agency_id)}`,
      (o.class_uid !== cls.class_uid || o.category_uid !== cls.category_uid) && `class ${String(o.class_uid)} is not the one ${u.event_type} maps to (${cls.class_uid})`,
      o.type_uid !== (o.class_uid as number) * 100 + (o.activity_id as number) && 'type_uid is not class_uid × 100 + activity_id',
      meta.sequence !== u.position && 'metadata.sequence differs from unmapped.position',
      (typeof meta.original_time !== 'string' || o.time !== Date.parse(meta.original_time)) && 'time differs from metadata.original_time',
    ].filter((d): d is string => typeof d === 'string')
    if (disagreements.length > 0) {
      throw new Broken({ kind: 'CONTENT_CHANGED', agencyId, line, position: row.position, streamId: row.streamId, eventId: row.eventId, message: `line ${line} (position ${row.position}) was changed: ${disagreements.join('; ')}` })
    }
    return row
  }
}

/** RFC 4180 records (csv-parse, BOM stripped); the header must be the export's columns. */
export function csvDecoder(agencyId: string): Decoder {
  let records: { fields: string[]; line: number }[] = []
  let lastLine = 0
  const parser = csvParser({ bom: true, relax_column_count: true, on_record: (fields: string[], ctx: { lines: number }) => {
    records.push({ fields, line: lastLine + 1 })
    lastLine = ctx.lines
    return null
  } })
  let failure: Error | undefined
  parser.on('error', (err) => { failure = err })
  const ended = new Promise<void>((resolve) => parser.on('end', resolve).on('error', () => resolve()))
  let header = true
  function* drain(): Generator<Row> {
    const taken = records
    records = []
    for (const r of taken) {
      if (header) {
        header = false
        if (r.fields.join(',') !== csvColumns.join(',')) throw malformed(agencyId, r.line, `the header must be ${csvColumns.join(',')}`)
        continue
      }
      yield csvRow(agencyId, r.fields, r.line)
    }
    // The records parsed before the fault come first.
    if (failure) throw malformed(agencyId, lastLine + 1, `not RFC 4180 CSV: ${failure.message}`)
  }
  return {
    push: (chunk) => {
      if (!failure) parser.write(chunk)
      return drain()
    },
    end: async () => {
      if (!failure) {
        parser.end()
        parser.resume()
        await ended
      }
      return drain()
    },
  }
}

function csvRow(agencyId: string, fields: string[], line: number): Row {
  if (fields.length !== csvColumns.length) throw malformed(agencyId, line, `${fields.length} columns, not ${csvColumns.length}`)
  const col = Object.fromEntries(csvColumns.map((c, i) => [c, fields[i] ?? ''])) as Record<CsvColumn, string>
  const recordedAt = Date.parse(col.recorded_at)
  let data: unknown
  let metadata: unknown
  try {
    data = JSON.parse(col.data)
    metadata = JSON.parse(col.metadata)
  } catch {
    throw malformed(agencyId, line, 'data and metadata must be JSON')
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(col.recorded_at) || Number.isNaN(recordedAt)) throw malformed(agencyId, line, `recorded_at ${col.recorded_at} is not an ISO-8601 time`)
  const event = asEvent({
    agencyId: col.agency_id, position: Number(col.position), streamId: col.stream_id, streamType: col.stream_type, streamVersion: Number(col.stream_version),
    eventId: col.event_id, type: col.event_type, schemaVersion: Number(col.schema_version), data, metadata, recordedAt: new Date(recordedAt).toISOString(),
    prevHash: col.prev_hash, hash: col.hash,
  })
  if (typeof event === 'string') throw malformed(agencyId, line, event)
  const row = checkedEvent(event, line, agencyId)
  // The columns read from data and metadata must say what they say (the hash covers only data and metadata).
  const derived = csvRecord(event)
  const differs = (['entity_type', 'entity_id', 'actor_id', 'actor_roles', 'source', 'command_type', 'correlation_id', 'causation_id', 'idempotency_key'] as const)
    .find((c) => derived[c] !== col[c])
  if (differs !== undefined) {
    throw new Broken({ kind: 'CONTENT_CHANGED', agencyId, line, position: event.position, streamId: event.streamId, streamVersion: event.streamVersion, eventId: event.eventId, expected: derived[differs], actual: col[differs], message: `line ${line} (position ${event.position}): column ${differs} does not say what the event's data and metadata say` })
  }
  return row
}
