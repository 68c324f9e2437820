// REST end to end for exceptional actions (Art. 7): request → endorsement → examination → approval by an
// approver designated for the clause (403 for another clause's approver, SelfApproval for the
// applicant), coverage of a lifecycle step during the period and not after it nor after revocation,
// the scheduler marking overdue once, the ledger and the CISO's summary, the emergency path, and
// visibility across agencies.
import t from 'tap'
import { coveringException, type CoverageQuery } from '../../src/application/exception-coverage.js'
import { Scheduler } from '../../src/scheduler/scheduler.js'
import { startTestApp, silentLogger } from '../helpers/app.js'

let now = new Date('2026-07-01T10:00:00+09:00')
const clock = { now: () => now }
const h = await startTestApp(t, { clock })
const services = { store: h.store, clock, pool: h.db.app.pool }
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
for (const [id, unit] of [['sato', 'u1'], ['oda', 'u1'], ['ota', 'u2'], ['abe', 'sec'], ['kudo', 'sec']] as const) await h.employee('mof', id, unit)
await h.admin('mof', 'assignRole', { employeeId: 'oda', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2020-04-01' })
await h.admin('mof', 'assignRole', { employeeId: 'ota', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u2' }, from: '2020-04-01' })
await h.admin('mof', 'assignRole', { employeeId: 'abe', role: 'EXCEPTION_APPROVER', scope: { kind: 'CLAUSES', clauses: ['3.1.1'] }, from: '2020-04-01' })
await h.admin('mof', 'assignRole', { employeeId: 'kudo', role: 'EXCEPTION_APPROVER', scope: { kind: 'CLAUSES', clauses: ['6.1'] }, from: '2020-04-01' })
const sato = await h.token('mof', [], 'sato')
const oda = await h.token('mof', [], 'oda')
const ota = await h.token('mof', [], 'ota')
const abe = await h.token('mof', [], 'abe')
const kudo = await h.token('mof', [], 'kudo')
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const ciso = await h.token('mof', ['CISO'], 'boss')
const mic = await h.token('mic', ['CISO'], 'kato')
const ipa = await h.token('ipa', ['CISO'], 'ito')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function post(token: string, url: string, payload: object, headers: Record<string, string> = {}) {
  const res = await h.app.inject({ method: 'POST', url, headers: { ...auth(token), ...headers }, payload })
  return { status: res.statusCode, body: res.json() }
}
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: auth(token) })
  return { status: res.statusCode, body: res.json() }
}
const ids = (body: { items: { id: string }[] }) => body.items.map((x) => x.id)

const request = {
  clause: '3.1.1', rules: ['NoTakeOut'], assetIds: ['doc-1'], unitId: 'u1', from: '2026-07-02T09:00:00+09:00', to: '2026-07-05T18:00:00+09:00',
  measures: 'carry the drawings to the vendor', compensatingMeasures: ['sealed bag'], securityImpact: 'loss in transit',
  impactHandling: 'report within one hour', endReportMethod: 'e-mail', reason: 'on-site review',
}
const carry = (over: Partial<CoverageQuery> = {}): CoverageQuery => ({ agencyId: 'mof', actorId: 'sato', assetIds: ['doc-1'], unitId: 'u1', step: 'CARRY', rule: 'NoTakeOut', at: now.toISOString(), ...over })
let x1 = ''

t.test('request: checked, idempotent, any employee', async (t) => {
  t.match(await post(sato, '/api/exceptions', { ...request, clause: '9.9' }), { status: 422, body: { code: 'UnknownStandardsItem' } })
  t.match(await post(sato, '/api/exceptions', { ...request, rules: ['C3OutsideControlledArea'] }), { status: 422, body: { code: 'RuleOutsideClause' } })
  t.match(await post(sato, '/api/exceptions', { ...request, unitId: 'nope' }), { status: 422, body: { code: 'UnknownUnit' } })
  t.match(await post(sato, '/api/exceptions', { ...request, to: '2026-07-01T09:00:00+09:00', from: '2026-06-30T09:00:00+09:00' }), { status: 422, body: { code: 'PeriodAlreadyOver' } })
  t.match(await post(sato, '/api/exceptions', { ...request, from: request.to }), { status: 422, body: { code: 'InvalidPeriod' } })
  t.equal((await post(sato, '/api/exceptions', { ...request, to: undefined })).status, 400, 'a period is required')
  const created = await post(sato, '/api/exceptions', request, { 'idempotency-key': 'carry-drawings' })
  t.equal(created.status, 201)
  x1 = created.body.id
  t.match(x1, /^[0-9a-f-]{36}$/)
  const replay = await post(sato, '/api/exceptions', request, { 'idempotency-key': 'carry-drawings' })
  t.match(replay.body, { id: x1, replayed: true }, 'a retry answers the same exception')
})

t.test("endorsement by the applicant's unit security officer only", async (t) => {
  t.match(await post(sato, `/api/exceptions/${x1}/endorsement`, {}), { status: 403, body: { code: 'Forbidden' } })
  t.match(await post(ota, `/api/exceptions/${x1}/endorsement`, {}), { status: 403, body: { code: 'Forbidden' } }, "another unit's officer")
  t.equal((await post(oda, `/api/exceptions/${x1}/endorsement`, { note: 'needed' })).status, 200)
})

t.test('examination and decision by an approver designated for the clause; never the applicant; never wider', async (t) => {
  t.match(await post(kudo, `/api/exceptions/${x1}/examination`, {}), { status: 403, body: { code: 'Forbidden', target: { clauses: ['3.1.1'] } } })
  t.match(await post(abe, `/api/exceptions/${x1}/approval`, { reasons: 'early' }), { status: 409, body: { code: 'ExceptionTransitionNotAllowed' } })
  t.equal((await post(abe, `/api/exceptions/${x1}/examination`, {})).status, 200)
  t.match(await post(kudo, `/api/exceptions/${x1}/approval`, { reasons: 'ok' }), { status: 403, body: { code: 'Forbidden' } }, 'designated for 6.1 only')
  t.match(await post(sato, `/api/exceptions/${x1}/approval`, { reasons: 'ok' }), { status: 403, body: { code: 'Forbidden' } })
  t.match(await post(abe, `/api/exceptions/${x1}/approval`, { reasons: 'ok', to: '2026-07-06T00:00:00+09:00' }), { status: 422, body: { code: 'PermissionWiderThanRequested' } })
  const approved = await post(abe, `/api/exceptions/${x1}/approval`, { reasons: 'vendor meeting is needed', to: '2026-07-03T18:00:00+09:00', measures: 'carry in person' })
  t.equal(approved.status, 200)
  t.equal(approved.body.id, x1)

  // An approver applying for an exception of their own clause cannot decide it.
  const own = await post(abe, '/api/exceptions', { ...request, assetIds: ['doc-7'], unitId: undefined })
  t.equal(own.status, 201)
  t.equal((await post(gso, `/api/exceptions/${own.body.id}/examination`, {})).status, 200, 'the general security officer may start examinations')
  t.match(await post(abe, `/api/exceptions/${own.body.id}/approval`, { reasons: 'mine' }), { status: 403, body: { code: 'SelfApproval', applicantId: 'abe' } })
  t.match(await post(abe, `/api/exceptions/${own.body.id}/rejection`, { reasons: 'mine' }), { status: 403, body: { code: 'SelfApproval' } })
  t.match(await post(abe, '/api/exceptions/00000000-0000-4000-8000-000000000000/approval', { reasons: 'x' }), { status: 404, body: { code: 'ExceptionNotFound' } })
})

t.test('coverage: during the permitted period only, for the permitted rule and asset', async (t) => {
  t.equal(await coveringException(services, carry()), undefined, 'before the period')
  now = new Date('2026-07-02T12:00:00+09:00')
  t.equal(await coveringException(services, carry()), x1)
  t.equal(await coveringException(services, carry({ assetIds: ['doc-9'] })), x1, "the unit u1 was permitted too: any of its assets")
  t.equal(await coveringException(services, carry({ assetIds: ['doc-9'], unitId: 'u2' })), undefined, 'another unit, another asset')
  t.equal(await coveringException(services, carry({ rule: 'UnsafeCarry' })), undefined, 'a rule not permitted')
  t.equal(await coveringException(services, carry({ agencyId: 'mic' })), undefined, 'another agency')
  t.equal(await coveringException(services, carry({ at: '2026-07-04T09:00:00+09:00' })), undefined, 'after the permitted period')
})

t.test('the ledger: ACTIVE derived from the clock, filters, one exception, its history', async (t) => {
  await h.settle('mof')
  const active = await get(gso, '/api/exceptions?status=ACTIVE')
  t.equal(active.status, 200)
  t.same(ids(active.body), [x1])
  t.match(active.body.items[0], {
    id: x1, agencyId: 'mof', status: 'ACTIVE', emergency: false, applicantId: 'sato', applicantUnitId: 'u1', clause: { edition: 'R3', code: '3.1.1' },
    rules: ['NoTakeOut'], steps: ['CARRY'], assetIds: ['doc-1'], unitId: 'u1', compensatingMeasures: ['sealed bag'], reason: 'on-site review',
    endorsement: { by: 'oda', unitId: 'u1', note: 'needed' }, examination: { by: 'abe' },
    decision: { outcome: 'APPROVED', by: 'abe', reasons: 'vendor meeting is needed', measures: 'carry in person' },
    permitted: { rules: ['NoTakeOut'], assetIds: ['doc-1'], unitId: 'u1', from: '2026-07-02T00:00:00.000Z', to: '2026-07-03T09:00:00.000Z' },
    overdue: false, endReport: null, revocation: null,
  })
  t.equal(ids((await get(gso, '/api/exceptions?status=UNDER_EXAMINATION')).body).length, 1, "abe's own request")
  t.same(ids((await get(gso, '/api/exceptions?applicantId=sato')).body), [x1])
  t.same(ids((await get(gso, '/api/exceptions?clause=6.1')).body), [])
  t.same(ids((await get(gso, '/api/exceptions?activeAt=2026-07-03T10:00:00%2B09:00')).body), [x1])
  t.same(ids((await get(gso, '/api/exceptions?activeAt=2026-07-04T10:00:00%2B09:00')).body), [])
  const paged = await get(gso, '/api/exceptions?first=1')
  t.match(paged.body.pageInfo, { hasNextPage: true })
  const next = await get(gso, `/api/exceptions?first=1&after=${paged.body.pageInfo.endCursor}`)
  const all = await get(gso, '/api/exceptions')
  t.equal(all.body.items.length, 2)
  t.same([...ids(paged.body), ...ids(next.body)], ids(all.body), 'pages follow the order of the whole list (newest request first)')
  t.equal(next.body.pageInfo.hasNextPage, false)
  t.equal((await get(gso, '/api/exceptions?status=NOPE')).status, 400)

  t.match((await get(sato, `/api/exceptions/${x1}`)).body, { id: x1, status: 'ACTIVE' })
  const history = await get(sato, `/api/exceptions/${x1}/history?first=2`)
  t.same(history.body.items.map((e: { type: string }) => e.type), ['ExceptionRequested', 'ExceptionEndorsed'])
  t.equal(history.body.pageInfo.hasNextPage, true)
  const rest = await get(sato, `/api/exceptions/${x1}/history?after=${history.body.pageInfo.endCursor}`)
  t.same(rest.body.items.map((e: { type: string; actor: { id: string } }) => [e.type, e.actor.id]), [['ExceptionExaminationStarted', 'abe'], ['ExceptionApproved', 'abe']])
})

t.test('the scheduler marks it overdue once when the period ends without an end report', async (t) => {
  const scheduler = new Scheduler({ services, logger: silentLogger, intervalMs: 1000, owner: 'test' })
  t.same((await scheduler.tick()).overdue, [], 'still inside the period')
  now = new Date('2026-07-04T00:00:00+09:00')
  t.equal(await coveringException(services, carry()), undefined, 'no longer covers anything')
  t.same((await scheduler.tick()).overdue, [{ agencyId: 'mof', exceptionId: x1 }])
  t.same((await scheduler.tick()).overdue, [], 'a second pass appends nothing')
  const stream = await h.store.readStream('mof', `exception-${x1}`)
  t.equal(stream.events.filter((e) => e.type === 'ExceptionBecameOverdue').length, 1)
  t.match(stream.events.at(-1), { type: 'ExceptionBecameOverdue', data: { dueAt: '2026-07-03T18:00:00+09:00' }, metadata: { source: 'scheduler', actor: { id: 'scheduler' } } })

  await h.settle('mof')
  t.match((await get(gso, `/api/exceptions/${x1}`)).body, { status: 'OVERDUE', overdue: true, overdueAt: '2026-07-03T15:00:00.000Z' })
  t.same(ids((await get(gso, '/api/exceptions?overdue=true')).body), [x1])
  t.notOk(ids((await get(gso, '/api/exceptions?overdue=false')).body).includes(x1))
  const summary = await get(ciso, '/api/exceptions/summary?from=2026-07-01&to=2026-07-31')
  t.equal(summary.status, 200)
  t.match(summary.body, { agencyId: 'mof', from: '2026-07-01', to: '2026-07-31', inPeriod: { requested: 2, approved: 1, rejected: 0, becameOverdue: 1 }, activeNow: 0 })
  t.same(summary.body.overdue.map((x: { id: string }) => x.id), [x1])
  t.match(summary.body.byStatus.find((s: { status: string }) => s.status === 'OVERDUE'), { count: 1 })
  t.match(await get(ciso, '/api/exceptions/summary?from=2026-08-01&to=2026-07-01'), { status: 400 })
  const june = await get(ciso, '/api/exceptions/summary?from=2026-06-01&to=2026-06-30')
  t.match(june.body.inPeriod, { requested: 0, becameOverdue: 0 })
})

t.test('an overdue exception still takes its end report (the applicant only), then it is closed', async (t) => {
  t.match(await post(gso, `/api/exceptions/${x1}/end-report`, { endedAt: '2026-07-03T17:00:00+09:00', howEnded: 'x' }), { status: 403, body: { code: 'NotApplicant' } })
  t.equal((await post(sato, `/api/exceptions/${x1}/end-report`, { endedAt: '2026-07-03T17:00:00+09:00', howEnded: 'drawings returned' })).status, 200)
  t.match(await post(sato, `/api/exceptions/${x1}/close`, {}), { status: 403, body: { code: 'Forbidden' } })
  const closed = await post(gso, `/api/exceptions/${x1}/close`, { note: 'filed in the ledger' })
  t.equal(closed.status, 200)
  const row = await get(gso, `/api/exceptions/${x1}?minPosition=${closed.body.position}`)
  t.match(row.body, { status: 'CLOSED', overdue: true, endReport: { by: 'sato', howEnded: 'drawings returned', wasOverdue: true }, closure: { by: 'tanaka', note: 'filed in the ledger' } })
  t.equal(await coveringException(services, carry({ at: '2026-07-02T12:00:00+09:00' })), undefined, 'a closed exception covers nothing, even in its period')
})

t.test('revocation: a revoked exception covers nothing at once, before the read model applies it', async (t) => {
  now = new Date('2026-07-10T09:00:00+09:00')
  const created = await post(sato, '/api/exceptions', { ...request, assetIds: ['doc-2'], from: '2026-07-10T09:00:00+09:00', to: '2026-07-20T18:00:00+09:00' })
  const x2 = created.body.id
  t.equal((await post(abe, `/api/exceptions/${x2}/examination`, {})).status, 200)
  t.equal((await post(abe, `/api/exceptions/${x2}/approval`, { reasons: 'ok', coverUnit: false })).status, 200)
  await h.settle('mof')
  now = new Date('2026-07-11T09:00:00+09:00')
  t.equal(await coveringException(services, carry({ assetIds: ['doc-2'] })), x2)
  t.equal(await coveringException(services, carry({ assetIds: ['doc-3'] })), undefined, 'the unit was narrowed away')
  await h.runner.stop()
  t.equal((await post(ciso, `/api/exceptions/${x2}/revocation`, { reason: 'vendor meeting cancelled' })).status, 200)
  t.equal(await coveringException(services, carry({ assetIds: ['doc-2'] })), undefined, 'revoked (the ledger still says approved)')
  h.runner.start()
  await h.settle('mof')
  t.match((await get(gso, `/api/exceptions/${x2}`)).body, { status: 'REVOKED', revocation: { by: 'boss', reason: 'vendor meeting cancelled' } })
  t.match(await post(abe, `/api/exceptions/${x2}/revocation`, { reason: 'again' }), { status: 409, body: { code: 'ExceptionTransitionNotAllowed' } })
})

t.test('emergency path: acted first, notice within 72 hours, examined, rejected as an emergency', async (t) => {
  const notice = { ...request, assetIds: ['doc-5'], from: '2026-07-10T20:00:00+09:00', to: '2026-07-10T23:00:00+09:00', actedAt: '2026-07-10T21:00:00+09:00' }
  t.match(await post(sato, '/api/exceptions/emergency', { ...notice, actedAt: '2026-07-12T09:00:00+09:00', to: '2026-07-12T23:00:00+09:00' }), { status: 422, body: { code: 'ActedInFuture' } })
  now = new Date('2026-07-14T09:00:00+09:00')
  t.match(await post(sato, '/api/exceptions/emergency', notice), { status: 422, body: { code: 'EmergencyNoticeLate', noticeWindowHours: 72 } })
  now = new Date('2026-07-11T09:00:00+09:00')
  const filed = await post(sato, '/api/exceptions/emergency', notice)
  t.equal(filed.status, 201)
  t.equal((await post(abe, `/api/exceptions/${filed.body.id}/examination`, {})).status, 200)
  const rejected = await post(abe, `/api/exceptions/${filed.body.id}/rejection`, { reasons: 'no emergency: it could wait until Monday' })
  t.equal(rejected.status, 200)
  const row = await get(gso, `/api/exceptions/${filed.body.id}?minPosition=${rejected.body.position}`)
  t.match(row.body, { status: 'REJECTED', emergency: true, actedAt: '2026-07-10T12:00:00.000Z', decision: { outcome: 'REJECTED', by: 'abe' }, permitted: null })
  const summary = await get(ciso, '/api/exceptions/summary?from=2026-07-01&to=2026-07-31')
  t.match(summary.body.inPeriod, { requested: 4, emergencies: 1, rejected: 1, revoked: 1, closed: 1, endReported: 1 })
})

t.test('across agencies: another agency sees nothing; a national organ reads the bodies under it, read-only', async (t) => {
  t.equal((await get(mic, `/api/exceptions/${x1}`)).status, 404)
  t.same((await get(mic, '/api/exceptions')).body.items, [])
  t.equal((await get(mic, '/api/exceptions?agencyId=mof')).status, 400)
  t.match(await post(mic, `/api/exceptions/${x1}/revocation`, { reason: 'x' }), { status: 404, body: { code: 'ExceptionNotFound' } })
  await h.employee('ipa', 'ito', 'general')
  const body = await post(ipa, '/api/exceptions', { ...request, clause: '6.1', rules: [], assetIds: [], unitId: undefined, to: '2026-08-01T00:00:00+09:00' })
  t.equal(body.status, 201)
  await h.settle('ipa')
  t.same(ids((await get(gso, '/api/exceptions?agencyId=ipa')).body), [body.body.id])
  t.match((await get(gso, `/api/exceptions/${body.body.id}`)).body, { agencyId: 'ipa', clause: { code: '6.1' } })
  t.match((await get(ciso, '/api/exceptions/summary?from=2026-07-01&to=2026-07-31&agencyId=ipa')).body, { agencyId: 'ipa', inPeriod: { requested: 1 } })
  t.match(await post(ciso, `/api/exceptions/${body.body.id}/examination`, {}), { status: 404, body: { code: 'ExceptionNotFound' } }, 'the organ cannot act on it')
  t.equal((await get(ipa, `/api/exceptions/${x1}`)).status, 404, 'a body does not see its organ')
})

t.test('an approval the read model has not applied yet covers at once (the log is read past its checkpoint)', async (t) => {
  now = new Date('2026-07-10T09:00:00+09:00')
  await h.runner.stop()
  const created = await post(sato, '/api/exceptions', { ...request, assetIds: ['doc-7'], from: '2026-07-10T09:00:00+09:00', to: '2026-07-20T18:00:00+09:00' })
  t.equal((await post(abe, `/api/exceptions/${created.body.id}/examination`, {})).status, 200)
  t.equal((await post(abe, `/api/exceptions/${created.body.id}/approval`, { reasons: 'ok', coverUnit: false })).status, 200)
  now = new Date('2026-07-11T09:00:00+09:00')
  t.equal(await coveringException(services, carry({ assetIds: ['doc-7'] })), created.body.id, 'found although the ledger has not applied it')
  t.equal(await coveringException(services, carry({ assetIds: ['doc-8'] })), undefined, 'and still only for what it covers')
  h.runner.start()
  await h.settle('mof')
})
