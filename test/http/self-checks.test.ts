// REST end to end for the self-check (Art. 10): plan, own and officer-recorded results, participation
// per unit, evaluation, fixes overdue by the test clock, roles, idempotency, visibility.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

let now = new Date('2026-06-15T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
for (const [id, unit] of [['sato', 'u1'], ['suzuki', 'u1'], ['oda', 'u1'], ['abe', 'u2']] as const) await h.employee('mof', id, unit)
await h.employee('mic', 'kato', 'm1')
await h.admin('mof', 'assignRole', { employeeId: 'oda', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2020-04-01' })
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const ciso = await h.token('mof', ['CISO'], 'boss')
const oda = await h.token('mof', [], 'oda')
const sato = await h.token('mof', [], 'sato')
const ipa = await h.token('ipa', ['CISO'], 'ito')
const mic = await h.token('mic', ['CISO', 'GENERAL_SECURITY_OFFICER'], 'kato')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function post(token: string, url: string, payload: object, headers: Record<string, string> = {}) {
  const res = await h.app.inject({ method: 'POST', url, headers: { ...auth(token), ...headers }, payload })
  return { status: res.statusCode, body: res.json() }
}
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: auth(token) })
  return { status: res.statusCode, body: res.json() }
}

const plan = {
  from: '2026-06-01', to: '2026-07-31', unitIds: ['u1', 'u2'],
  items: [
    { itemId: 'q1', question: 'Do you lock your screen when you leave your desk?', standardsItem: { edition: 'R5', code: '8.1' } },
    { itemId: 'q2', question: 'Do you report suspicious e-mail to the CSIRT?' },
  ],
}
const answers = (q1: boolean, q2: boolean) => [{ itemId: 'q1', compliant: q1 }, { itemId: 'q2', compliant: q2, note: q2 ? undefined : 'did not know how' }]

t.test('a self-check runs from plan to DONE, and the read model follows each step', async (t) => {
  const planned = await post(gso, '/api/self-checks/2026', plan)
  t.equal(planned.status, 201)
  t.match(planned.body, { id: '2026', streamVersion: 1 })

  const own = await post(sato, '/api/self-checks/2026/results', { employeeId: 'sato', answers: answers(false, true), submittedOn: '2026-06-10' })
  t.equal(own.status, 201, 'an employee records their own answers')
  const forOther = await post(sato, '/api/self-checks/2026/results', { employeeId: 'suzuki', answers: answers(true, true), submittedOn: '2026-06-10' })
  t.equal(forOther.status, 403)
  t.equal(forOther.body.code, 'NotOwnSelfCheck')
  const byOfficer = await post(oda, '/api/self-checks/2026/results', { employeeId: 'suzuki', answers: answers(false, false), submittedOn: '2026-06-12' })
  t.equal(byOfficer.status, 201, "the unit's security officer records for an employee of the unit")
  const otherUnit = await post(oda, '/api/self-checks/2026/results', { employeeId: 'abe', answers: answers(true, true), submittedOn: '2026-06-12' })
  t.equal(otherUnit.status, 403, 'but not for another unit')

  const inProgress = await get(gso, `/api/self-checks/2026?minPosition=${byOfficer.body.position}`)
  t.equal(inProgress.status, 200)
  t.match(inProgress.body, {
    agencyId: 'mof', fiscalYear: 2026, status: 'IN_PROGRESS', from: '2026-06-01', to: '2026-07-31', unitIds: ['u1', 'u2'], resultsPerEmployee: 1, plannedBy: 'tanaka',
    participation: { inScope: 4, responded: 2, rate: 0.5, results: 2 },
    participationByUnit: [{ unitId: 'u1', name: 'Unit u1', inScope: 3, responded: 2 }, { unitId: 'u2', inScope: 1, responded: 0, rate: 0 }],
  })
  t.same(inProgress.body.nonCompliantItems.map((i: { itemId: string; nonCompliant: number }) => [i.itemId, i.nonCompliant]), [['q1', 2], ['q2', 1]], 'most often first')
  t.match(inProgress.body.items[0], { itemId: 'q1', standardsItem: { edition: 'R5', code: '8.1' }, answered: 2, nonCompliant: 2 })

  const evaluated = await post(gso, '/api/self-checks/2026/evaluation', { summary: 'Screen locking is weak in u1.', weakItemIds: ['q1'] })
  t.equal(evaluated.status, 200)
  const fix = await post(gso, '/api/self-checks/2026/fixes', { itemId: 'q1', unitId: 'u1', description: 'Enforce auto-lock after 5 minutes', dueOn: '2026-07-31' })
  t.equal(fix.status, 201)
  const fixesOpen = await get(gso, `/api/self-checks/2026?minPosition=${fix.body.position}`)
  t.match(fixesOpen.body, {
    status: 'FIXES_OPEN', openFixes: 1, overdueFixes: 0,
    evaluation: { summary: 'Screen locking is weak in u1.', weakItemIds: ['q1'], resultCount: 2, by: 'tanaka' },
    fixes: [{ fixId: fix.body.id, itemId: 'q1', unitId: 'u1', dueOn: '2026-07-31', overdue: false, completedAt: null }],
  })

  now = new Date('2026-08-01T09:00:00+09:00')
  const late = await get(gso, '/api/self-checks/2026')
  t.match(late.body, { openFixes: 1, overdueFixes: 1, fixes: [{ overdue: true }] }, 'overdue once the due date has passed (test clock)')

  const done = await post(oda, `/api/self-checks/2026/fixes/${fix.body.id}/completion`, { note: 'GPO deployed' })
  t.equal(done.status, 200)
  const final = await get(gso, `/api/self-checks/2026?minPosition=${done.body.position}`)
  t.match(final.body, { status: 'DONE', openFixes: 0, overdueFixes: 0, fixes: [{ completedBy: 'oda', completionNote: 'GPO deployed', overdue: false }] })
  const stream = await h.store.readStream('mof', 'selfcheck-2026')
  t.same(stream.events.map((e) => e.type), [
    'SelfCheckPlanned', 'SelfCheckResultRecorded', 'SelfCheckResultRecorded', 'SelfCheckEvaluated', 'SelfCheckFixOrdered', 'SelfCheckFixCompleted', 'SelfCheckFixesCompleted',
  ])
})

