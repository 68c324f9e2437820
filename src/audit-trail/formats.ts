// How an event of the log is shown: the audit entry (GraphQL, REST) and the three export formats. JSON Lines
// carries every StoredEvent field as canonical JSON, CSV every field a verifier needs (data and metadata as
// JSON text), OCSF maps each event to API Activity (6003) or Entity Management (3004) with our fields in
// `unmapped`. Pure functions: export.ts streams them, verify-export.ts reads them back.
import { canonicalJson } from '../eventstore/hash.js'
import type { StoredEvent } from '../eventstore/types.js'
import { entityOf, type EntityRef } from './entities.js'

export interface AuditEntry {
  agencyId: string
  position: number
  eventId: string
  type: string
  schemaVersion: number
  recordedAt: string
  stream: { id: string; type: string; version: number }
  entity: EntityRef
  /** Who: the actor and the roles they acted with. */
  who: { actorId: string; roles: string[] }
  /** From where: api, graphql, webhook, scheduler or cli. */
  where: { source: string }
  /** Why: the command, and the conversation (correlation) and request or event (causation) it came from. */
  why: { commandType: string; correlationId: string; causationId: string | null; idempotencyKey: string | null }
  data: Record<string, unknown>
  prevHash: string
  hash: string
}

export function toAuditEntry(e: StoredEvent): AuditEntry {
  const m = e.metadata
  return {
    agencyId: e.agencyId, position: e.position, eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, recordedAt: e.recordedAt,
    stream: { id: e.streamId, type: e.streamType, version: e.streamVersion },
    entity: entityOf(e),
    who: { actorId: m.actor.id, roles: m.actor.roles },
    where: { source: m.source },
    why: { commandType: m.commandType, correlationId: m.correlationId, causationId: m.causationId ?? null, idempotencyKey: m.idempotencyKey ?? null },
    data: e.data, prevHash: e.prevHash, hash: e.hash,
  }
}

export const exportFormats = ['jsonl', 'csv', 'ocsf'] as const
export type ExportFormat = (typeof exportFormats)[number]

export interface FormatWriter {
  contentType: string
  extension: string
  /** What comes before the first event (the CSV's BOM and header row). */
  head(): string
  /** The events of one batch, each ending with its line break. */
  rows(events: readonly StoredEvent[]): string
}

/** One canonical JSON object per line: every StoredEvent field, so the verifier recomputes each hash. */
export const jsonlWriter: FormatWriter = {
  contentType: 'application/x-ndjson; charset=utf-8',
  extension: 'jsonl',
  head: () => '',
  rows: (events) => events.map((e) => `${canonicalJson(e)}\n`).join(''),
}

/** CSV columns, in order. `data` and `metadata` are canonical JSON; the columns between them are read from them. */
export const csvColumns = [
  'agency_id', 'position', 'recorded_at', 'event_type', 'entity_type', 'entity_id', 'stream_id', 'stream_type', 'stream_version',
  'event_id', 'schema_version', 'actor_id', 'actor_roles', 'source', 'command_type', 'correlation_id', 'causation_id',
  'idempotency_key', 'data', 'metadata', 'prev_hash', 'hash',
] as const
export type CsvColumn = (typeof csvColumns)[number]

const JST_MS = 9 * 60 * 60 * 1000

/** An instant as Japan time with its offset, milliseconds kept (2026-07-01T19:00:00.123+09:00). */
export const japanTime = (iso: string): string => new Date(Date.parse(iso) + JST_MS).toISOString().replace('Z', '+09:00')

/**
 * A cell that spreadsheet software would run as a formula (it starts with =, +, -, @, a tab or CR) gets a
 * leading apostrophe (CSV injection): the convenience columns carry caller-given text (actor, idempotency key).
 * The columns an event is rebuilt from (ids, data, metadata, hashes) never start so; the verifier derives the
 * same cells from data and metadata, so an export stays verifiable.
 */
export const csvCell = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)

/** The columns of an event, by name. */
export function csvRecord(e: StoredEvent): Record<CsvColumn, string> {
  const entity = entityOf(e)
  const m = e.metadata
  return {
    agency_id: e.agencyId, position: String(e.position), recorded_at: japanTime(e.recordedAt), event_type: e.type,
    entity_type: entity.type, entity_id: csvCell(entity.id ?? ''), stream_id: e.streamId, stream_type: e.streamType,
    stream_version: String(e.streamVersion), event_id: e.eventId, schema_version: String(e.schemaVersion),
    actor_id: csvCell(m.actor.id), actor_roles: csvCell(m.actor.roles.join(' ')), source: csvCell(m.source), command_type: csvCell(m.commandType),
    correlation_id: csvCell(m.correlationId), causation_id: csvCell(m.causationId ?? ''), idempotency_key: csvCell(m.idempotencyKey ?? ''),
    data: canonicalJson(e.data), metadata: canonicalJson(m), prev_hash: e.prevHash, hash: e.hash,
  }
}

