// GraphQL end to end for the self-check (Art. 10) and audits (Art. 11): the catalogue's mutations,
// the queries and Relay connections, error codes, and the national organ's read-only view.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

let now = new Date('2026-06-15T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
for (const [id, unit] of [['sato', 'u1'], ['ueda', 'u1'], ['aoki', 'audit']] as const) await h.employee('mof', id, unit)
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const officer = await h.token('mof', ['AUDIT_OFFICER'], 'kimura')
const ciso = await h.token('mof', ['CISO'], 'boss')
const aoki = await h.token('mof', ['AUDITOR'], 'aoki')
await h.token('mof', ['AUDITOR'], 'ueda')
const sato = await h.token('mof', [], 'sato')
const ipa = await h.token('ipa', ['CISO', 'AUDIT_OFFICER'], 'ito')
const mic = await h.token('mic', ['CISO'], 'kato')

async function gql(token: string, query: string, variables: object = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}` }, payload: { query, variables } })
  return { status: res.statusCode, body: res.json() }
}
const code = (r: { body: { errors?: { extensions: { code: string } }[] } }) => r.body.errors?.[0]?.extensions.code

const PLAN_AUDIT = `mutation($input: PlanAuditInput!, $key: String) { planAudit(input: $input, idempotencyKey: $key) { id position replayed } }`
const auditInput = { fiscalYear: 2026, title: 'Audit of u1', scopeUnitIds: ['u1'], auditorIds: ['aoki'], fieldworkFrom: '2026-06-15', fieldworkTo: '2026-07-15' }
const AUDIT = `query($id: ID!, $min: Int) { audit(id: $id, minPosition: $min) {
  id status title scopeUnitIds auditorIds fieldworkFrom plannedBy approval { by } findingCount openFindingCount
  findings { id unitId severity status overdue dueOn standardsItem { edition code } followUps { status } } } }`

t.test('the self-check through mutations and the selfCheck query', async (t) => {
  const planned = await gql(gso, `mutation($input: PlanSelfCheckInput!) { planSelfCheck(fiscalYear: 2026, input: $input) { id } }`, {
    input: { from: '2026-06-01', to: '2026-06-30', items: [{ itemId: 'q1', question: 'Locked?', standardsItem: { edition: 'R5', code: '8.1' } }] },
  })
  t.same(planned.body.data, { planSelfCheck: { id: '2026' } })
  const result = await gql(sato, `mutation { recordSelfCheckResult(fiscalYear: 2026, input: { employeeId: "sato", submittedOn: "2026-06-15", answers: [{ itemId: "q1", compliant: false }] }) { id position } }`)
  t.ok(result.body.data.recordSelfCheckResult.id)
  const notMine = await gql(sato, `mutation { recordSelfCheckResult(fiscalYear: 2026, input: { employeeId: "ueda", submittedOn: "2026-06-15", answers: [{ itemId: "q1", compliant: true }] }) { id } }`)
  t.equal(code(notMine), 'NotOwnSelfCheck')
  t.equal(notMine.status, 403)

  const read = await gql(gso, `query($min: Int) { selfCheck(fiscalYear: 2026, minPosition: $min) {
    agencyId status from to unitIds participation { responded results } nonCompliantItems { itemId nonCompliant standardsItem { code } } fixes { fixId } } }`,
  { min: result.body.data.recordSelfCheckResult.position })
  t.same(read.body.data.selfCheck, {
    agencyId: 'mof', status: 'IN_PROGRESS', from: '2026-06-01', to: '2026-06-30', unitIds: null,
    participation: { responded: 1, results: 1 }, nonCompliantItems: [{ itemId: 'q1', nonCompliant: 1, standardsItem: { code: '8.1' } }], fixes: [],
  })
  const none = await gql(gso, `{ selfCheck(fiscalYear: 2025) { status items { itemId } participation { inScope rate } } }`)
  t.same(none.body.data.selfCheck, { status: 'NOT_PLANNED', items: [], participation: { inScope: 0, rate: null } })
})

t.test('an audit through mutations: separation of duties, approval, findings, connections', async (t) => {
  const own = await gql(officer, PLAN_AUDIT, { input: { ...auditInput, auditorIds: ['ueda'] } })
  t.equal(code(own), 'AuditorOwnUnit')
  t.equal(own.status, 422)
  const planned = await gql(officer, PLAN_AUDIT, { input: auditInput, key: 'audit-2026-u1' })
  const again = await gql(officer, PLAN_AUDIT, { input: auditInput, key: 'audit-2026-u1' })
  const id = planned.body.data.planAudit.id
  t.match(again.body.data.planAudit, { id, replayed: true }, 'a retry reaches the same audit')
  const early = await gql(aoki, `mutation($id: ID!) { recordFinding(auditId: $id, input: { unitId: "u1", standardsItem: { edition: R5, code: "6.4" }, severity: HIGH, description: "d", dueOn: "2026-06-30" }) { id } }`, { id })
  t.equal(code(early), 'AuditNotApproved')
  t.equal((await gql(ciso, `mutation($id: ID!) { approveAuditPlan(auditId: $id, input: {}) { id } }`, { id })).body.data.approveAuditPlan.id, id)
  const recorded = await gql(aoki, `mutation($id: ID!) { recordFinding(auditId: $id, input: { unitId: "u1", standardsItem: { edition: R5, code: "6.4" }, severity: HIGH, description: "d", dueOn: "2026-06-30" }) { id position } }`, { id })
  const findingId = recorded.body.data.recordFinding.id

  const audit = await gql(officer, AUDIT, { id, min: recorded.body.data.recordFinding.position })
  t.same(audit.body.data.audit, {
    id, status: 'APPROVED', title: 'Audit of u1', scopeUnitIds: ['u1'], auditorIds: ['aoki'], fieldworkFrom: '2026-06-15', plannedBy: 'kimura',
    approval: { by: 'boss' }, findingCount: 1, openFindingCount: 1,
    findings: [{ id: findingId, unitId: 'u1', severity: 'HIGH', status: 'OPEN', overdue: false, dueOn: '2026-06-30', standardsItem: { edition: 'R5', code: '6.4' }, followUps: [] }],
  })
  const list = await gql(officer, `{ audits(filter: { fiscalYear: 2026, status: [APPROVED] }, first: 10) { edges { cursor node { id findings { id } } } pageInfo { hasNextPage } } }`)
  t.same(list.body.data.audits.edges.map((e: { node: { id: string; findings: unknown[] } }) => [e.node.id, e.node.findings.length]), [[id, 1]])
  t.equal(list.body.data.audits.pageInfo.hasNextPage, false)

  now = new Date('2026-07-01T09:00:00+09:00')
  const overdue = await gql(officer, `{ openFindings(filter: { overdue: true, severity: [HIGH] }) { edges { node { id auditId overdue } } } }`)
  t.same(overdue.body.data.openFindings.edges.map((e: { node: unknown }) => e.node), [{ id: findingId, auditId: id, overdue: true }])
  const low = await gql(officer, `{ openFindings(filter: { severity: [LOW] }) { edges { node { id } } } }`)
  t.same(low.body.data.openFindings.edges, [])
  const status = await gql(ciso, `{ assuranceStatus { fiscalYear asOf agencies { agencyId selfCheckStatus approvedAudits openFindings overdueFindings highOpenFindings } } }`)
  t.same(status.body.data.assuranceStatus, {
    fiscalYear: 2026, asOf: '2026-07-01',
    agencies: [
      { agencyId: 'mof', selfCheckStatus: 'IN_PROGRESS', approvedAudits: 1, openFindings: 1, overdueFindings: 1, highOpenFindings: 1 },
      { agencyId: 'ipa', selfCheckStatus: 'NOT_PLANNED', approvedAudits: 0, openFindings: 0, overdueFindings: 0, highOpenFindings: 0 },
    ],
  })
})

t.test("the national organ reads a body's audits; nobody else does", async (t) => {
  await h.employee('ipa', 'iaud', 'i2')
  await h.token('ipa', ['AUDITOR'], 'iaud')
  const planned = await gql(ipa, PLAN_AUDIT, { input: { ...auditInput, scopeUnitIds: ['general'], auditorIds: ['iaud'] } })
  const id = planned.body.data.planAudit.id
  await h.settle('ipa')
  const byOrgan = await gql(ciso, `query($id: ID!) { audit(id: $id) { id status } audits(filter: { agencyId: "ipa" }) { edges { node { id } } } }`, { id })
  t.same(byOrgan.body.data, { audit: { id, status: 'PLANNED' }, audits: { edges: [{ node: { id } }] } })
  const organSees = await gql(ciso, `{ audits { edges { node { agencyId } } } }`)
  t.same(organSees.body.data.audits.edges.map((e: { node: { agencyId: string } }) => e.node.agencyId).sort(), ['ipa', 'mof'], 'its own and the body\'s')
  const byOther = await gql(mic, `query($id: ID!) { audit(id: $id) { id } }`, { id })
  t.equal(byOther.body.data.audit, null)
  const upward = await gql(ipa, `{ openFindings(filter: { agencyId: "mof" }) { edges { node { id } } } }`)
  t.equal(code(upward), 'ValidationFailed')
  const selfCheck = await gql(mic, `{ selfCheck(fiscalYear: 2026, agencyId: "mof") { status } }`)
  t.equal(code(selfCheck), 'ValidationFailed')
})
