// GraphQL end to end for information systems (Art. 17–18): the lifecycle scenario through the catalogue's
// mutations with every guard (extensions.code and the details), the ledger connection with filters and
// pages, one system with its documents, approvals, erasure and paged history, systems past their review,
// and visibility (an employee 403 on commands, another agency sees nothing).
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t, { clock: { now: () => new Date('2026-07-01T10:00:00+09:00') } })
await h.agency('mof')
await h.agency('mic')
await h.employee('mof', 'sato', 'it')
await h.admin('mof', 'assignRole', { employeeId: 'sato', role: 'SYSTEM_SECURITY_OFFICER', scope: { kind: 'SYSTEM', systemId: 'G-1' }, from: '2020-04-01' })
const sato = await h.token('mof', [], 'sato')
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const employee = await h.token('mof', ['EMPLOYEE'], 'ito')
const mic = await h.token('mic', ['CISO'], 'kato')

async function gql(token: string, query: string, variables: object = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}` }, payload: { query, variables } })
  return { status: res.statusCode, body: res.json() }
}
type Result = Awaited<ReturnType<typeof gql>>
const error = (r: Result) => r.body.errors?.[0]?.extensions as Record<string, unknown> | undefined

const REGISTER = 'mutation($input: RegisterInformationSystemInput!) { registerInformationSystem(input: $input) { id position } }'
const on = (name: string, inputType: string) => `mutation($id: ID!, $input: ${inputType}!) { ${name}(systemId: $id, input: $input) { id position } }`
const STAGE = on('changeSystemStage', 'ChangeSystemStageInput')
const DOCUMENT = on('recordSystemDocument', 'RecordSystemDocumentInput')
const APPROVE = on('approveSecurityRequirements', 'ApproveSecurityRequirementsInput')
const LEDGER = on('updateInformationSystemLedger', 'UpdateInformationSystemLedgerInput')
const ERASURE = on('confirmSystemDataErasure', 'ConfirmSystemDataErasureInput')
const REVIEW = on('recordSystemReview', 'RecordSystemReviewInput')
const to = (token: string, stage: string) => gql(token, STAGE, { id: 'G-1', input: { to: stage } })
const SYSTEM = `query($id: ID!, $min: Int, $after: String) { informationSystem(id: $id, minPosition: $min) {
  id agencyId stage allowedNextStages highestClass handlesC3 ledgerComplete ledgerMissing hosting { kind ismapRegistered }
  documents { documentId kind versions { version recordedBy issuedOn } } securityRequirements { recorded approved unapproved { version } }
  approvals { documentVersion by recordedBy } erasure { method confirmedOn by } reviewDueOn reviewOverdue lastReview { findings nextReviewDueOn }
  stageHistory { from to by } retiredAt
  history(first: 2, after: $after) { edges { cursor node { type actor { id } } } pageInfo { hasNextPage endCursor } } } }`

t.test('the lifecycle through mutations, each guard refusing with its code and the missing step', async (t) => {
  const input = { systemId: 'G-1', name: 'Grants', purpose: 'grant applications', ownerUnitId: 'it', informationClasses: ['C2I2A2'], internetFacing: true, criticality: 'MEDIUM', reviewDueOn: '2027-01-31' }
  const forbidden = await gql(employee, REGISTER, { input })
  t.equal(forbidden.status, 403)
  t.equal(error(forbidden)?.code, 'Forbidden')
  t.ok((await gql(sato, REGISTER, { input })).body.data.registerInformationSystem.position)
  const procurement = await to(sato, 'PROCUREMENT')
  t.equal(procurement.status, 409)
  t.match(error(procurement), { code: 'SecurityRequirementsNotApproved', missing: 'SECURITY_REQUIREMENTS' })
  t.ok((await gql(sato, DOCUMENT, { id: 'G-1', input: { kind: 'SECURITY_REQUIREMENTS', title: 'SR', version: 'A', issuedOn: '2026-06-01' } })).body.data)
  t.match(error(await gql(sato, APPROVE, { id: 'G-1', input: { documentVersion: 'A' } })), { code: 'Forbidden' })
  t.ok((await gql(gso, APPROVE, { id: 'G-1', input: { documentVersion: 'A' } })).body.data.approveSecurityRequirements)
  for (const stage of ['PROCUREMENT', 'CONSTRUCTION', 'ACCEPTANCE']) t.ok((await to(sato, stage)).body.data.changeSystemStage, stage)
  const operation = await to(sato, 'OPERATION')
  t.equal(operation.status, 409)
  t.match(error(operation), { code: 'LedgerEntryIncomplete', missing: ['securityOfficerId', 'hosting', 'documents.DESIGN', 'documents.OPERATION_MANUAL'] })
  t.match(error(await gql(sato, LEDGER, { id: 'G-1', input: {} })), { code: 'ValidationFailed' }, 'an update names at least one field')
  t.ok((await gql(sato, LEDGER, { id: 'G-1', input: { securityOfficerId: 'sato', hosting: { kind: 'HYBRID', provider: 'x', ismapRegistered: false } } })).body.data)
  for (const kind of ['DESIGN', 'OPERATION_MANUAL']) t.ok((await gql(sato, DOCUMENT, { id: 'G-1', input: { kind, title: kind, version: '1', issuedOn: '2026-06-02' } })).body.data)
  t.ok((await to(sato, 'OPERATION')).body.data.changeSystemStage)
  t.ok((await gql(sato, REVIEW, { id: 'G-1', input: { findings: 'patch levels fine', nextReviewDueOn: '2027-07-01' } })).body.data)
  t.match(error(await to(sato, 'RETIRED')), { code: 'SystemStageTransitionNotAllowed', allowed: ['RENEWAL', 'DISPOSAL'] })
  t.ok((await to(sato, 'DISPOSAL')).body.data)
  t.match(error(await to(sato, 'RETIRED')), { code: 'DataErasureNotConfirmed' })
  t.ok((await gql(sato, ERASURE, { id: 'G-1', input: { method: 'degaussing', confirmedOn: '2026-07-01' } })).body.data)
  const retired = await to(sato, 'RETIRED')
  t.ok(retired.body.data.changeSystemStage)
  const after = await gql(gso, REVIEW, { id: 'G-1', input: { findings: 'late' } })
  t.equal(after.status, 409)
  t.equal(error(after)?.code, 'SystemRetired')

  const shown = await gql(sato, SYSTEM, { id: 'G-1', min: retired.body.data.changeSystemStage.position })
  t.match(shown.body.data.informationSystem, {
    id: 'G-1', agencyId: 'mof', stage: 'RETIRED', allowedNextStages: [], highestClass: 'C2I2A2', handlesC3: false, ledgerComplete: true, ledgerMissing: [],
    hosting: { kind: 'HYBRID', ismapRegistered: false }, securityRequirements: { recorded: true, approved: true, unapproved: [] },
    approvals: [{ documentVersion: 'A', by: 'tanaka', recordedBy: 'sato' }], erasure: { method: 'degaussing', confirmedOn: '2026-07-01', by: 'sato' },
    reviewDueOn: '2027-07-01', reviewOverdue: false, lastReview: { findings: 'patch levels fine', nextReviewDueOn: '2027-07-01' }, retiredAt: '2026-07-01T01:00:00.000Z',
  })
  t.same(shown.body.data.informationSystem.stageHistory.map((s: { from: string | null; to: string }) => s.from ?? '-'), ['-', 'PLANNING', 'PROCUREMENT', 'CONSTRUCTION', 'ACCEPTANCE', 'OPERATION', 'DISPOSAL'])
  const history = shown.body.data.informationSystem.history
  t.same(history.edges.map((e: { node: { type: string } }) => e.node.type), ['SystemRegistered', 'SystemDocumentRecorded'])
  t.equal(history.pageInfo.hasNextPage, true)
  const next = await gql(sato, SYSTEM, { id: 'G-1', after: history.pageInfo.endCursor })
  t.same(next.body.data.informationSystem.history.edges.map((e: { node: { type: string; actor: { id: string } } }) => [e.node.type, e.node.actor.id]),
    [['SecurityRequirementsApproved', 'tanaka'], ['SystemStageChanged', 'sato']])
  t.match(error(await gql(sato, SYSTEM, { id: 'G-1', after: 'x' })), { code: 'InvalidCursor' })
})

t.test('the ledger connection with filters and pages; systems past their review', async (t) => {
  const last = await gql(gso, REGISTER, { input: { systemId: 'G-2', name: 'Mail', purpose: 'mail', ownerUnitId: 'it', informationClasses: ['C3I2A2'], internetFacing: false, criticality: 'CRITICAL', reviewDueOn: '2026-05-31' } })
  const LEDGER_Q = `query($filter: InformationSystemFilter, $first: Int, $after: String, $min: Int) { informationSystems(filter: $filter, first: $first, after: $after, minPosition: $min) {
    edges { cursor node { id criticality stage handlesC3 reviewOverdue continuity { planMissing } } } pageInfo { hasNextPage endCursor } } }`
  const ids = (r: Result) => r.body.data.informationSystems.edges.map((e: { node: { id: string } }) => e.node.id)
  const min = last.body.data.registerInformationSystem.position
  t.same(ids(await gql(employee, LEDGER_Q, { min })), ['G-1', 'G-2'])
  t.same(ids(await gql(employee, LEDGER_Q, { filter: { handlesC3: true } })), ['G-2'])
  t.same(ids(await gql(employee, LEDGER_Q, { filter: { stage: ['RETIRED'], internetFacing: true } })), ['G-1'])
  t.same(ids(await gql(employee, LEDGER_Q, { filter: { criticality: ['CRITICAL'], continuityPlanMissing: true } })), ['G-2'])
  const page1 = await gql(employee, LEDGER_Q, { first: 1 })
  t.equal(page1.body.data.informationSystems.pageInfo.hasNextPage, true)
  t.same(ids(await gql(employee, LEDGER_Q, { first: 1, after: page1.body.data.informationSystems.pageInfo.endCursor })), ['G-2'])
  const past = await gql(employee, '{ systemsPastReview { edges { node { id reviewDueOn reviewOverdue } } } }')
  t.same(past.body.data.systemsPastReview.edges.map((e: { node: object }) => e.node), [{ id: 'G-2', reviewDueOn: '2026-05-31', reviewOverdue: true }], 'the retired G-1 is never past review')
  t.same(ids(await gql(mic, LEDGER_Q, {})), [], 'another agency sees nothing')
  t.equal((await gql(mic, SYSTEM, { id: 'G-1' })).body.data.informationSystem, null)
  t.match(error(await gql(mic, LEDGER_Q, { filter: { agencyId: 'mof' } })), { code: 'ValidationFailed' })
})
