// handleCommand over the in-memory store: versions, agency positions, idempotency and conflict retries.
import t from 'tap'
import { incidentDecider, incidentStreamId } from '../../src/domain/incident/index.js'
import { DomainError } from '../../src/domain/shared/errors.js'
import { ConcurrencyError, IdempotencyKeyReusedError } from '../../src/eventstore/errors.js'
import { handleCommand } from '../../src/eventstore/handle-command.js'
import { InMemoryEventStore } from '../../src/eventstore/memory-store.js'
import type { AppendOutcome, AppendRequest, EventStore } from '../../src/eventstore/types.js'
import { command, reportData, triageData } from '../helpers/incident-commands.js'

const stream = incidentStreamId('inc-1')
const report = (agencyId = 'agency-a', incidentId = 'inc-1') => command('ReportIncident', reportData(incidentId), { agencyId })
const triage = command('TriageIncident', triageData())
const all = (store: EventStore, agencyId = 'agency-a') => store.readAgency(agencyId, 0, 1_000)

function sequentialIds(): () => string {
  let n = 0
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`
}

/** A store whose appends go through `intercept` first; it may answer instead of the real store. */
function intercepted(
  inner: EventStore,
  intercept: (request: AppendRequest, call: number) => Promise<AppendOutcome | undefined>,
): EventStore & { appendCalls: () => number } {
  let calls = 0
  return {
    readStream: (agencyId, streamId) => inner.readStream(agencyId, streamId),
    readStreamTail: (agencyId, streamId) => inner.readStreamTail(agencyId, streamId),
    readStreams: (agencyId, streamIds) => inner.readStreams(agencyId, streamIds),
    append: async (request) => (await intercept(request, ++calls)) ?? inner.append(request),
    readAgency: (agencyId, after, limit) => inner.readAgency(agencyId, after, limit),
    findIdempotencyKey: (agencyId, key) => inner.findIdempotencyKey(agencyId, key),
    heads: () => inner.heads(),
    appendCalls: () => calls,
  }
}

t.test('report then triage yields stream versions 1, 2 and agency positions 1, 2', async (t) => {
  const store = new InMemoryEventStore()
  const newEventId = sequentialIds()
  const first = await handleCommand(store, incidentDecider, stream, report(), { newEventId })
  const second = await handleCommand(store, incidentDecider, stream, triage, { newEventId })
  t.match(first, { agencyId: 'agency-a', streamId: stream, streamVersion: 1, position: 1, appended: 1, replayed: false })
  t.match(second, { agencyId: 'agency-a', streamId: stream, streamVersion: 2, position: 2, appended: 1, replayed: false })
  const events = await all(store)
  t.same(events.map((e) => [e.position, e.streamVersion, e.type]), [[1, 1, 'IncidentReported'], [2, 2, 'IncidentTriaged']])
  t.match(events[1], {
    streamType: 'incident',
    eventId: '00000000-0000-4000-8000-000000000002',
    recordedAt: new Date(triage.metadata.now).toISOString(), // stores keep UTC with milliseconds, as PostgreSQL returns it
    metadata: { actor: { id: 'u-csirt', roles: ['CSIRT_MEMBER'] }, correlationId: 'corr-1', source: 'api', commandType: 'TriageIncident' },
  })
})

t.test('a retry with the same Idempotency-Key replays the first result and appends nothing', async (t) => {
  const store = new InMemoryEventStore()
  const first = await handleCommand(store, incidentDecider, stream, report(), { idempotencyKey: 'key-1' })
  // Deciding again would be IncidentAlreadyExists: the replay must not decide at all.
  const retry = await handleCommand(store, incidentDecider, stream, report(), { idempotencyKey: 'key-1' })
  t.match(retry, { replayed: true, appended: 0, position: first.position, streamVersion: first.streamVersion, streamId: stream })
  t.equal((await all(store)).length, 1)
})

t.test('the same Idempotency-Key with different data is IdempotencyKeyReused', async (t) => {
  const store = new InMemoryEventStore()
  await handleCommand(store, incidentDecider, stream, report(), { idempotencyKey: 'key-1' })
  const other = command('ReportIncident', { ...reportData(), title: 'Another title' })
  await t.rejects(handleCommand(store, incidentDecider, stream, other, { idempotencyKey: 'key-1' }), {
    name: 'IdempotencyKeyReusedError', code: 'IdempotencyKeyReused', key: 'key-1',
  })
  await t.rejects(handleCommand(store, incidentDecider, stream, other, { idempotencyKey: 'key-1' }), IdempotencyKeyReusedError)
  t.equal((await all(store)).length, 1)
})

t.test('a version conflict is retried against the new stream and then succeeds', async (t) => {
  const inner = new InMemoryEventStore()
  await handleCommand(inner, incidentDecider, stream, report())
  // Between this command's read and its first append, someone else records an action on the incident.
  const store = intercepted(inner, async (_request, call) => {
    if (call === 1) await handleCommand(inner, incidentDecider, stream, command('RecordIncidentAction', { description: 'concurrent' }))
    return undefined
  })
  const result = await handleCommand(store, incidentDecider, stream, triage)
  t.equal(store.appendCalls(), 2, 'one conflict, one successful retry')
  t.match(result, { streamVersion: 3, position: 3, appended: 1, replayed: false })
  t.same((await all(inner)).map((e) => e.type), ['IncidentReported', 'IncidentActionRecorded', 'IncidentTriaged'])
})

t.test('a conflict answered by the store is retried', async (t) => {
  const inner = new InMemoryEventStore()
  const store = intercepted(inner, async (_request, call) => (call === 1 ? { outcome: 'conflict', actualVersion: 1 } : undefined))
  const result = await handleCommand(store, incidentDecider, stream, report())
  t.equal(store.appendCalls(), 2)
  t.match(result, { streamVersion: 1, position: 1, appended: 1 })
})

t.test('persistent conflicts exhaust maxAttempts with ConcurrencyError', async (t) => {
  const inner = new InMemoryEventStore()
  const store = intercepted(inner, async () => ({ outcome: 'conflict', actualVersion: 7 }))
  await t.rejects(handleCommand(store, incidentDecider, stream, report(), { maxAttempts: 3 }), {
    name: 'ConcurrencyError', code: 'ConcurrencyConflict', streamId: stream, expectedVersion: 0, actualVersion: 7,
  })
  await t.rejects(handleCommand(store, incidentDecider, stream, report(), { maxAttempts: 1 }), ConcurrencyError)
  t.equal(store.appendCalls(), 4, '3 attempts, then 1')
  t.equal((await all(inner)).length, 0)
})

t.test('a DomainError from decide propagates and nothing is appended', async (t) => {
  const inner = new InMemoryEventStore()
  await handleCommand(inner, incidentDecider, stream, report())
  const store = intercepted(inner, async () => undefined)
  await t.rejects(handleCommand(store, incidentDecider, stream, report(), { idempotencyKey: 'key-2' }), {
    name: 'DomainError', code: 'IncidentAlreadyExists',
  })
  await t.rejects(handleCommand(store, incidentDecider, stream, command('RecordRecovery', { actions: ['a'] })), DomainError)
  t.equal(store.appendCalls(), 0, 'append is never called')
  t.equal((await all(inner)).length, 1)
  t.equal(await inner.findIdempotencyKey('agency-a', 'key-2'), undefined, 'the key of a rejected command stays free')
})

t.test('two agencies have independent positions, each starting at 1', async (t) => {
  const store = new InMemoryEventStore()
  const a1 = await handleCommand(store, incidentDecider, stream, report('agency-a'))
  const b1 = await handleCommand(store, incidentDecider, stream, report('agency-b'))
  const a2 = await handleCommand(store, incidentDecider, incidentStreamId('inc-2'), report('agency-a', 'inc-2'))
  const b2 = await handleCommand(store, incidentDecider, stream, command('TriageIncident', triageData(), { agencyId: 'agency-b' }))
  t.same([a1.position, b1.position, a2.position, b2.position], [1, 1, 2, 2])
  t.same([a1.streamVersion, b1.streamVersion, a2.streamVersion, b2.streamVersion], [1, 1, 1, 2])
  t.same((await all(store, 'agency-a')).map((e) => [e.position, e.streamId]), [[1, stream], [2, 'incident-inc-2']])
  t.same((await all(store, 'agency-b')).map((e) => [e.position, e.type]), [[1, 'IncidentReported'], [2, 'IncidentTriaged']])
  t.same(Object.fromEntries(await store.heads()), { 'agency-a': 2, 'agency-b': 2 })
})

t.test("fold 'last' decides on the stream's last event only; without it the whole stream is folded", async (t) => {
  // A decider whose state is the number of events it folded: 'last' must have folded exactly one.
  type Counted = { type: 'Counted'; data: { seen: number } }
  const counting = {
    streamType: 'count',
    initialState: () => 0,
    evolve: (n: number, _e: Counted) => n + 1,
    decide: (c: { type: 'Count'; data: Record<string, never>; metadata: ReturnType<typeof report>['metadata'] }, n: number): Counted[] => [{ type: 'Counted', data: { seen: n } }],
  }
  const store = new InMemoryEventStore()
  const count = () => ({ type: 'Count' as const, data: {}, metadata: report().metadata })
  for (let i = 0; i < 3; i++) await handleCommand(store, counting, 'count-1', count())
  await handleCommand(store, counting, 'count-1', count(), { fold: 'last' })
  await handleCommand(store, counting, 'count-1', count())
  const seen = (await store.readStream('agency-a', 'count-1')).events.map((e) => (e.data as { seen: number }).seen)
  t.same(seen, [0, 1, 2, 1, 4], "the 'last' decision folded one event; the others the whole stream")
  t.match(await handleCommand(store, counting, 'count-1', count(), { fold: 'last' }), { streamVersion: 6, appended: 1 }, 'appended against the version of the last event')
})