t.test('broken rules answer with their codes and write nothing', async (t) => {
  const before = (await h.store.readStream('mof', 'selfcheck-2026')).version
  const cases: [string, object, number, string][] = [
    ['/api/self-checks/2026', plan, 409, 'SelfCheckAlreadyPlanned'],
    ['/api/self-checks/2030', { ...plan, from: '2030-06-01', to: '2030-07-31' }, 422, 'FiscalYearNotOpen'],
    ['/api/self-checks/2026/results', { employeeId: 'abe', answers: answers(true, true), submittedOn: '2026-06-10' }, 409, 'SelfCheckAlreadyEvaluated'],
    ['/api/self-checks/2026/fixes/00000000-0000-4000-8000-000000000000/completion', { note: 'x' }, 404, 'FixNotFound'],
  ]
  for (const [url, body, status, code] of cases) {
    const res = await post(gso, url, body)
    t.equal(res.status, status, code)
    t.equal(res.body.code, code)
  }
  const empty = await post(gso, '/api/self-checks/2026/results', { employeeId: 'sato', answers: [], submittedOn: '2026-06-10' })
  t.equal(empty.status, 400, 'zod: at least one answer')
  t.equal((await h.store.readStream('mof', 'selfcheck-2026')).version, before)
  t.equal((await h.store.readStream('mof', 'selfcheck-2030')).version, 0)
})

t.test('planning needs a security role', async (t) => {
  const res = await post(sato, '/api/self-checks/2027', { ...plan, from: '2027-06-01', to: '2027-07-31' })
  t.equal(res.status, 403)
  t.equal(res.body.code, 'Forbidden')
})

t.test('a retried result with the same Idempotency-Key answers the first result and appends nothing; foreign employees are refused', async (t) => {
  now = new Date('2027-06-15T10:00:00+09:00')
  t.teardown(() => { now = new Date('2026-06-15T10:00:00+09:00') })
  t.equal((await post(gso, '/api/self-checks/2027', { ...plan, from: '2027-06-01', to: '2027-07-31' })).status, 201)
  const body = { employeeId: 'sato', answers: answers(true, true), submittedOn: '2027-06-15' }
  const first = await post(sato, '/api/self-checks/2027/results', body, { 'idempotency-key': 'sc-2027-sato' })
  const again = await post(sato, '/api/self-checks/2027/results', body, { 'idempotency-key': 'sc-2027-sato' })
  t.equal(first.status, 201)
  t.match(again, { status: 201, body: { id: first.body.id, position: first.body.position, replayed: true } })
  const other = await post(sato, '/api/self-checks/2027/results', { ...body, submittedOn: '2027-06-14' }, { 'idempotency-key': 'sc-2027-sato' })
  t.equal(other.body.code, 'IdempotencyKeyReused')
  const foreign = await post(gso, '/api/self-checks/2027/results', { ...body, employeeId: 'kato' })
  t.match(foreign, { status: 422, body: { code: 'UnknownEmployee' } }, 'an employee of another agency')
  t.equal((await h.store.readStream('mof', 'selfcheck-2027')).version, 2)
})

t.test("a national organ reads a body's self-check; other agencies see nothing of it", async (t) => {
  await h.employee('ipa', 'ito', 'i1')
  await h.admin('ipa', 'planSelfCheck', { ...plan, unitIds: undefined }, { fiscalYear: '2026' })
  await h.settle('ipa')
  const byParent = await get(ciso, '/api/self-checks/2026?agencyId=ipa')
  t.equal(byParent.status, 200)
  t.match(byParent.body, { agencyId: 'ipa', status: 'PLANNED', unitIds: null })
  t.ok(byParent.body.participation.inScope >= 1, 'the whole agency takes part')
  const own = await get(ipa, '/api/self-checks/2026')
  t.match(own.body, { agencyId: 'ipa', status: 'PLANNED' })
  const upward = await get(ipa, '/api/self-checks/2026?agencyId=mof')
  t.equal(upward.status, 400, 'a body does not read its parent')
  const sideways = await get(mic, '/api/self-checks/2026?agencyId=mof')
  t.equal(sideways.status, 400)
  t.equal(sideways.body.code, 'ValidationFailed')
  const micOwn = await get(mic, '/api/self-checks/2026')
  t.match(micOwn.body, { agencyId: 'mic', status: 'NOT_PLANNED', items: [], fixes: [] }, "mic's own year is empty")
})
