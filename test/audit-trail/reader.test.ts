// The audit-trail reader against a seeded log: every filter selects exactly what a plain predicate over the
// whole log selects (another agency's events never among them), pages never skip or repeat (also when a scan
// stops at its budget with a short page), filters are checked, and entities map to streams and back.
import t from 'tap'
import { entityId, entityOf, entitySource, entityTypes, type EntityType } from '../../src/audit-trail/entities.js'
import { auditTrailPage, decodeCursor, encodeCursor, normaliseFilter, readBatch, type AuditFilter, type AuditFilterFields } from '../../src/audit-trail/reader.js'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import type { StoredEvent } from '../../src/eventstore/types.js'
import { freshDatabase } from '../helpers/db.js'
import { seedLog, T0 } from './audit-seed.js'

const db = await freshDatabase(t)
const store = new PostgresEventStore(db.app.pool)
const pool = db.app.pool
const mic = await seedLog(store, 'mic', 40) // same stream names in another agency
const log = await seedLog(store, 'mof', 250)
t.equal(log.length, 250)
t.equal(mic.length, 40)

const filterOf = (fields: AuditFilterFields = {}) => normaliseFilter('mof', fields, 'test')

/** Every entry of the filter, page by page. */
async function readAll(filter: AuditFilter, first: number, limits: { scanBudget?: number; window?: number } = {}): Promise<{ positions: number[]; pages: number; shortPages: number }> {
  const positions: number[] = []
  let after: string | undefined
  let pages = 0
  let shortPages = 0
  for (;;) {
    const page = await auditTrailPage(pool, filter, first, after, limits)
    pages++
    if (page.hasNextPage && page.items.length < first) shortPages++
    if (page.cursors.length !== page.items.length) throw new Error('a cursor per item')
    positions.push(...page.items.map((e) => e.position))
    if (page.items.some((e) => e.agencyId !== 'mof')) throw new Error('another agency leaked into the page')
    if (!page.hasNextPage) return { positions, pages, shortPages }
    if (page.endCursor === null) throw new Error('hasNextPage without an endCursor')
    after = page.endCursor
    if (pages > 1_000) throw new Error('paging does not end')
  }
}

const at = (iso: number) => new Date(iso).toISOString()
const cases: [string, AuditFilterFields, (e: StoredEvent) => boolean][] = [
  ['no filter', {}, () => true],
  ['an incident', { entityType: 'INCIDENT', entityId: 'INC-1' }, (e) => e.streamId === 'incident-INC-1'],
  ['a role assignment (one of several on the management stream)', { entityType: 'ROLE_ASSIGNMENT', entityId: 'A1' }, (e) => e.streamId === 'management-mof' && e.data.assignmentId === 'A1'],
  ['the management stream', { entityType: 'MANAGEMENT' }, (e) => e.streamId === 'management-mof'],
  ['an integration with its refused deliveries', { entityType: 'INTEGRATION', entityId: 'I1' }, (e) => e.streamType === 'integration' && e.data.integrationId === 'I1'],
  ['a plan by fiscal year', { entityType: 'PLAN', entityId: '2026' }, (e) => e.streamId === 'plan-2026'],
  ['the policy', { entityType: 'POLICY' }, (e) => e.streamId === 'policy'],
  ['a stream', { streamId: 'asset-AS-1' }, (e) => e.streamId === 'asset-AS-1'],
  ['event types', { eventTypes: ['IncidentTriaged', 'PolicyReviewed'] }, (e) => ['IncidentTriaged', 'PolicyReviewed'].includes(e.type)],
  ['an actor', { actorId: 'tanaka' }, (e) => e.metadata.actor.id === 'tanaka'],
  ['a source', { source: 'scheduler' }, (e) => e.metadata.source === 'scheduler'],
  ['a time range (from inclusive, to exclusive)', { from: '2026-04-01T10:00:00+09:00', to: at(T0 + 90 * 60_000) },
    (e) => Date.parse(e.recordedAt) >= T0 + 60 * 60_000 && Date.parse(e.recordedAt) < T0 + 90 * 60_000],
  ['a position range', { fromPosition: 17, toPosition: 161 }, (e) => e.position >= 17 && e.position <= 161],
  ['an entity, an actor and positions together', { entityType: 'INCIDENT', entityId: 'INC-2', actorId: 'sato', fromPosition: 30 },
    (e) => e.streamId === 'incident-INC-2' && e.metadata.actor.id === 'sato' && e.position >= 30],
  ['nothing matches', { actorId: 'nobody' }, () => false],
]

