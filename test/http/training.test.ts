// REST end to end for education (Art. 8): the training plan, courses, completions (repeats ignored),
// every error code, roles, idempotency, and visibility across agencies.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

const now = new Date('2026-10-01T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
await h.unit('mof', 'u1')
await h.employee('mof', 'e1', 'u1')
await h.employee('mof', 'e2', 'u1')
await h.employee('mic', 'kato', 'm1')
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const plain = await h.token('mof', [], 'e2')
const ipa = await h.token('ipa', ['GENERAL_SECURITY_OFFICER'], 'ito')
const mic = await h.token('mic', ['GENERAL_SECURITY_OFFICER'], 'kato')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function post(token: string, url: string, payload: object, headers: Record<string, string> = {}) {
  const res = await h.app.inject({ method: 'POST', url, headers: { ...auth(token), ...headers }, payload })
  return { status: res.statusCode, body: res.json() }
}
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: auth(token) })
  return { status: res.statusCode, body: res.json() }
}
const version = async (agencyId = 'mof') => (await h.store.readStream(agencyId, 'training-2026')).version

t.test('training is planned, a course added, completions recorded once per employee', async (t) => {
  const planned = await post(gso, '/api/training', { fiscalYear: 2026, courses: [{ courseId: 'basics', title: 'Security basics' }] })
  t.equal(planned.status, 201)
  t.match(planned.body, { id: '2026', streamVersion: 1 })
  const added = await post(gso, '/api/training/2026/courses', { courseId: 'phishing', title: 'Phishing drill', audience: { kind: 'UNITS', unitIds: ['u1'] } })
  t.equal(added.status, 201)
  t.equal(added.body.id, 'phishing')

  const first = await post(gso, '/api/training/2026/courses/basics/completions', { completedOn: '2026-09-01', employeeIds: ['e1'] })
  t.equal(first.status, 200)
  const second = await post(gso, '/api/training/2026/courses/basics/completions', { completedOn: '2026-09-15', employeeIds: ['e1', 'e2', 'e2'] })
  const events = (await h.store.readStream('mof', 'training-2026')).events
  t.same(events.at(-1)?.data.employeeIds, ['e2'], 'only the new completion is recorded')
  t.equal(events.at(-1)?.data.completedOn, '2026-09-15')

  const repeat = await post(gso, '/api/training/2026/courses/basics/completions', { completedOn: '2026-09-20', employeeIds: ['e2', 'e1'] })
  t.equal(repeat.status, 200, 'nothing new is not an error')
  t.match(repeat.body, { streamVersion: second.body.streamVersion, position: second.body.position, replayed: false }, 'the current version, nothing appended')
  t.equal(await version(), 4)

  const plan = await get(gso, `/api/training/2026?minPosition=${second.body.position}`)
  t.equal(plan.status, 200)
  t.match(plan.body, { agencyId: 'mof', fiscalYear: 2026, plannedBy: 'tanaka', version: 4, position: second.body.position })
  t.same(plan.body.courses.map((c: { courseId: string; completions: number }) => [c.courseId, c.completions]), [['basics', 2], ['phishing', 0]])
})

