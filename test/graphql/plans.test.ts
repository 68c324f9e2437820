// GraphQL end to end for the promotion plan (Art. 6) and education (Art. 8): the catalogue's
// mutations, the queries and connections, error codes, and the national organ's read-only view.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

const now = new Date('2026-11-15T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
await h.unit('mof', 'u1')
await h.unit('mof', 'u2')
await h.employee('mof', 'e1', 'u1')
await h.employee('mof', 'e2', 'u2', '2026-07-01')
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const owner = await h.token('mof', [], 'e1')
const ipa = await h.token('ipa', ['CISO'], 'ito')
const mic = await h.token('mic', ['CISO'], 'kato')

async function gql(token: string, query: string, variables: object = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}` }, payload: { query, variables } })
  return { status: res.statusCode, body: res.json() }
}
const code = (r: { body: { errors?: { extensions: { code: string } }[] } }) => r.body.errors?.[0]?.extensions.code

const ESTABLISH = `mutation($input: EstablishPlanInput!) { establishPlan(input: $input) { id streamVersion position replayed } }`
const PROGRESS = `mutation($y: Int!, $item: ID!, $input: RecordPlanProgressInput!) { recordPlanProgress(fiscalYear: $y, itemId: $item, input: $input) { id position } }`
const PLAN = `query($y: Int!, $agency: ID, $min: Int) { promotionPlan(fiscalYear: $y, agencyId: $agency, minPosition: $min) {
  agencyId fiscalYear title itemCount doneCount reviews { outcome by }
  items { itemId ownerId dueOn article status percent overdue progress { status percent by } } } }`

t.test('the plan through mutations and queries; the owner records progress on their item', async (t) => {
  const created = await gql(gso, ESTABLISH, { input: { fiscalYear: 2026, title: 'FY2026 plan', items: [{ itemId: 'edu', title: 'Education', ownerId: 'e1', dueOn: '2026-09-30', article: 8 }] } })
  t.match(created.body.data.establishPlan, { id: '2026', streamVersion: 1, replayed: false })
  const added = await gql(gso, `mutation { addPlanItem(fiscalYear: 2026, input: { itemId: "drill", title: "Drill", ownerId: "e2", dueOn: "2027-01-20" }) { id } }`)
  t.equal(added.body.data.addPlanItem.id, 'drill')
  const progress = await gql(owner, PROGRESS, { y: 2026, item: 'edu', input: { status: 'DONE', percent: 100 } })
  t.equal(progress.body.data.recordPlanProgress.id, 'edu')
  const notMine = await gql(owner, PROGRESS, { y: 2026, item: 'drill', input: { status: 'IN_PROGRESS', percent: 10 } })
  t.equal(code(notMine), 'NotPlanItemOwner')
  t.equal(notMine.status, 403)
  const reviewed = await gql(gso, `mutation { reviewPlan(fiscalYear: 2026, input: { outcome: NEEDS_REVISION, notes: "new risks" }) { position } }`)

  const plan = await gql(gso, PLAN, { y: 2026, min: reviewed.body.data.reviewPlan.position })
  t.same(plan.body.data.promotionPlan, {
    agencyId: 'mof', fiscalYear: 2026, title: 'FY2026 plan', itemCount: 2, doneCount: 1, reviews: [{ outcome: 'NEEDS_REVISION', by: 'tanaka' }],
    items: [
      { itemId: 'edu', ownerId: 'e1', dueOn: '2026-09-30', article: 8, status: 'DONE', percent: 100, overdue: false, progress: [{ status: 'DONE', percent: 100, by: 'e1' }] },
      { itemId: 'drill', ownerId: 'e2', dueOn: '2027-01-20', article: null, status: 'NOT_STARTED', percent: 0, overdue: false, progress: [] },
    ],
  })
  t.equal((await gql(gso, PLAN, { y: 2025 })).body.data.promotionPlan, null)
  const missing = await gql(gso, PROGRESS, { y: 2025, item: 'edu', input: { status: 'IN_PROGRESS', percent: 5 } })
  t.equal(code(missing), 'PlanNotFound')
  t.equal(code(await gql(gso, ESTABLISH, { input: { fiscalYear: 2026, title: 'again' } })), 'PlanAlreadyExists')
  t.equal(code(await gql(owner, ESTABLISH, { input: { fiscalYear: 2027, title: 'mine' } })), 'Forbidden')
})

t.test('promotionPlans is a connection with filters, across the agencies you can see', async (t) => {
  const own = await gql(ipa, ESTABLISH, { input: { fiscalYear: 2026, title: 'IPA plan' } })
  await h.settle('ipa', own.body.data.establishPlan.position)
  const Q = `query($f: PromotionPlanFilter, $first: Int, $after: String) { promotionPlans(filter: $f, first: $first, after: $after) {
    edges { cursor node { agencyId fiscalYear items { itemId } } } pageInfo { hasNextPage endCursor } } }`
  const p1 = await gql(gso, Q, { first: 1 })
  t.same(p1.body.data.promotionPlans.edges.map((e: { node: { agencyId: string } }) => e.node.agencyId), ['ipa'])
  t.equal(p1.body.data.promotionPlans.pageInfo.hasNextPage, true)
  const p2 = await gql(gso, Q, { first: 1, after: p1.body.data.promotionPlans.pageInfo.endCursor })
  t.same(p2.body.data.promotionPlans.edges.map((e: { node: { agencyId: string; items: unknown[] } }) => [e.node.agencyId, e.node.items.length]), [['mof', 2]])
  t.same((await gql(gso, Q, { f: { ownerId: 'e2' } })).body.data.promotionPlans.edges.map((e: { node: { agencyId: string } }) => e.node.agencyId), ['mof'])
  t.same((await gql(mic, Q, {})).body.data.promotionPlans.edges, [], 'another agency sees none')
  t.equal(code(await gql(mic, Q, { f: { agencyId: 'mof' } })), 'ValidationFailed')
  t.equal((await gql(gso, PLAN, { y: 2026, agency: 'ipa' })).body.data.promotionPlan.title, 'IPA plan', 'the national organ reads its body')
  t.equal(code(await gql(ipa, PLAN, { y: 2026, agency: 'mof' })), 'ValidationFailed', 'a body does not read its parent')
})

t.test('training: plan, completions, coverage by unit and the uncovered connection', async (t) => {
  const planned = await gql(gso, `mutation($input: PlanTrainingInput!) { planTraining(input: $input) { id } }`, {
    input: { fiscalYear: 2026, courses: [{ courseId: 'basics', title: 'Basics' }, { courseId: 'admins', title: 'Admins', audience: { kind: 'UNITS', unitIds: ['u2'] }, mandatory: false }] },
  })
  t.equal(planned.body.data.planTraining.id, '2026')
  const bad = await gql(gso, `mutation { addCourse(fiscalYear: 2026, input: { courseId: "x", title: "x", audience: { kind: UNITS, unitIds: ["u9"] } }) { id } }`)
  t.equal(code(bad), 'UnknownUnit')
  const done = await gql(gso, `mutation { recordTrainingCompletions(fiscalYear: 2026, courseId: "basics", input: { completedOn: "2026-06-01", employeeIds: ["e1"] }) { position } }`)
  const position = done.body.data.recordTrainingCompletions.position
  t.equal(code(await gql(gso, `mutation { recordTrainingCompletions(fiscalYear: 2026, courseId: "zz", input: { completedOn: "2026-06-01", employeeIds: ["e1"] }) { id } }`)), 'UnknownCourse')

  const plan = await gql(gso, `query { trainingPlan(fiscalYear: 2026, minPosition: ${position}) { courses { courseId mandatory completions audience { kind unitIds } } } }`)
  t.same(plan.body.data.trainingPlan.courses, [
    { courseId: 'admins', mandatory: false, completions: 0, audience: { kind: 'UNITS', unitIds: ['u2'] } },
    { courseId: 'basics', mandatory: true, completions: 1, audience: { kind: 'ALL', unitIds: [] } },
  ])
  const coverage = await gql(gso, `query { trainingCoverage(fiscalYear: 2026) { asOf rules { trainingsPerFiscalYear newcomerWithinMonths }
    total { inScope covered coverage newcomersOverdue } units { unitId inScope covered coverage newcomersOverdue { employeeId dueOn } } } }`)
  t.same(coverage.body.data.trainingCoverage, {
    asOf: '2026-11-15', rules: { trainingsPerFiscalYear: 1, newcomerWithinMonths: 3 },
    total: { inScope: 3, covered: 1, coverage: 1 / 3, newcomersOverdue: 1 },
    units: [
      { unitId: 'general', inScope: 1, covered: 0, coverage: 0, newcomersOverdue: [] },
      { unitId: 'u1', inScope: 1, covered: 1, coverage: 1, newcomersOverdue: [] },
      { unitId: 'u2', inScope: 1, covered: 0, coverage: 0, newcomersOverdue: [{ employeeId: 'e2', dueOn: '2026-10-01' }] },
    ],
  }, 'tanaka (the officer, in unit general) counts too')
  const uncovered = await gql(gso, `query { uncoveredEmployees(fiscalYear: 2026, asOf: "2026-09-30", filter: { unitId: "u2" }, first: 10) {
    edges { node { employeeId yearlyMet newcomerOverdue newcomerDueOn } } pageInfo { hasNextPage } } }`)
  t.same(uncovered.body.data.uncoveredEmployees.edges.map((e: { node: unknown }) => e.node), [{ employeeId: 'e2', yearlyMet: false, newcomerOverdue: false, newcomerDueOn: '2026-10-01' }])
  t.equal(code(await gql(gso, `query { trainingCoverage(fiscalYear: 2026, asOf: "2026-13-01") { asOf } }`)), 'ValidationFailed')
  t.equal(code(await gql(mic, `query { trainingCoverage(fiscalYear: 2026, agencyId: "mof") { asOf } }`)), 'ValidationFailed')
  t.equal((await gql(mic, `query { trainingPlan(fiscalYear: 2026) { fiscalYear } }`)).body.data.trainingPlan, null)
  t.equal((await gql(gso, `query { trainingCoverage(fiscalYear: 2026, agencyId: "ipa") { agencyId units { unitId } } }`)).body.data.trainingCoverage.agencyId, 'ipa')
})