t.test('each filter selects exactly the events a predicate over the whole log selects, in position order', async (t) => {
  for (const [name, fields, predicate] of cases) {
    const expected = log.filter(predicate).map((e) => e.position)
    const { positions } = await readAll(filterOf(fields), 500)
    t.same(positions, expected, `${name}: ${expected.length} events`)
  }
  t.ok(log.filter((e) => e.streamId === 'incident-INC-1').length > 10 && mic.some((e) => e.streamId === 'incident-INC-1'), 'both agencies have the stream')
})

t.test('keyset pages never skip or repeat, whatever the page size, scan window and budget', async (t) => {
  for (const [name, fields, predicate] of cases) {
    const expected = log.filter(predicate).map((e) => e.position)
    for (const [first, limits] of [[1, {}], [7, {}], [3, { window: 11, scanBudget: 25 }]] as const) {
      const got = await readAll(filterOf(fields), first, limits)
      t.same(got.positions, expected, `${name}, first ${first}${limits.window ? `, window ${limits.window}, budget ${limits.scanBudget}` : ''}`)
    }
  }
  const sparse = await readAll(filterOf({ actorId: 'nobody' }), 5, { window: 11, scanBudget: 25 })
  t.ok(sparse.pages > 5 && sparse.shortPages > 0, `a sparse scan answers short pages within its budget (${sparse.pages} pages)`)
})

t.test('the stream key serves one entity: the scan window does not apply', async (t) => {
  const filter = filterOf({ entityType: 'INCIDENT', entityId: 'INC-1' })
  const batch = await readBatch(pool, filter, { p: 0 }, 250, 1_000, 1)
  t.equal(batch.events.length, log.filter((e) => e.streamId === 'incident-INC-1').length, 'one statement reads the whole stream')
  t.ok(batch.done)
  const scan = await readBatch(pool, filterOf({ actorId: 'sato' }), { p: 0 }, 250, 1_000, 10)
  t.same(scan.next, { p: 10 }, 'a scan statement covers one window of positions')
  t.notOk(scan.done)
})

t.test('the read stops at the head: later appends wait for the next page', async (t) => {
  const page = await auditTrailPage(pool, filterOf(), 1_000, undefined)
  t.equal(page.items.length, 250)
  t.notOk(page.hasNextPage)
  const next = await readBatch(pool, filterOf(), decodeCursor(page.endCursor ?? ''), 250, 10)
  t.same(next.events, [], 'nothing past the head given')
})