// RFC 4180: a field holding a comma, a double quote, CR or LF is enclosed in double quotes, its quotes
// doubled; records end with CRLF. (Written here: csv-stringify's sync API measured about 10 times slower on
// batches of 2,000 rows. Reading back, where quoted line breaks make it harder, uses csv-parse.)
const NEEDS_QUOTES = /[",\r\n]/
const csvField = (value: string): string => (NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value)
const csvLine = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\r\n`

/** RFC 4180 with a UTF-8 BOM (spreadsheet software then shows Japanese text) and a header row. */
export const csvWriter: FormatWriter = {
  contentType: 'text/csv; charset=utf-8; header=present',
  extension: 'csv',
  head: () => `\uFEFF${csvLine(csvColumns)}`,
  rows: (events) => events.map((e) => {
    const r = csvRecord(e)
    return csvLine(csvColumns.map((c) => r[c]))
  }).join(''),
}

export const OCSF_VERSION = '1.3.0'
export const ocsfClasses = {
  API_ACTIVITY: { class_uid: 6003, class_name: 'API Activity', category_uid: 6, category_name: 'Application Activity' },
  ENTITY_MANAGEMENT: { class_uid: 3004, class_name: 'Entity Management', category_uid: 3, category_name: 'Identity & Access Management' },
} as const

/**
 * Entity Management (3004): decisions on a record (approvals, rejections, endorsements, revocations), role
 * assignments and delegations, and classification changes; with the activity (1 Create, 3 Update).
 * Every other event is API Activity (6003): the command that recorded it, Create on a stream's first event.
 */
export const entityManagementEvents: Readonly<Record<string, 1 | 3>> = {
  ExceptionApproved: 3, ExceptionRejected: 3, ExceptionEndorsed: 3, ExceptionRevoked: 3, AuditPlanApproved: 3, SecurityRequirementsApproved: 3,
  RoleAssigned: 1, RoleAssignmentEnded: 3, ResponsibilityDelegated: 1, DelegationEnded: 3,
  InformationClassified: 1, InformationReclassified: 3, ClassificationHandedOver: 3, HandlingRestrictionsSet: 3,
}

/** Events that record a refused attempt: OCSF status Failure. */
const refusals = new Set(['DeliveryRefused', 'InformationStepBlocked'])
const activityNames = { 1: 'Create', 3: 'Update' } as const

export function toOcsf(e: StoredEvent): Record<string, unknown> {
  const m = e.metadata
  const entity = entityOf(e)
  const managed = entityManagementEvents[e.type]
  const cls = managed === undefined ? ocsfClasses.API_ACTIVITY : ocsfClasses.ENTITY_MANAGEMENT
  const activityId = managed ?? (e.streamVersion === 1 ? 1 : 3)
  const failed = refusals.has(e.type)
  const reason = typeof e.data.reason === 'string' ? e.data.reason : typeof e.data.note === 'string' ? e.data.note : undefined
  const system = m.source === 'scheduler'
  const entityUid = entity.id ?? e.streamId
  // Built field by field, not by spreading: this runs once per exported event.
  const row: Record<string, unknown> = {
    class_uid: cls.class_uid, class_name: cls.class_name, category_uid: cls.category_uid, category_name: cls.category_name,
    activity_id: activityId, activity_name: activityNames[activityId], type_uid: cls.class_uid * 100 + activityId,
    type_name: `${cls.class_name}: ${activityNames[activityId]}`,
    time: Date.parse(e.recordedAt), severity_id: 1, severity: 'Informational',
    status_id: failed ? 2 : 1, status: failed ? 'Failure' : 'Success',
    message: `${e.type} on ${e.streamId} (version ${e.streamVersion}) by ${m.actor.id} via ${m.source}`,
    metadata: {
      version: OCSF_VERSION, product: { name: 'cs-record', vendor_name: 'cs-record' },
      uid: e.eventId, correlation_uid: m.correlationId, event_code: e.type, original_time: e.recordedAt, sequence: e.position, log_name: `events/${e.agencyId}`,
    },
    actor: { user: { uid: m.actor.id, type_id: system ? 3 : 1, type: system ? 'System' : 'User' } },
    src_endpoint: { name: m.source },
  }
  if (failed && reason !== undefined) row.status_detail = reason
  if (managed === undefined) {
    row.api = { operation: m.commandType, service: { name: 'cs-record' }, request: { uid: m.causationId ?? m.correlationId, data: e.data } }
    row.resources = [{ uid: entityUid, type: entity.type, name: e.streamId }]
  } else {
    row.entity = { uid: entityUid, type: entity.type, name: e.streamId, version: String(e.streamVersion), data: e.data }
    if (reason !== undefined) row.comment = reason
  }
  const unmapped: Record<string, unknown> = {
    agency_id: e.agencyId, position: e.position, stream_id: e.streamId, stream_type: e.streamType, stream_version: e.streamVersion,
    event_type: e.type, schema_version: e.schemaVersion, command_type: m.commandType, actor_roles: m.actor.roles, prev_hash: e.prevHash, hash: e.hash,
  }
  if (m.idempotencyKey !== undefined) unmapped.idempotency_key = m.idempotencyKey
  row.unmapped = unmapped
  return row
}

/** OCSF JSON Lines: a mapped view (not byte for byte): the verifier checks positions, links and the manifest, not content hashes. */
export const ocsfWriter: FormatWriter = {
  contentType: 'application/x-ndjson; charset=utf-8',
  extension: 'ocsf.jsonl',
  head: () => '',
  rows: (events) => events.map((e) => `${JSON.stringify(toOcsf(e))}\n`).join(''),
}

export const formatWriters: Record<ExportFormat, FormatWriter> = { jsonl: jsonlWriter, csv: csvWriter, ocsf: ocsfWriter }
