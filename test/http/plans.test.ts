// REST end to end for the promotion plan (Art. 6): commands through the catalogue, reads through the
// plans read model, roles, the owner rule, visibility across agencies.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

let now = new Date('2026-06-15T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
await h.employee('mof', 'sato', 'u1')
await h.employee('mof', 'suzuki', 'u2')
await h.employee('mic', 'kato', 'm1')
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const ciso = await h.token('mof', ['CISO'], 'boss')
const sato = await h.token('mof', [], 'sato')
const suzuki = await h.token('mof', [], 'suzuki')
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

const items = [
  { itemId: 'edu', title: 'Security education for all staff', ownerId: 'sato', dueOn: '2026-09-30', article: 8 },
  { itemId: 'audit', title: 'Internal audit of the IT division', ownerId: 'suzuki', dueOn: '2027-03-31', article: 11 },
]

t.test('a plan is established, extended, progressed by owners and keepers, reviewed, and read back', async (t) => {
  const created = await post(gso, '/api/plans', { fiscalYear: 2026, title: 'FY2026 promotion plan', items })
  t.equal(created.status, 201)
  t.match(created.body, { id: '2026', streamVersion: 1, replayed: false })
  const added = await post(gso, '/api/plans/2026/items', { itemId: 'drill', title: 'Incident drill', ownerId: 'suzuki', dueOn: '2026-12-15' })
  t.equal(added.status, 201)
  t.equal(added.body.id, 'drill')

  const byOwner = await post(sato, '/api/plans/2026/items/edu/progress', { status: 'IN_PROGRESS', percent: 40, note: 'two divisions trained' })
  t.equal(byOwner.status, 200, 'the owner records progress on their own item')
  const notOwner = await post(suzuki, '/api/plans/2026/items/edu/progress', { status: 'DONE', percent: 100 })
  t.equal(notOwner.status, 403)
  t.equal(notOwner.body.code, 'NotPlanItemOwner')
  const byKeeper = await post(gso, '/api/plans/2026/items/edu/progress', { status: 'DONE', percent: 100 })
  t.equal(byKeeper.status, 200, 'a keeper records progress on any item')
  const reviewed = await post(ciso, '/api/plans/2026/review', { outcome: 'ON_TRACK', notes: 'first half reviewed by the committee' })
  t.equal(reviewed.status, 200)

  const plan = await get(gso, `/api/plans/2026?minPosition=${reviewed.body.position}`)
  t.equal(plan.status, 200)
  t.match(plan.body, {
    agencyId: 'mof', fiscalYear: 2026, title: 'FY2026 promotion plan', establishedBy: 'tanaka', version: 5, position: reviewed.body.position,
    itemCount: 3, doneCount: 1, overdueCount: 0, lastReviewedAt: now.toISOString(),
    reviews: [{ outcome: 'ON_TRACK', notes: 'first half reviewed by the committee', by: 'boss' }],
  })
  t.same(plan.body.items.map((i: { itemId: string }) => i.itemId), ['edu', 'drill', 'audit'], 'by due date')
  t.match(plan.body.items[0], { itemId: 'edu', ownerId: 'sato', article: 8, status: 'DONE', percent: 100, overdue: false })
  t.same(plan.body.items[0].progress.map((p: { by: string; status: string }) => [p.by, p.status]), [['sato', 'IN_PROGRESS'], ['tanaka', 'DONE']])
  t.match(plan.body.items[1], { itemId: 'drill', status: 'NOT_STARTED', percent: 0, article: null, progress: [] })

  const stream = await h.store.readStream('mof', 'plan-2026')
  t.same(stream.events.map((e) => e.type), ['PlanEstablished', 'PlanItemAdded', 'PlanProgressRecorded', 'PlanProgressRecorded', 'PlanReviewed'])
  t.match(stream.events.at(-1)?.data, { fiscalYear: 2026, at: now.toISOString() }, 'PlanReviewed carries the year and the time')
})

t.test('an item past its due date and not done is overdue, as of today', async (t) => {
  now = new Date('2026-12-16T09:00:00+09:00')
  t.teardown(() => { now = new Date('2026-06-15T10:00:00+09:00') })
  const plan = await get(gso, '/api/plans/2026')
  t.match(plan.body, { overdueCount: 1 })
  t.same(plan.body.items.filter((i: { overdue: boolean }) => i.overdue).map((i: { itemId: string }) => i.itemId), ['drill'])
})

t.test('broken rules answer with their codes and write nothing', async (t) => {
  const before = (await h.store.readStream('mof', 'plan-2026')).version
  const cases: [string, string, object, number, string][] = [
    [gso, '/api/plans', { fiscalYear: 2026, title: 'again', items: [] }, 409, 'PlanAlreadyExists'],
    [gso, '/api/plans', { fiscalYear: 2028, title: 'too early', items: [] }, 422, 'FiscalYearNotOpen'],
    [gso, '/api/plans/2026/items', { itemId: 'late', title: 'x', ownerId: 'sato', dueOn: '2027-04-01' }, 422, 'DueDateOutsideFiscalYear'],
    [gso, '/api/plans/2026/items', { itemId: 'foreign', title: 'x', ownerId: 'kato', dueOn: '2026-10-01' }, 422, 'UnknownEmployee'],
    [gso, '/api/plans/2026/items', { itemId: 'edu', title: 'x', ownerId: 'sato', dueOn: '2026-10-01' }, 409, 'DuplicatePlanItem'],
    [gso, '/api/plans/2025/items/edu/progress', { status: 'IN_PROGRESS', percent: 5 }, 404, 'PlanNotFound'],
    [gso, '/api/plans/2026/items/nope/progress', { status: 'IN_PROGRESS', percent: 5 }, 404, 'PlanItemNotFound'],
    [gso, '/api/plans/2026/items/edu/progress', { status: 'DONE', percent: 50 }, 400, 'ValidationFailed'],
    [gso, '/api/plans/abc/review', { outcome: 'ON_TRACK', notes: 'x' }, 400, 'ValidationFailed'],
  ]
  for (const [token, url, payload, status, code] of cases) {
    const res = await post(token, url, payload)
    t.equal(res.status, status, `${url} ${code}`)
    t.equal(res.body.code, code)
  }
  const foreign = await post(gso, '/api/plans/2026/items', { itemId: 'f2', title: 'x', ownerId: 'kato', dueOn: '2026-10-01' })
  t.same(foreign.body.employeeIds, ['kato'], 'the unknown owner is named')
  t.equal((await h.store.readStream('mof', 'plan-2026')).version, before)
  t.equal((await get(gso, '/api/plans/2025')).body.code, 'PlanNotFound')
})

t.test('roles: an employee may not establish, add or review; 403 names the roles', async (t) => {
  const res = await post(sato, '/api/plans', { fiscalYear: 2027, title: 'mine', items: [] })
  t.equal(res.status, 403)
  t.match(res.body, { code: 'Forbidden', requiredRoles: ['CISO', 'GENERAL_SECURITY_OFFICER'] })
  t.equal((await post(sato, '/api/plans/2026/items', { itemId: 'x', title: 'x', ownerId: 'sato', dueOn: '2026-10-01' })).status, 403)
  t.equal((await post(sato, '/api/plans/2026/review', { outcome: 'ON_TRACK', notes: 'x' })).status, 403)
})

t.test('a retry with the same Idempotency-Key establishes one plan', async (t) => {
  const payload = { fiscalYear: 2027, title: 'FY2027 promotion plan', items: [{ itemId: 'a', title: 'a', ownerId: 'sato', dueOn: '2027-05-01' }] }
  const first = await post(ciso, '/api/plans', payload, { 'idempotency-key': 'plan-2027' })
  const again = await post(ciso, '/api/plans', payload, { 'idempotency-key': 'plan-2027' })
  t.equal(first.status, 201)
  t.match(again.body, { replayed: true, position: first.body.position, streamVersion: 1 })
  t.equal((await h.store.readStream('mof', 'plan-2027')).version, 1)
  const other = await post(ciso, '/api/plans', { ...payload, title: 'changed' }, { 'idempotency-key': 'plan-2027' })
  t.equal(other.body.code, 'IdempotencyKeyReused')
})

t.test('visibility: a national organ reads its bodies read-only; nobody else reads across agencies', async (t) => {
  const own = await post(ipa, '/api/plans', { fiscalYear: 2026, title: 'IPA plan', items: [] })
  t.equal(own.status, 201)
  await h.settle('ipa', own.body.position)

  const fromParent = await get(gso, '/api/plans/2026?agencyId=ipa')
  t.equal(fromParent.status, 200)
  t.match(fromParent.body, { agencyId: 'ipa', title: 'IPA plan' })
  const listed = await get(gso, '/api/plans?fiscalYear=2026')
  t.same(listed.body.items.map((p: { agencyId: string }) => p.agencyId), ['ipa', 'mof'])

  t.equal((await get(ipa, '/api/plans/2026?agencyId=mof')).status, 400, 'a body does not read its parent')
  t.same((await get(ipa, '/api/plans')).body.items.map((p: { agencyId: string }) => p.agencyId), ['ipa'])
  t.equal((await get(mic, '/api/plans/2026')).status, 404, "another agency's plan is not found")
  t.equal((await get(mic, '/api/plans/2026?agencyId=mof')).status, 400)
  t.same((await get(mic, '/api/plans')).body.items, [])
  // Commands always act on the caller's own agency: the parent's progress lands in its own (absent) item.
  t.equal((await post(gso, '/api/plans/2026/review', { outcome: 'ON_TRACK', notes: 'x' })).body.id, '2026')
  t.equal((await h.store.readStream('ipa', 'plan-2026')).version, 1, "the parent wrote nothing into the body's plan")
})

t.test('plans are listed newest fiscal year first, in pages', async (t) => {
  const all = await get(gso, '/api/plans')
  t.same(all.body.items.map((p: { agencyId: string; fiscalYear: number }) => `${p.agencyId}/${p.fiscalYear}`), ['mof/2027', 'ipa/2026', 'mof/2026'])
  const p1 = await get(gso, '/api/plans?first=2')
  t.equal(p1.body.pageInfo.hasNextPage, true)
  const p2 = await get(gso, `/api/plans?first=2&after=${p1.body.pageInfo.endCursor}`)
  t.same(p2.body.items.map((p: { agencyId: string; fiscalYear: number }) => `${p.agencyId}/${p.fiscalYear}`), ['mof/2026'])
  t.equal(p2.body.pageInfo.hasNextPage, false)
  t.same((await get(gso, '/api/plans?ownerId=suzuki')).body.items.map((p: { fiscalYear: number }) => p.fiscalYear), [2026])
  t.equal((await get(gso, '/api/plans?after=bogus')).body.code, 'InvalidCursor')
})

t.test('OpenAPI documents the plan and education commands and reads', async (t) => {
  const res = await h.app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(res.statusCode, 200)
  const paths = res.json().paths
  for (const path of ['/api/plans', '/api/plans/{fiscalYear}/items', '/api/plans/{fiscalYear}/items/{itemId}/progress', '/api/plans/{fiscalYear}/review',
    '/api/training', '/api/training/{fiscalYear}/courses', '/api/training/{fiscalYear}/courses/{courseId}/completions']) {
    t.ok(paths[path]?.post, `POST ${path}`)
  }
  for (const path of ['/api/plans', '/api/plans/{fiscalYear}', '/api/training/{fiscalYear}', '/api/training/{fiscalYear}/coverage', '/api/training/{fiscalYear}/uncovered']) {
    t.ok(paths[path]?.get, `GET ${path}`)
  }
})
