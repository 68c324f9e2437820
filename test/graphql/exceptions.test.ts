// GraphQL end to end for exceptional actions (Art. 7): the catalogue's mutations, the ledger connection
// with filters, one exception with its paged history, the CISO's summary, error codes, and the national
// organ's read-only view.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

let now = new Date('2026-07-01T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
for (const [id, unit] of [['sato', 'u1'], ['oda', 'u1'], ['abe', 'sec'], ['kudo', 'sec']] as const) await h.employee('mof', id, unit)
await h.admin('mof', 'assignRole', { employeeId: 'oda', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2020-04-01' })
await h.admin('mof', 'assignRole', { employeeId: 'abe', role: 'EXCEPTION_APPROVER', scope: { kind: 'CLAUSES', clauses: ['3.1.1', '3.2.1'] }, from: '2020-04-01' })
await h.admin('mof', 'assignRole', { employeeId: 'kudo', role: 'EXCEPTION_APPROVER', scope: { kind: 'CLAUSES', clauses: ['6.1'] }, from: '2020-04-01' })
const sato = await h.token('mof', [], 'sato')
const oda = await h.token('mof', [], 'oda')
const abe = await h.token('mof', [], 'abe')
const kudo = await h.token('mof', [], 'kudo')
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const mic = await h.token('mic', ['CISO'], 'kato')
const ipa = await h.token('ipa', ['CISO'], 'ito')

async function gql(token: string, query: string, variables: object = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}` }, payload: { query, variables } })
  return { status: res.statusCode, body: res.json() }
}
const code = (r: { body: { errors?: { extensions: { code: string } }[] } }) => r.body.errors?.[0]?.extensions.code

const REQUEST = `mutation($input: RequestExceptionInput!, $key: String) { requestException(input: $input, idempotencyKey: $key) { id position replayed } }`
const step = (name: string, inputType?: string) => inputType
  ? `mutation($id: ID!, $input: ${inputType}!) { ${name}(exceptionId: $id, input: $input) { id position } }`
  : `mutation($id: ID!) { ${name}(exceptionId: $id) { id position } }`
const input = {
  clause: '3.2.1', rules: ['C3OutsideControlledArea'], assetIds: ['plan-1'], from: '2026-07-02T09:00:00+09:00', to: '2026-07-02T18:00:00+09:00',
  measures: 'read the plan in the meeting room B', compensatingMeasures: ['no copies', 'officer present'], securityImpact: 'shoulder surfing',
  impactHandling: 'blinds closed', endReportMethod: 'verbal to the approver', reason: 'joint review with the contractor',
}
const EXCEPTION = `query($id: ID!, $min: Int, $after: String) { exception(id: $id, minPosition: $min) {
  id agencyId status emergency applicantId clause { edition code } rules steps assetIds requestedPeriod { from to } compensatingMeasures
  endorsement { by unitId } examination { by } decision { outcome by reasons measures } permitted { rules steps assetIds unitId from to }
  overdue overdueAt endReport { by howEnded wasOverdue } revocation { by reason } closure { by note }
  history(first: 2, after: $after) { edges { cursor node { type actor { id } source } } pageInfo { hasNextPage endCursor } } } }`
let x1 = ''

t.test('request, endorse, examine, approve through mutations; clause designation and separation of duties', async (t) => {
  const created = await gql(sato, REQUEST, { input, key: 'meeting-room' })
  x1 = created.body.data.requestException.id
  t.match(x1, /^[0-9a-f-]{36}$/)
  const again = await gql(sato, REQUEST, { input, key: 'meeting-room' })
  t.same(again.body.data.requestException, { ...created.body.data.requestException, replayed: true })
  const bad = await gql(sato, REQUEST, { input: { ...input, rules: ['NoTakeOut'] } })
  t.equal(code(bad), 'RuleOutsideClause')
  t.equal(bad.status, 422)

  t.equal(code(await gql(sato, step('endorseException', 'EndorseExceptionInput'), { id: x1, input: {} })), 'Forbidden')
  t.ok((await gql(oda, step('endorseException', 'EndorseExceptionInput'), { id: x1, input: { note: 'fine' } })).body.data.endorseException)
  const wrongClause = await gql(kudo, step('startExceptionExamination', 'StartExaminationInput'), { id: x1, input: {} })
  t.equal(code(wrongClause), 'Forbidden')
  t.equal(wrongClause.status, 403)
  t.ok((await gql(abe, step('startExceptionExamination', 'StartExaminationInput'), { id: x1, input: {} })).body.data)
  t.equal(code(await gql(abe, step('approveException', 'ApproveExceptionInput'), { id: x1, input: { reasons: 'ok', assetIds: ['plan-1', 'plan-2'] } })), 'PermissionWiderThanRequested')
  const approved = await gql(abe, step('approveException', 'ApproveExceptionInput'), { id: x1, input: { reasons: 'contractor review', measures: 'officer present' } })
  t.equal(approved.body.data.approveException.id, x1)

  const read = await gql(gso, EXCEPTION, { id: x1, min: approved.body.data.approveException.position })
  t.match(read.body.data.exception, {
    id: x1, agencyId: 'mof', status: 'APPROVED', emergency: false, applicantId: 'sato', clause: { edition: 'R3', code: '3.2.1' },
    rules: ['C3OutsideControlledArea'], steps: ['USE'], compensatingMeasures: ['no copies', 'officer present'],
    endorsement: { by: 'oda', unitId: 'u1' }, examination: { by: 'abe' },
    decision: { outcome: 'APPROVED', by: 'abe', reasons: 'contractor review', measures: 'officer present' },
    permitted: { rules: ['C3OutsideControlledArea'], steps: ['USE'], assetIds: ['plan-1'], unitId: null }, overdue: false,
  })
  const history = read.body.data.exception.history
  t.same(history.edges.map((e: { node: { type: string } }) => e.node.type), ['ExceptionRequested', 'ExceptionEndorsed'])
  t.equal(history.pageInfo.hasNextPage, true)
  const more = await gql(gso, EXCEPTION, { id: x1, after: history.pageInfo.endCursor })
  t.same(more.body.data.exception.history.edges.map((e: { node: { type: string; actor: { id: string } } }) => [e.node.type, e.node.actor.id]),
    [['ExceptionExaminationStarted', 'abe'], ['ExceptionApproved', 'abe']])
  t.equal(code(await gql(gso, EXCEPTION, { id: x1, after: 'nope' })), 'InvalidCursor')
})

t.test('the applicant never decides; rejection; the emergency path', async (t) => {
  const own = await gql(abe, REQUEST, { input: { ...input, assetIds: ['plan-9'] } })
  const ownId = own.body.data.requestException.id
  t.ok((await gql(gso, step('startExceptionExamination', 'StartExaminationInput'), { id: ownId, input: {} })).body.data)
  const self = await gql(abe, step('approveException', 'ApproveExceptionInput'), { id: ownId, input: { reasons: 'mine' } })
  t.equal(code(self), 'SelfApproval')
  t.equal(self.status, 403)

  const emergency = await gql(sato, `mutation($input: FileEmergencyExceptionInput!) { fileEmergencyException(input: $input) { id } }`, {
    input: { ...input, assetIds: ['plan-3'], from: '2026-07-01T08:00:00+09:00', to: '2026-07-01T09:00:00+09:00', actedAt: '2026-07-01T08:30:00+09:00' },
  })
  const eid = emergency.body.data.fileEmergencyException.id
  t.ok((await gql(abe, step('startExceptionExamination', 'StartExaminationInput'), { id: eid, input: {} })).body.data)
  const rejected = await gql(abe, step('rejectException', 'RejectExceptionInput'), { id: eid, input: { reasons: 'could have waited' } })
  const row = await gql(gso, EXCEPTION, { id: eid, min: rejected.body.data.rejectException.position })
  t.match(row.body.data.exception, { status: 'REJECTED', emergency: true, decision: { outcome: 'REJECTED', reasons: 'could have waited' }, permitted: null })
})

t.test('active, overdue by the manual mark, end report, close; the ledger connection and the summary', async (t) => {
  now = new Date('2026-07-02T10:00:00+09:00')
  await h.settle('mof')
  const LEDGER = `query($filter: ExceptionLedgerFilter, $first: Int, $after: String) { exceptionLedger(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id status applicantId overdue } } pageInfo { hasNextPage endCursor } } }`
  const active = await gql(gso, LEDGER, { filter: { status: ['ACTIVE'] } })
  t.same(active.body.data.exceptionLedger.edges.map((e: { node: { id: string; status: string } }) => [e.node.id, e.node.status]), [[x1, 'ACTIVE']])
  const page = await gql(gso, LEDGER, { first: 2 })
  t.equal(page.body.data.exceptionLedger.pageInfo.hasNextPage, true)
  const rest = await gql(gso, LEDGER, { first: 2, after: page.body.data.exceptionLedger.pageInfo.endCursor })
  t.equal(rest.body.data.exceptionLedger.edges.length, 1, 'three exceptions in all')
  t.same((await gql(gso, LEDGER, { filter: { applicantId: 'abe' } })).body.data.exceptionLedger.edges.length, 1)

  const early = await gql(gso, step('markExceptionOverdue'), { id: x1 })
  t.equal(early.body.data.markExceptionOverdue.id, x1, 'nothing to mark yet: answered without an event')
  t.equal(code(await gql(sato, step('markExceptionOverdue'), { id: x1 })), 'Forbidden')
  now = new Date('2026-07-03T09:00:00+09:00')
  t.ok((await gql(gso, step('markExceptionOverdue'), { id: x1 })).body.data)
  const reported = await gql(sato, step('reportExceptionEnd', 'ReportExceptionEndInput'), { id: x1, input: { endedAt: '2026-07-02T17:00:00+09:00', howEnded: 'meeting over' } })
  t.ok(reported.body.data)
  const closed = await gql(abe, step('closeException', 'CloseExceptionInput'), { id: x1, input: { note: 'done' } })
  const row = await gql(gso, EXCEPTION, { id: x1, min: closed.body.data.closeException.position })
  t.match(row.body.data.exception, { status: 'CLOSED', overdue: true, endReport: { by: 'sato', wasOverdue: true }, closure: { by: 'abe', note: 'done' } })
  t.equal(code(await gql(abe, step('revokeException', 'RevokeExceptionInput'), { id: x1, input: { reason: 'x' } })), 'ExceptionTransitionNotAllowed')

  const SUMMARY = `query($from: Date!, $to: Date!, $agencyId: ID) { exceptionSummary(from: $from, to: $to, agencyId: $agencyId) {
    agencyId from to byStatus { status count } inPeriod { requested emergencies approved rejected becameOverdue endReported closed } activeNow overdue { id } } }`
  const summary = await gql(gso, SUMMARY, { from: '2026-07-01', to: '2026-07-31' })
  t.match(summary.body.data.exceptionSummary, {
    agencyId: 'mof', from: '2026-07-01', to: '2026-07-31', inPeriod: { requested: 3, emergencies: 1, approved: 1, rejected: 1, becameOverdue: 1, endReported: 1, closed: 1 },
    activeNow: 0, overdue: [],
  })
  t.same(summary.body.data.exceptionSummary.byStatus.filter((s: { count: number }) => s.count > 0), [
    { status: 'UNDER_EXAMINATION', count: 1 }, { status: 'REJECTED', count: 1 }, { status: 'CLOSED', count: 1 },
  ])
  t.equal(code(await gql(gso, SUMMARY, { from: '2026-07-31', to: '2026-07-01' })), 'ValidationFailed')
})

t.test('visibility: another agency sees nothing; a national organ reads the bodies under it', async (t) => {
  t.same((await gql(mic, `query($id: ID!) { exception(id: $id) { id } }`, { id: x1 })).body.data, { exception: null })
  t.same((await gql(mic, `{ exceptionLedger { edges { node { id } } } }`)).body.data.exceptionLedger.edges, [])
  t.equal(code(await gql(mic, `{ exceptionLedger(filter: { agencyId: "mof" }) { edges { node { id } } } }`)), 'ValidationFailed')
  await h.employee('ipa', 'ito')
  const body = await gql(ipa, REQUEST, { input: { ...input, to: '2026-07-20T00:00:00+09:00' } })
  await h.settle('ipa')
  const seen = await gql(gso, `query($id: ID!) { exception(id: $id) { agencyId applicantId } }`, { id: body.body.data.requestException.id })
  t.same(seen.body.data.exception, { agencyId: 'ipa', applicantId: 'ito' })
  const summary = await gql(gso, `{ exceptionSummary(from: "2026-07-01", to: "2026-07-31", agencyId: "ipa") { agencyId inPeriod { requested } } }`)
  t.same(summary.body.data.exceptionSummary, { agencyId: 'ipa', inPeriod: { requested: 1 } })
  const act = await gql(gso, step('startExceptionExamination', 'StartExaminationInput'), { id: body.body.data.requestException.id, input: {} })
  t.equal(code(act), 'ExceptionNotFound', "the organ cannot act on a body's exception")
})
