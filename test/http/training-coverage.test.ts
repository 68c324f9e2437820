// Training coverage per unit (Art. 8) on a small realistic agency: two units, five employees in scope
// (one newcomer overdue, one transferred), one who left before the year. The rules are the agency's
// settings: changing them changes the answer. Fiscal-year boundaries: 31 March in, 1 April out.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

let now = new Date('2026-11-15T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.unit('mof', 'u1')
await h.unit('mof', 'u2')
for (const [id, unit, joined] of [['e1', 'u1', '2020-04-01'], ['e2', 'u1', '2020-04-01'], ['e3', 'u2', '2020-04-01'], ['e4', 'u2', '2026-07-01'], ['e5', 'u1', '2020-04-01'], ['e6', 'u1', '2020-04-01']] as const) {
  await h.employee('mof', id, unit, joined)
}
await h.admin('mof', 'transferEmployee', { toUnitId: 'u2', on: '2026-07-15' }, { employeeId: 'e5' })
await h.admin('mof', 'recordDeparture', { on: '2026-03-31' }, { employeeId: 'e6' })
const officer = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'e1')
const ciso = await h.token('mof', ['CISO'], 'e3')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function post(token: string, url: string, payload: object) {
  const res = await h.app.inject({ method: 'POST', url, headers: auth(token), payload })
  return { status: res.statusCode, body: res.json() }
}
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: auth(token) })
  return { status: res.statusCode, body: res.json() }
}
let position = 0
async function complete(courseId: string, completedOn: string, employeeIds: string[], fiscalYear = 2026) {
  const res = await post(officer, `/api/training/${fiscalYear}/courses/${courseId}/completions`, { completedOn, employeeIds })
  position = Math.max(position, res.body.position ?? 0)
  return res
}
type Unit = { unitId: string; inScope: number; covered: number; coverage: number | null; newcomersOverdue: { employeeId: string; dueOn: string }[] }
const coverage = async (query = '', fiscalYear = 2026) => (await get(officer, `/api/training/${fiscalYear}/coverage?minPosition=${position}${query}`)).body
const unit = (body: { units: Unit[] }, id: string) => body.units.find((u) => u.unitId === id)
const overdue = (body: { units: Unit[] }) => body.units.flatMap((u) => u.newcomersOverdue.map((n) => `${n.employeeId}@${n.dueOn}`))

const planned = await post(officer, '/api/training', {
  fiscalYear: 2026,
  courses: [
    { courseId: 'basics', title: 'Security basics', audience: { kind: 'ALL' } },
    { courseId: 'admins', title: 'For administrators', audience: { kind: 'UNITS', unitIds: ['u2'] }, mandatory: false },
  ],
})
if (planned.status !== 201) throw new Error(`training plan not created: ${JSON.stringify(planned.body)}`)
await complete('basics', '2026-06-10', ['e1', 'e3'])
await complete('basics', '2026-05-10', ['e5']) // before the transfer to u2 on 2026-07-15

t.test('coverage per unit with the default rules (once a year; within 3 months of joining or transfer)', async (t) => {
  const body = await coverage()
  t.match(body, { agencyId: 'mof', fiscalYear: 2026, asOf: '2026-11-15', rules: { trainingsPerFiscalYear: 1, newcomerWithinMonths: 3 } })
  t.match(unit(body, 'u1'), { inScope: 2, covered: 1, coverage: 0.5, newcomersOverdue: [] }, 'e1 trained, e2 not; e6 left before the year')
  t.match(unit(body, 'u2'), { inScope: 3, covered: 2, coverage: 2 / 3 }, 'e3 and e5 (trained before moving) covered, e4 not')
  t.same(overdue(body), ['e4@2026-10-01', 'e5@2026-10-15'], 'the newcomer and the transferred employee, each 3 months after unit_since')
  t.match(unit(body, 'general'), { inScope: 0, covered: 0, coverage: null }, 'a unit with nobody in scope has no ratio')
  t.same(body.total, { inScope: 5, covered: 3, coverage: 0.6, newcomersOverdue: 2 })
})

t.test('"as of" a day: the deadline day itself is not overdue, the day after is; later completions do not count', async (t) => {
  t.same(overdue(await coverage('&asOf=2026-10-01')), [])
  t.same(overdue(await coverage('&asOf=2026-10-02')), ['e4@2026-10-01'])
  const june = await coverage('&asOf=2026-06-01')
  t.match(unit(june, 'u2'), { inScope: 2, covered: 1 }, 'e4 had not joined; e5 had completed on 2026-05-10, e3 not yet')
  t.match(unit(june, 'u1'), { inScope: 2, covered: 0 })
})