t.test('broken rules answer with their codes and write nothing', async (t) => {
  const before = await version()
  const tooMany = Array.from({ length: 1001 }, (_, i) => `e${i}`)
  const cases: [string, object, number, string][] = [
    ['/api/training', { fiscalYear: 2026, courses: [{ courseId: 'x', title: 'x' }] }, 409, 'TrainingPlanAlreadyExists'],
    ['/api/training', { fiscalYear: 2028, courses: [{ courseId: 'x', title: 'x' }] }, 422, 'FiscalYearNotOpen'],
    ['/api/training', { fiscalYear: 2027, courses: [{ courseId: 'x', title: 'x', audience: { kind: 'UNITS', unitIds: ['u9'] } }] }, 422, 'UnknownUnit'],
    ['/api/training', { fiscalYear: 2027, courses: [{ courseId: 'x', title: 'x' }, { courseId: 'x', title: 'y' }] }, 409, 'DuplicateCourse'],
    ['/api/training', { fiscalYear: 2027, courses: [{ courseId: 'x', title: 'x', audience: { kind: 'ALL', unitIds: ['u1'] } }] }, 400, 'ValidationFailed'],
    ['/api/training/2025/courses', { courseId: 'x', title: 'x' }, 404, 'TrainingPlanNotFound'],
    ['/api/training/2026/courses', { courseId: 'basics', title: 'again' }, 409, 'DuplicateCourse'],
    ['/api/training/2026/courses/nope/completions', { completedOn: '2026-09-01', employeeIds: ['e1'] }, 404, 'UnknownCourse'],
    ['/api/training/2026/courses/basics/completions', { completedOn: '2026-09-01', employeeIds: ['e1', 'kato', 'ghost'] }, 422, 'UnknownEmployee'],
    ['/api/training/2026/courses/basics/completions', { completedOn: '2026-03-31', employeeIds: ['e1'] }, 422, 'CompletionOutsideFiscalYear'],
    ['/api/training/2026/courses/basics/completions', { completedOn: '2026-10-02', employeeIds: ['e1'] }, 422, 'CompletionInFuture'],
    ['/api/training/2026/courses/basics/completions', { completedOn: '2026-09-01', employeeIds: tooMany }, 400, 'ValidationFailed'],
    ['/api/training/2026/courses/basics/completions', { completedOn: '2026-09-01', employeeIds: [] }, 400, 'ValidationFailed'],
  ]
  for (const [url, payload, status, code] of cases) {
    const res = await post(gso, url, payload)
    t.equal(res.status, status, `${url}: ${code}`)
    t.equal(res.body.code, code)
  }
  const unknown = await post(gso, '/api/training/2026/courses/basics/completions', { completedOn: '2026-09-01', employeeIds: ['e1', 'kato', 'ghost'] })
  t.same(unknown.body.employeeIds, ['kato', 'ghost'], 'every unknown employee is listed; one of another agency is unknown here')
  t.equal(await version(), before)
  t.equal((await get(gso, '/api/training/2025')).body.code, 'TrainingPlanNotFound')
})