t.test('filter values that cannot work are refused with the field and what to do', async (t) => {
  const refused: [AuditFilterFields, string, RegExp][] = [
    [{ entityId: 'INC-1' }, 'test.entityId', /entityType/],
    [{ entityType: 'INCIDENT' }, 'test.entityId', /needs the id/],
    [{ entityType: 'PLAN', entityId: 'next' }, 'test.entityId', /fiscal year/],
    [{ entityType: 'POLICY', entityId: 'p1' }, 'test.entityId', /leave the entity id out/],
    [{ entityType: 'AGENCY', entityId: 'mic' }, 'test.entityId', /agency's own/],
    [{ entityType: 'OTHER', entityId: 'x' }, 'test.entityType', /not an entity type/],
    [{ entityType: 'INCIDENT', entityId: 'INC-1', streamId: 'policy' }, 'test.streamId', /not both/],
    [{ from: '2026-04-02T00:00:00Z', to: '2026-04-02T09:00:00+09:00' }, 'test.to', /later than from/],
    [{ fromPosition: 9, toPosition: 3 }, 'test.toPosition', /before fromPosition/],
  ]
  for (const [fields, path, message] of refused) {
    t.throws(() => normaliseFilter('mof', fields, 'test'), { code: 'ValidationFailed', errors: [{ path, message }] }, JSON.stringify(fields))
  }
  t.same(normaliseFilter('mof', { from: '2026-04-01T09:00:00+09:00', eventTypes: ['B', 'A', 'B'] }, 'test'),
    { agencyId: 'mof', from: '2026-04-01T00:00:00.000Z', eventTypes: ['A', 'B'] }, 'times become instants, event types a sorted set')
})

t.test('cursors: issued ones decode, forged ones are InvalidCursor', async (t) => {
  t.same(decodeCursor(encodeCursor({ p: 12, v: 3 })), { p: 12, v: 3 })
  for (const forged of ['x', encodeCursor({ p: -1 }), Buffer.from('{"p":1,"q":2}').toString('base64url'), Buffer.from('[1]').toString('base64url')]) {
    t.throws(() => decodeCursor(forged), { code: 'InvalidCursor' })
  }
})

t.test('every entity type maps to its stream and back', async (t) => {
  const samples: Record<EntityType, string | undefined> = {
    INCIDENT: 'INC-1', EXCEPTION: 'EX-1', ASSET: 'AS-1', SYSTEM: 'SYS-1', EMPLOYEE: 'sato', ROLE_ASSIGNMENT: 'A1', RISK: 'R-1', AUDIT: 'AU-1',
    CONTRACT: 'CT-1', CONTRACTOR: 'acme', INTEGRATION: 'I1', ALERT: 'wazuh:1', ALERT_GROUP: 'g1', WEBHOOK_SUBSCRIPTION: 'ws-1', POLICY: undefined,
    PLAN: '2026', TRAINING: '2027', SELF_CHECK: '2026', USAGE_RULES: undefined, USAGE_RULES_ACKNOWLEDGEMENT: 'sato', AGENCY: undefined, MANAGEMENT: undefined,
    COMPLIANCE_DUTIES: undefined,
  }
  for (const type of entityTypes) {
    const id = entityId(type, samples[type], 'mof')
    const source = entitySource(type, id, 'mof')
    const streamId = source.kind === 'stream' ? source.streamId : `integration-${id}`
    const data = source.dataMatch ? { [source.dataMatch.key]: source.dataMatch.value } : {}
    const streamType = streamId === 'policy' || streamId === 'usage-rules' || streamId === 'compliance-duties' ? streamId : streamId.startsWith('usage-rules-ack-') ? 'usage-rules-ack'
      : streamId.startsWith('alert-group-') ? 'alert-group' : streamId.startsWith('webhook-subscription-') ? 'webhook-subscription' : streamId.startsWith('selfcheck-') ? 'selfcheck' : streamId.split('-')[0] ?? ''
    t.same(entityOf({ agencyId: 'mof', streamType, streamId, data }), { type, id }, `${type} ↔ ${streamId}`)
  }
  t.same(entityOf({ agencyId: 'mof', streamType: 'integration', streamId: 'integration-I1-refusal-0b5c4a52-43b4-4d62-9f19-2a2d6f5c2b1e', data: { integrationId: 'I1' } }),
    { type: 'INTEGRATION', id: 'I1' }, 'a refused delivery is about its integration')
  t.same(entityOf({ agencyId: 'mof', streamType: 'mystery', streamId: 'mystery-1', data: {} }), { type: 'OTHER', id: 'mystery-1' }, 'a stream no entity type names')
})