t.test('the employees not yet covered, with why, paged by unit and employee', async (t) => {
  const all = await get(officer, '/api/training/2026/uncovered')
  t.same(all.body.items.map((e: { unitId: string; employeeId: string }) => `${e.unitId}/${e.employeeId}`), ['u1/e2', 'u2/e4', 'u2/e5'])
  t.match(all.body.items[0], { employeeId: 'e2', completions: 0, required: 1, yearlyMet: false, newcomerOverdue: false, newcomerDueOn: null })
  t.match(all.body.items[2], { employeeId: 'e5', completions: 1, yearlyMet: true, newcomerOverdue: true, newcomerDueOn: '2026-10-15', unitSince: '2026-07-15', joinedOn: '2020-04-01' })
  const p1 = await get(officer, '/api/training/2026/uncovered?first=2')
  t.equal(p1.body.pageInfo.hasNextPage, true)
  const p2 = await get(officer, `/api/training/2026/uncovered?first=2&after=${p1.body.pageInfo.endCursor}`)
  t.same(p2.body.items.map((e: { employeeId: string }) => e.employeeId), ['e5'])
  t.equal(p2.body.pageInfo.hasNextPage, false)
  t.same((await get(officer, '/api/training/2026/uncovered?unitId=u1')).body.items.map((e: { employeeId: string }) => e.employeeId), ['e2'])
  t.same((await get(officer, '/api/training/2026/uncovered?newcomerOverdue=true')).body.items.map((e: { employeeId: string }) => e.employeeId), ['e4', 'e5'])
  t.same((await get(officer, '/api/training/2026/uncovered?newcomerOverdue=false')).body.items.map((e: { employeeId: string }) => e.employeeId), ['e2'])
})

t.test('a completion after the transfer clears the newcomer; the training plan counts completions', async (t) => {
  const res = await complete('admins', '2026-11-01', ['e5'])
  t.equal(res.status, 200)
  t.same(overdue(await coverage()), ['e4@2026-10-01'])
  const plan = await get(officer, `/api/training/2026?minPosition=${position}`)
  t.same(plan.body.courses.map((c: { courseId: string; completions: number }) => [c.courseId, c.completions]), [['admins', 1], ['basics', 3]])
  t.match(plan.body.courses[0], { audience: { kind: 'UNITS', unitIds: ['u2'] }, mandatory: false })
  t.match(plan.body.courses[1], { audience: { kind: 'ALL', unitIds: [] }, mandatory: true })
})

t.test('the rules are settings: two trainings a year, then six months for newcomers, then no newcomer rule', async (t) => {
  const twice = await post(ciso, '/api/organisation/settings', { education: { trainingsPerFiscalYear: 2 } })
  t.equal(twice.status, 200)
  position = twice.body.position
  const body = await coverage()
  t.match(body.rules, { trainingsPerFiscalYear: 2, newcomerWithinMonths: 3 })
  t.match(unit(body, 'u1'), { covered: 0 })
  t.match(unit(body, 'u2'), { covered: 1 }, 'only e5 has two completions (basics, admins)')
  t.match((await get(officer, '/api/training/2026/uncovered?unitId=u1')).body.items[0], { employeeId: 'e1', completions: 1, required: 2 })

  const slower = await post(ciso, '/api/organisation/settings', { education: { newcomerWithinMonths: 6 } })
  position = slower.body.position
  const six = await coverage()
  t.match(six.rules, { trainingsPerFiscalYear: 2, newcomerWithinMonths: 6 })
  t.same(overdue(six), [], 'e4 is now due on 2027-01-01')
  t.same(overdue(await coverage('&asOf=2027-01-02')), ['e4@2027-01-01'])

  const none = await post(ciso, '/api/organisation/settings', { education: { newcomerWithinMonths: 0, trainingsPerFiscalYear: 1 } })
  position = none.body.position
  t.same(overdue(await coverage('&asOf=2027-03-31')), [], '0 months: no newcomer rule')
  t.match((await get(officer, '/api/training/2026/uncovered?unitId=u2')).body.items, [{ employeeId: 'e4', newcomerDueOn: null }])
})

t.test('fiscal-year boundaries: 2027-03-31 belongs to FY2026, 2027-04-01 to FY2027', async (t) => {
  now = new Date('2027-04-02T10:00:00+09:00')
  const inYear = await complete('basics', '2027-03-31', ['e2'])
  t.equal(inYear.status, 200)
  const outOfYear = await complete('basics', '2027-04-01', ['e4'])
  t.equal(outOfYear.status, 422)
  t.match(outOfYear.body, { code: 'CompletionOutsideFiscalYear', start: '2026-04-01', end: '2027-03-31' })
  t.match(unit(await coverage('&asOf=2027-03-31'), 'u1'), { covered: 2 }, 'e2 covered on the last day of FY2026')
  t.match(unit(await coverage('&asOf=2027-03-30'), 'u1'), { covered: 1 }, 'not the day before')
  const next = await coverage('&asOf=2027-04-01', 2027)
  t.match(next.total, { covered: 0 }, 'FY2026 completions do not count for FY2027')
})

t.test('scope follows the year: someone who left on 2026-03-31 counts in FY2025, not in FY2026', async (t) => {
  const fy2025 = (await get(officer, '/api/training/2025/uncovered?unitId=u1')).body.items.map((e: { employeeId: string }) => e.employeeId)
  t.ok(fy2025.includes('e6'))
  const fy2026 = (await get(officer, '/api/training/2026/uncovered?unitId=u1&asOf=2026-11-15')).body.items.map((e: { employeeId: string }) => e.employeeId)
  t.notOk(fy2026.includes('e6'))
  t.match(unit(await coverage('', 2025), 'u2'), { inScope: 2 }, 'e4 joined after FY2025; e3 and e5 (now in u2) were there')
})
