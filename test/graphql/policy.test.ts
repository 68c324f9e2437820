// GraphQL end to end for policy documents and risk (Art. 3–4): mutations from the catalogue, the
// policy, risks, reviewsDue and commonStandards queries, roles and visibility.
import t from 'tap'
import { baselineItems } from '../../src/domain/shared/common-standards.js'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t, { clock: { now: () => new Date('2026-06-15T10:00:00+09:00') } })
await h.agency('mof')
await h.agency('jaxa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
const ciso = await h.token('mof', ['CISO'], 'boss')
const officer = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'sato')
const employee = await h.token('mof', [], 'suzuki')
const child = await h.token('jaxa', ['CISO'], 'ito')
const other = await h.token('mic', ['CISO'], 'kato')

interface GqlError { message: string; extensions: Record<string, any> & { code: string } }
async function gql(token: string, query: string, variables: object = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}` }, payload: { query, variables } })
  const body = res.json() as { data: Record<string, any> | null; errors?: GqlError[] }
  return { status: res.statusCode, data: body.data, errors: body.errors }
}

const RESULT = '{ id streamVersion position replayed }'
const ADOPT_POLICY = `mutation($input: AdoptBasicPolicyInput!) { adoptBasicPolicy(input: $input) ${RESULT} }`
const ADOPT_STANDARDS = `mutation($input: AdoptStandardsInput!) { adoptStandards(input: $input) ${RESULT} }`
const ASSESS = `mutation($input: AssessRiskInput!, $key: String) { assessRisk(input: $input, idempotencyKey: $key) ${RESULT} }`
const REASSESS = `mutation($id: ID!, $input: ReassessRiskInput!) { reassessRisk(riskId: $id, input: $input) ${RESULT} }`
const REVIEW = `mutation($input: ReviewPolicyInput!) { reviewPolicy(input: $input) ${RESULT} }`
const REVIEWS_DUE = `query($agencyId: ID, $min: Int) { reviewsDue(agencyId: $agencyId, minPosition: $min) {
  policy { due reasonCount reasons { eventType streamId position at } lastReviewEvent }
  plan { due reasonCount reasons { eventType } } } }`

const policyInput = { version: '2026.1', title: 'MOF basic policy', summary: 'What we protect', adoptedOn: '2026-04-01' }
const items = (drop: string[] = []) => baselineItems('R3').filter((c) => !drop.includes(c)).map((code, i) => ({ itemId: `i${i}`, title: `Rule ${code}`, covers: [code] }))
const riskInput = { title: 'Phishing', threat: 'Credential theft', likelihood: 'HIGH', impact: 'HIGH', measures: ['filtering'], reviewBy: '2026-12-31' }

t.test('commonStandards publishes an edition as data', async (t) => {
  const { data } = await gql(employee, '{ commonStandards(edition: R5) { edition publishedOn baseline items { code title chapter confidence } } }')
  t.match(data?.commonStandards, { edition: 'R5', publishedOn: '2023-07-04', baseline: baselineItems('R5') })
  t.match(data?.commonStandards.items[0], { code: '1.1', chapter: 1, confidence: 'C' })
})

t.test('policy adoption: baseline gaps are refused with the missing items, full coverage is shown', async (t) => {
  const forbidden = await gql(officer, ADOPT_POLICY, { input: policyInput })
  t.equal(forbidden.errors?.[0]?.extensions.code, 'Forbidden')
  const adopted = await gql(ciso, ADOPT_POLICY, { input: policyInput })
  t.match(adopted.data?.adoptBasicPolicy, { id: '2026.1', streamVersion: 1, replayed: false })

  const gaps = await gql(ciso, ADOPT_STANDARDS, { input: { version: 'S1', edition: 'R3', adoptedOn: '2026-05-01', items: items(['5.7']) } })
  t.equal(gaps.status, 422)
  t.match(gaps.errors?.[0]?.extensions, { code: 'BaselineNotCovered', missing: ['5.7'], edition: 'R3' })
  const unknown = await gql(ciso, ADOPT_STANDARDS, { input: { version: 'S1', edition: 'R3', adoptedOn: '2026-05-01', items: [...items(), { itemId: 'x', title: 'x', covers: ['12.1'] }] } })
  t.match(unknown.errors?.[0]?.extensions, { code: 'UnknownStandardsItem', unknown: [{ itemId: 'x', code: '12.1' }] })
  const bad = await gql(ciso, ADOPT_STANDARDS, { input: { version: 'S1', edition: 'R4', adoptedOn: '2026-05-01', items: items() } })
  t.ok(bad.errors?.length, 'an unknown edition is not a StandardsEdition')

  const ok = await gql(ciso, ADOPT_STANDARDS, { input: { version: 'S1', edition: 'R3', adoptedOn: '2026-05-01', items: items() } })
  const { data } = await gql(employee, `query($min: Int) { policy(minPosition: $min) {
    agencyId basicPolicy { version title adoptedOn adoptedBy parentId }
    standards { version edition basicPolicyVersion items { itemId covers } coverage { complete gaps baselineCount coveredBaselineCount items { code inBaseline coveredBy } } }
    basicPolicyVersions { version } standardsVersions { version } lastReview { id } reviewDue { due } } }`, { min: ok.data?.adoptStandards.position })
  t.match(data?.policy, {
    agencyId: 'mof', basicPolicy: { version: '2026.1', adoptedOn: '2026-04-01', adoptedBy: 'boss', parentId: null },
    standards: { version: 'S1', edition: 'R3', basicPolicyVersion: '2026.1', coverage: { complete: true, gaps: [], baselineCount: baselineItems('R3').length } },
    basicPolicyVersions: [{ version: '2026.1' }], standardsVersions: [{ version: 'S1' }], lastReview: null, reviewDue: { due: false },
  })
  t.match(data?.policy.standards.coverage.items.find((i: { code: string }) => i.code === '1.1'), { inBaseline: false, coveredBy: [] })
})

t.test('a subordinate body must reference its parent organ policy; the organ reads it', async (t) => {
  const missing = await gql(child, ADOPT_POLICY, { input: { ...policyInput, title: 'JAXA policy' } })
  t.equal(missing.status, 422)
  t.match(missing.errors?.[0]?.extensions, { code: 'ParentPolicyRequired', parentId: 'mof' })
  const ok = await gql(child, ADOPT_POLICY, { input: { ...policyInput, title: 'JAXA policy', parentPolicyVersion: '2026.1' } })
  t.equal(ok.data?.adoptBasicPolicy.id, '2026.1')
  await h.settle('jaxa')
  const fromOrgan = await gql(ciso, '{ policy(agencyId: "jaxa") { agencyId basicPolicy { title parentId parentPolicyVersion } } }')
  t.match(fromOrgan.data?.policy, { agencyId: 'jaxa', basicPolicy: { title: 'JAXA policy', parentId: 'mof', parentPolicyVersion: '2026.1' } })
  const fromOther = await gql(other, '{ policy(agencyId: "jaxa") { agencyId } }')
  t.equal(fromOther.errors?.[0]?.extensions.code, 'ValidationFailed')
  const history = await gql(ciso, '{ policyHistory(agencyId: "jaxa", first: 1) { edges { cursor node { type version by } } pageInfo { hasNextPage endCursor } } }')
  t.match(history.data?.policyHistory, { edges: [{ node: { type: 'BasicPolicyAdopted', version: '2026.1', by: 'ito' } }], pageInfo: { hasNextPage: false } })
})

t.test('risks: assess, reassess, list by level; reassessment marks policy and plan due, a review clears the policy', async (t) => {
  const assessed = await gql(officer, ASSESS, { input: riskInput, key: 'gql-risk-1' })
  const id = assessed.data?.assessRisk.id as string
  const replay = await gql(officer, ASSESS, { input: riskInput, key: 'gql-risk-1' })
  t.match(replay.data?.assessRisk, { id, replayed: true })
  await gql(officer, ASSESS, { input: { ...riskInput, title: 'Minor', likelihood: 'LOW', impact: 'LOW' } })
  const reassessed = await gql(officer, REASSESS, { id, input: { reason: 'campaign over', likelihood: 'MEDIUM' } })
  t.equal(reassessed.data?.reassessRisk.streamVersion, 2)

  const one = await gql(employee, `query($id: ID!, $min: Int) { risk(id: $id, minPosition: $min) { id likelihood impact level reassessments status reviewOverdue } }`, { id, min: reassessed.data?.reassessRisk.position })
  t.same(one.data?.risk, { id, likelihood: 'MEDIUM', impact: 'HIGH', level: 'HIGH', reassessments: 1, status: 'ACTIVE', reviewOverdue: false })
  const highs = await gql(employee, '{ risks(filter: { level: [HIGH] }) { edges { cursor node { id level } } pageInfo { hasNextPage endCursor } } }')
  t.same(highs.data?.risks.edges.map((e: { node: { id: string } }) => e.node.id), [id])
  const lows = await gql(employee, '{ risks(filter: { level: [LOW], retired: false }, first: 1) { edges { node { title level } } pageInfo { hasNextPage } } }')
  t.same(lows.data?.risks, { edges: [{ node: { title: 'Minor', level: 'LOW' } }], pageInfo: { hasNextPage: false } })

  const due = await gql(employee, REVIEWS_DUE, { min: reassessed.data?.reassessRisk.position })
  t.match(due.data?.reviewsDue, { policy: { due: true, reasonCount: 3 }, plan: { due: true, reasonCount: 3 } })
  t.same(due.data?.reviewsDue.policy.reasons.map((r: { eventType: string }) => r.eventType), ['RiskAssessed', 'RiskAssessed', 'RiskReassessed'])
  t.equal(due.data?.reviewsDue.policy.reasons[2].streamId, `risk-${id}`)

  t.equal((await gql(officer, REVIEW, { input: { outcome: 'UNCHANGED', notes: 'x' } })).errors?.[0]?.extensions.code, 'Forbidden')
  const reviewed = await gql(ciso, REVIEW, { input: { outcome: 'UNCHANGED', notes: 'measures suffice' } })
  const after = await gql(employee, REVIEWS_DUE, { min: reviewed.data?.reviewPolicy.position })
  t.match(after.data?.reviewsDue, { policy: { due: false, reasonCount: 0, reasons: [], lastReviewEvent: 'PolicyReviewed' }, plan: { due: true, reasonCount: 3 } })
})

t.test('no access across agencies; the national organ reads its bodies', async (t) => {
  const theirs = await gql(other, ASSESS, { input: { ...riskInput, title: 'MIC risk' } })
  await h.settle('mic')
  const id = theirs.data?.assessRisk.id as string
  t.equal((await gql(ciso, `{ risk(id: "${id}") { id } }`)).data?.risk, null)
  t.same((await gql(other, '{ risks { edges { node { title } } } }')).data?.risks.edges, [{ node: { title: 'MIC risk' } }])
  const childRisk = await gql(child, ASSESS, { input: { ...riskInput, title: 'JAXA risk' } })
  await h.settle('jaxa')
  t.match((await gql(ciso, `{ risk(id: "${childRisk.data?.assessRisk.id}") { agencyId title } }`)).data?.risk, { agencyId: 'jaxa', title: 'JAXA risk' })
  t.same((await gql(ciso, '{ risks(filter: { agencyId: "jaxa" }) { edges { node { title } } } }')).data?.risks.edges, [{ node: { title: 'JAXA risk' } }])
  t.match((await gql(ciso, REVIEWS_DUE, { agencyId: 'jaxa' })).data?.reviewsDue, { policy: { due: true, reasonCount: 1 } })
  t.equal((await gql(other, REVIEWS_DUE, { agencyId: 'mof' })).errors?.[0]?.extensions.code, 'ValidationFailed')
})