t.test('an employee without a role may not plan or record; 403 names the roles', async (t) => {
  const res = await post(plain, '/api/training/2026/courses/basics/completions', { completedOn: '2026-09-01', employeeIds: ['e2'] })
  t.equal(res.status, 403)
  t.match(res.body, { code: 'Forbidden', requiredRoles: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'] })
  t.equal((await post(plain, '/api/training/2026/courses', { courseId: 'mine', title: 'x' })).status, 403)
})

t.test('a retry with the same Idempotency-Key records once', async (t) => {
  await h.employee('mof', 'e3', 'u1')
  const payload = { completedOn: '2026-09-30', employeeIds: ['e3'] }
  const first = await post(gso, '/api/training/2026/courses/phishing/completions', payload, { 'idempotency-key': 'batch-7' })
  const again = await post(gso, '/api/training/2026/courses/phishing/completions', payload, { 'idempotency-key': 'batch-7' })
  t.equal(first.status, 200)
  t.match(again.body, { replayed: true, position: first.body.position })
})

t.test('visibility: the national organ reads its body read-only; other agencies see nothing', async (t) => {
  const own = await post(ipa, '/api/training', { fiscalYear: 2026, courses: [{ courseId: 'ipa-basics', title: 'IPA basics' }] })
  t.equal(own.status, 201)
  await h.settle('ipa', own.body.position)
  const fromParent = await get(gso, '/api/training/2026?agencyId=ipa')
  t.equal(fromParent.status, 200)
  t.same(fromParent.body.courses.map((c: { courseId: string }) => c.courseId), ['ipa-basics'])
  t.equal((await get(gso, '/api/training/2026/coverage?agencyId=ipa')).status, 200)
  t.equal((await get(gso, '/api/training/2026/uncovered?agencyId=ipa')).status, 200)

  t.equal((await get(ipa, '/api/training/2026?agencyId=mof')).status, 400, 'a body does not read its parent')
  t.equal((await get(mic, '/api/training/2026')).status, 404)
  t.equal((await get(mic, '/api/training/2026/coverage?agencyId=mof')).status, 400)
  t.equal((await get(mic, '/api/training/2026/uncovered?agencyId=mof')).status, 400)
  const micCoverage = await get(mic, '/api/training/2026/coverage')
  t.same(micCoverage.body.units.map((u: { unitId: string }) => u.unitId), ['general', 'm1'], "only mic's own units")
  // The parent's command lands in its own stream, never in the body's.
  await post(gso, '/api/training/2026/courses', { courseId: 'ipa-extra', title: 'x' })
  t.equal((await h.store.readStream('ipa', 'training-2026')).version, 1)
})

t.test("a unit's security officer records completions of that unit's employees only", async (t) => {
  await h.unit('mof', 'u2')
  await h.employee('mof', 'e9', 'u2')
  await h.employee('mof', 'u1-officer', 'u1')
  await h.admin('mof', 'assignRole', { employeeId: 'u1-officer', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2020-04-01' })
  const officer = await h.token('mof', [], 'u1-officer')
  if ((await post(gso, '/api/training', { fiscalYear: 2026, courses: [{ courseId: 'basics', title: 'Security basics' }] })).status >= 500) t.fail('plan')
  const own = await post(officer, '/api/training/2026/courses/basics/completions', { completedOn: '2026-09-02', employeeIds: ['e2'] })
  t.equal(own.status, 200, 'an employee of unit u1')
  const before = await version()
  const other = await post(officer, '/api/training/2026/courses/basics/completions', { completedOn: '2026-09-02', employeeIds: ['e2', 'e9'] })
  t.equal(other.status, 403, 'e9 is in unit u2')
  t.match(other.body, { code: 'Forbidden', detail: /unit u1, u2|unit u1/ })
  t.equal(await version(), before, 'nothing recorded, not even e2')
})

t.test('after a transfer the same course completed again is a new completion (the newcomer rule asks for it)', async (t) => {
  await h.unit('mof', 'u3')
  await h.employee('mof', 'mover', 'u1', '2020-04-01')
  if ((await post(gso, '/api/training', { fiscalYear: 2026, courses: [{ courseId: 'basics', title: 'Security basics' }] })).status >= 500) t.fail('plan')
  const first = await post(gso, '/api/training/2026/courses/basics/completions', { completedOn: '2026-04-10', employeeIds: ['mover'] })
  t.equal(first.status, 200)
  const again = await post(gso, '/api/training/2026/courses/basics/completions', { completedOn: '2026-04-20', employeeIds: ['mover'] })
  t.equal(again.body.streamVersion, first.body.streamVersion, 'a repeat before any transfer is not new')
  await h.admin('mof', 'transferEmployee', { toUnitId: 'u3', on: '2026-05-01' }, { employeeId: 'mover' })
  const before = await post(gso, '/api/training/2026/courses/basics/completions', { completedOn: '2026-04-25', employeeIds: ['mover'] })
  t.equal(before.body.streamVersion, first.body.streamVersion, 'a completion dated before the transfer is still not new')
  const after = await post(gso, '/api/training/2026/courses/basics/completions', { completedOn: '2026-06-10', employeeIds: ['mover'] })
  t.equal(after.body.streamVersion, first.body.streamVersion + 1, 'taken again after the transfer: recorded')
  const coverage = await get(gso, `/api/training/2026/coverage?asOf=2026-09-01&minPosition=${after.body.position}`)
  const u3 = coverage.body.units.find((u: { unitId: string }) => u.unitId === 'u3')
  t.same(u3?.newcomersOverdue, [], 'no longer an overdue newcomer in u3')
})
