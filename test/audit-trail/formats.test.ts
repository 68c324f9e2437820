// The export formats as pure functions: JSON Lines is canonical JSON of every field; CSV is RFC 4180 with a
// BOM and CRLF, quoting commas, quotes and line breaks, Japanese intact, times in Japan time that name the same
// instant, and parses back with csv-parse; OCSF rows have the class, activity, type, time, metadata and actor
// the mapping promises, with our fields in `unmapped`.
import { parse } from 'csv-parse/sync'
import t from 'tap'
import { csvColumns, csvRecord, csvWriter, japanTime, jsonlWriter, ocsfWriter, toAuditEntry, toOcsf } from '../../src/audit-trail/formats.js'
import { canonicalJson, chainHash, contentHash, GENESIS_HASH } from '../../src/eventstore/hash.js'
import type { StoredEvent } from '../../src/eventstore/types.js'

/** A chained log of the given events (positions from 1, hashes as the store computes them). */
function chained(events: Omit<StoredEvent, 'agencyId' | 'position' | 'prevHash' | 'hash'>[]): StoredEvent[] {
  let prev = GENESIS_HASH
  return events.map((e, i) => {
    const content = { ...e, agencyId: 'mof', position: i + 1 }
    const hash = chainHash(prev, i + 1, contentHash(content))
    const stored = { ...content, prevHash: prev, hash }
    prev = hash
    return stored
  })
}

const meta = (over: Partial<StoredEvent['metadata']> = {}) => ({ actor: { id: '佐藤, "sato"', roles: ['CISO', 'AUDITOR'] }, correlationId: 'corr\r\nline two', source: 'api', commandType: 'ReportIncident', ...over })
const log = chained([
  { streamId: 'incident-INC-1', streamType: 'incident', streamVersion: 1, eventId: '6f1c0b4e-2d7a-4c1e-9a59-1f8f0c2b7d01', type: 'IncidentReported', schemaVersion: 1,
    data: { title: '不審メール, "至急"', description: 'line one\nline two' }, metadata: meta({ causationId: 'req-1' }), recordedAt: '2026-07-01T01:02:03.456Z' },
  { streamId: 'incident-INC-1', streamType: 'incident', streamVersion: 2, eventId: '6f1c0b4e-2d7a-4c1e-9a59-1f8f0c2b7d02', type: 'IncidentTriaged', schemaVersion: 1,
    data: { severity: 'high' }, metadata: meta({ source: 'graphql', commandType: 'TriageIncident', idempotencyKey: 'k1' }), recordedAt: '2026-07-01T15:00:00.000Z' },
  { streamId: 'management-mof', streamType: 'management', streamVersion: 7, eventId: '6f1c0b4e-2d7a-4c1e-9a59-1f8f0c2b7d03', type: 'RoleAssigned', schemaVersion: 1,
    data: { assignmentId: 'A-9', employeeId: 'sato', role: 'AUDITOR', note: 'annual rotation' }, metadata: meta({ commandType: 'AssignRole' }), recordedAt: '2026-07-02T00:00:00.000Z' },
  { streamId: 'exception-EX-1', streamType: 'exception', streamVersion: 4, eventId: '6f1c0b4e-2d7a-4c1e-9a59-1f8f0c2b7d04', type: 'ExceptionBecameOverdue', schemaVersion: 1,
    data: { exceptionId: 'EX-1' }, metadata: { actor: { id: 'scheduler', roles: [] }, correlationId: 'c-s', source: 'scheduler', commandType: 'MarkExceptionOverdue' }, recordedAt: '2026-07-03T00:00:00.000Z' },
  { streamId: 'integration-I1-refusal-1b5c4a52-43b4-4d62-9f19-2a2d6f5c2b1e', streamType: 'integration', streamVersion: 1, eventId: '6f1c0b4e-2d7a-4c1e-9a59-1f8f0c2b7d05', type: 'DeliveryRefused', schemaVersion: 1,
    data: { integrationId: 'I1', reason: 'bad signature', sourceAddress: '192.0.2.1' }, metadata: meta({ source: 'webhook', commandType: 'RecordDeliveryRefused' }), recordedAt: '2026-07-04T00:00:00.000Z' },
])

t.test('JSON Lines: one canonical JSON object per line with every StoredEvent field', async (t) => {
  const text = jsonlWriter.head() + jsonlWriter.rows(log)
  const lines = text.split('\n')
  t.equal(lines.pop(), '', 'each line ends with LF')
  t.equal(lines.length, log.length)
  lines.forEach((line, i) => {
    t.equal(line, canonicalJson(log[i]))
    t.same(JSON.parse(line), log[i])
  })
})

t.test('CSV: RFC 4180 with a BOM and CRLF; quoted commas, quotes and line breaks; parses back with csv-parse', async (t) => {
  const text = csvWriter.head() + csvWriter.rows(log)
  t.ok(text.startsWith('\uFEFFagency_id,position,recorded_at,'), 'BOM, then the header row')
  t.ok(text.endsWith('\r\n'))
  const unquoted = text.replace(/"(?:[^"]|"")*"/g, '')
  t.equal(unquoted.split('\r\n').length, log.length + 2, 'outside quoted fields, records end with CRLF')
  t.notOk(/[\r\n]/.test(unquoted.split('\r\n').join('')), 'and no CR or LF stands alone')
  t.ok(text.includes('"佐藤, ""sato"""'), 'a field with a comma and quotes is quoted, quotes doubled, Japanese as is')
  t.ok(text.includes('"corr\r\nline two"'), 'a field with a line break is quoted')
  const records = parse(text, { bom: true }) as string[][]
  t.same(records[0], [...csvColumns])
  t.equal(records.length, log.length + 1)
  log.forEach((e, i) => {
    const row = Object.fromEntries(csvColumns.map((c, j) => [c, records[i + 1]?.[j]]))
    t.same(row, csvRecord(e), `row ${i + 1} reads back as written`)
    t.same(JSON.parse(row.data ?? ''), e.data)
    t.same(JSON.parse(row.metadata ?? ''), e.metadata)
    t.equal(Date.parse(row.recorded_at ?? ''), Date.parse(e.recordedAt), 'recorded_at names the same instant')
  })
  t.equal(csvRecord(log[0] as StoredEvent).recorded_at, '2026-07-01T10:02:03.456+09:00', 'Japan time with its offset, milliseconds kept')
  t.equal(japanTime('2026-07-01T15:00:00.000Z'), '2026-07-02T00:00:00.000+09:00', 'the Japan date may be the next day')
  t.equal(csvRecord(log[2] as StoredEvent).entity_type, 'ROLE_ASSIGNMENT')
  t.equal(csvRecord(log[2] as StoredEvent).entity_id, 'A-9')
})

t.test('CSV: a caller-given cell that a spreadsheet would run as a formula gets a leading apostrophe', async (t) => {
  const [e] = chained([{ streamId: 'incident-INC-9', streamType: 'incident', streamVersion: 1, eventId: '6f1c0b4e-2d7a-4c1e-9a59-1f8f0c2b7d09', type: 'IncidentReported', schemaVersion: 1,
    data: { title: '=1+1' }, metadata: meta({ actor: { id: '@evil', roles: ['CISO'] }, idempotencyKey: '=HYPERLINK("http://evil.example","x")', correlationId: '-2+3' }), recordedAt: '2026-07-05T00:00:00.000Z' }])
  const r = csvRecord(e as StoredEvent)
  t.equal(r.idempotency_key, `'=HYPERLINK("http://evil.example","x")`)
  t.equal(r.actor_id, "'@evil")
  t.equal(r.correlation_id, "'-2+3")
  t.equal(r.data, '{"title":"=1+1"}', 'data stays canonical JSON (it starts with a brace)')
  const [row] = parse(csvWriter.rows([e as StoredEvent]), { relax_column_count: false }) as string[][]
  t.equal(row?.[csvColumns.indexOf('idempotency_key')], `'=HYPERLINK("http://evil.example","x")`, 'and reads back so')
})

t.test('OCSF: API Activity for commands, Entity Management for approvals, roles and classifications', async (t) => {
  const [reported, triaged, assigned, overdue, refused] = log.map(toOcsf)
  t.match(reported, {
    class_uid: 6003, category_uid: 6, activity_id: 1, type_uid: 600301, class_name: 'API Activity', activity_name: 'Create',
    time: Date.parse('2026-07-01T01:02:03.456Z'), severity_id: 1, status_id: 1,
    metadata: { version: '1.3.0', product: { name: 'cs-record' }, uid: log[0]?.eventId, correlation_uid: 'corr\r\nline two', original_time: '2026-07-01T01:02:03.456Z', sequence: 1 },
    actor: { user: { uid: '佐藤, "sato"', type_id: 1 } },
    api: { operation: 'ReportIncident', request: { uid: 'req-1', data: { title: '不審メール, "至急"' } } },
    resources: [{ uid: 'INC-1', type: 'INCIDENT', name: 'incident-INC-1' }],
    src_endpoint: { name: 'api' },
    unmapped: { agency_id: 'mof', position: 1, stream_id: 'incident-INC-1', stream_version: 1, prev_hash: GENESIS_HASH, hash: log[0]?.hash, actor_roles: ['CISO', 'AUDITOR'] },
  })
  t.match(triaged, { class_uid: 6003, activity_id: 3, type_uid: 600303, src_endpoint: { name: 'graphql' }, unmapped: { idempotency_key: 'k1', prev_hash: log[0]?.hash } })
  t.match(assigned, {
    class_uid: 3004, category_uid: 3, category_name: 'Identity & Access Management', activity_id: 1, type_uid: 300401,
    entity: { uid: 'A-9', type: 'ROLE_ASSIGNMENT', version: '7', data: { role: 'AUDITOR' } }, comment: 'annual rotation',
  })
  t.notOk('api' in (assigned ?? {}), 'Entity Management rows have no api object')
  t.match(overdue, { class_uid: 6003, activity_id: 3, actor: { user: { uid: 'scheduler', type_id: 3, type: 'System' } }, api: { request: { uid: 'c-s' } } })
  t.match(refused, { class_uid: 6003, status_id: 2, status: 'Failure', status_detail: 'bad signature', resources: [{ uid: 'I1', type: 'INTEGRATION' }] })
  const text = ocsfWriter.rows(log)
  t.same(text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown), log.map(toOcsf), 'one JSON object per line')
})

t.test('the audit entry: who, what, when, from where and why', async (t) => {
  t.same(toAuditEntry(log[1] as StoredEvent), {
    agencyId: 'mof', position: 2, eventId: log[1]?.eventId, type: 'IncidentTriaged', schemaVersion: 1, recordedAt: '2026-07-01T15:00:00.000Z',
    stream: { id: 'incident-INC-1', type: 'incident', version: 2 }, entity: { type: 'INCIDENT', id: 'INC-1' },
    who: { actorId: '佐藤, "sato"', roles: ['CISO', 'AUDITOR'] }, where: { source: 'graphql' },
    why: { commandType: 'TriageIncident', correlationId: 'corr\r\nline two', causationId: null, idempotencyKey: 'k1' },
    data: { severity: 'high' }, prevHash: log[0]?.hash, hash: log[1]?.hash,
  })
})
