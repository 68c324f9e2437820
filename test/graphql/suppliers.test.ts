// GraphQL end to end for outsourcing (Art. 16) and system use (Art. 22): the catalogue's mutations with
// their refusals as error codes (unmet criteria, missing clauses, erasure not confirmed, not the current
// usage rules), the contract with its contractor, checks, open findings and history, contracts ending
// soon against an injected clock, usage-rules coverage and the employees pending, and visibility.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

let now = new Date('2026-07-01T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('mic')
await h.unit('mof', 'u1')
await h.admin('mof', 'registerInformationSystem', { systemId: 'S1', name: 'Portal', purpose: 'e-applications', ownerUnitId: 'u1', internetFacing: true, criticality: 'HIGH' })
for (const id of ['sato', 'suzuki']) await h.employee('mof', id, 'u1')
const ciso = await h.token('mof', ['CISO'], 'boss')
const sato = await h.token('mof', [], 'sato')
const suzuki = await h.token('mof', [], 'suzuki')
const mic = await h.token('mic', ['CISO'], 'kato')

interface GqlError { message: string; extensions: Record<string, any> & { code: string } }
async function gql(token: string, query: string, variables: object = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}` }, payload: { query, variables } })
  const body = res.json() as { data: Record<string, any> | null; errors?: GqlError[] }
  return { data: body.data, errors: body.errors }
}
const RESULT = '{ id streamVersion position replayed }'
const REGISTER = `mutation($input: RegisterContractorInput!) { registerContractor(input: $input) ${RESULT} }`
const SELECT = `mutation($id: ID!, $input: RecordContractorSelectionInput!) { recordContractorSelection(contractorId: $id, input: $input) ${RESULT} }`
const RECORD = `mutation($input: RecordContractInput!) { recordContract(input: $input) ${RESULT} }`
const CHECK = `mutation($id: ID!, $input: RecordSupplyChainCheckInput!) { recordSupplyChainCheck(contractId: $id, input: $input) ${RESULT} }`
const END = `mutation($id: ID!, $input: EndContractInput!) { endContract(contractId: $id, input: $input) ${RESULT} }`
const CONFIRM = `mutation($id: ID!, $input: ConfirmInformationReturnOrErasureInput!) { confirmInformationReturnOrErasure(contractId: $id, input: $input) ${RESULT} }`
const CLOSE = `mutation($id: ID!) { closeContract(contractId: $id, input: {}) ${RESULT} }`
const CONTRACT = `query($id: ID!, $min: Int) { contract(id: $id, minPosition: $min) {
  id agencyId status from to securityClauses handlesInformationClass daysToEnd pastEnd systemIds
  contractor { id name qualified unmetCriteria selection { criteria { code met evidence required confidence } } }
  supplyChainChecks { checkId item { name model version } failed checkedOn checks { knownVulnerabilities { result note } } }
  openSupplyChainFindings { check note item { name } systemId }
  end { endedOn } informationReturn { method confirmedOn } closure { by }
  history(first: 10) { edges { cursor node { type actor { id } } } pageInfo { hasNextPage } } } }`
const CONTRACTS = `query($filter: ContractFilter, $min: Int) { contracts(filter: $filter, minPosition: $min) { edges { node { id to pastEnd daysToEnd } } pageInfo { hasNextPage } } }`

const required = ['CONFIDENTIALITY', 'INCIDENT_REPORTING', 'AUDIT_RIGHTS', 'SUBCONTRACTING_APPROVAL', 'RETURN_OR_ERASURE_AT_END', 'UNINTENDED_CHANGE_CONTROL']
const contract = { contractId: 'C1', contractorId: 'K1', subject: 'help desk', ownerUnitId: 'u1', systemIds: ['S1'], from: '2026-04-01', to: '2026-07-15', securityClauses: required, handlesInformationClass: 'C2I1A1' }
const passed = { result: 'PASSED' }

t.test('contractor not qualified → contract refused naming the criteria; qualified → missing clauses listed; then recorded', async (t) => {
  t.match((await gql(ciso, REGISTER, { input: { contractorId: 'K1', name: 'Help Desk KK', corporateNumber: '5010401067252' } })).data?.registerContractor, { id: 'K1', streamVersion: 1 })
  t.equal((await gql(sato, REGISTER, { input: { contractorId: 'K2', name: 'x' } })).errors?.[0]?.extensions.code, 'Forbidden')
  await gql(ciso, SELECT, { id: 'K1', input: { criteria: [{ code: 'INFORMATION_LEAK_COUNTERMEASURES', met: false, evidence: 'no DLP' }, { code: 'UNINTENDED_CHANGE_CONTROL', met: true }] } })
  const refused = await gql(ciso, RECORD, { input: contract })
  t.match(refused.errors?.[0]?.extensions, { code: 'ContractorNotQualified', unmet: ['INFORMATION_LEAK_COUNTERMEASURES'] })
  t.match(refused.errors?.[0]?.message, /INFORMATION_LEAK_COUNTERMEASURES/)
  await gql(ciso, SELECT, { id: 'K1', input: { criteria: [{ code: 'INFORMATION_LEAK_COUNTERMEASURES', met: true, evidence: 'DLP deployed' }, { code: 'UNINTENDED_CHANGE_CONTROL', met: true }] } })
  const missing = await gql(ciso, RECORD, { input: { ...contract, securityClauses: ['CONFIDENTIALITY'] } })
  t.match(missing.errors?.[0]?.extensions, { code: 'MissingSecurityClauses', missing: required.slice(1) })
  t.equal((await gql(sato, RECORD, { input: contract })).errors?.[0]?.extensions.code, 'Forbidden', 'an employee cannot record contracts')
  const recorded = await gql(ciso, RECORD, { input: contract })
  t.match(recorded.data?.recordContract, { id: 'C1', streamVersion: 1 })
})

t.test('a failed supply-chain check shows as an open finding; the contract with its contractor and history', async (t) => {
  const res = await gql(ciso, CHECK, { id: 'C1', input: {
    item: { name: 'Thin client', model: 'TC-3', version: '5' }, systemId: 'S1', checkedOn: '2026-06-25',
    checks: { knownVulnerabilities: passed, insecureTechnology: { result: 'FAILED', note: 'telnet enabled' }, embeddedMalware: { result: 'NOT_APPLICABLE' } },
  } })
  t.match(res.data?.recordSupplyChainCheck, { id: 'C1', streamVersion: 2 })
  const { data } = await gql(sato, CONTRACT, { id: 'C1', min: res.data?.recordSupplyChainCheck.position })
  t.match(data?.contract, {
    id: 'C1', agencyId: 'mof', status: 'ACTIVE', from: '2026-04-01', to: '2026-07-15', securityClauses: required, handlesInformationClass: 'C2I1A1', daysToEnd: 14, pastEnd: false, systemIds: ['S1'],
    contractor: { id: 'K1', name: 'Help Desk KK', qualified: true, unmetCriteria: [], selection: { criteria: [{ code: 'INFORMATION_LEAK_COUNTERMEASURES', met: true, evidence: 'DLP deployed', required: true }, { code: 'UNINTENDED_CHANGE_CONTROL' }] } },
    supplyChainChecks: [{ item: { name: 'Thin client', model: 'TC-3', version: '5' }, failed: ['insecureTechnology'], checkedOn: '2026-06-25', checks: { knownVulnerabilities: { result: 'PASSED', note: null } } }],
    openSupplyChainFindings: [{ check: 'insecureTechnology', note: 'telnet enabled', item: { name: 'Thin client' }, systemId: 'S1' }],
    end: null, informationReturn: null,
  })
  t.same(data?.contract.history.edges.map((e: { node: { type: string } }) => e.node.type), ['ContractRecorded', 'SupplyChainCheckRecorded'])
  t.equal((await gql(mic, CONTRACT, { id: 'C1' })).data?.contract, null, 'another agency sees nothing')
  t.same((await gql(mic, CONTRACTS, {})).data?.contracts.edges, [])
})

t.test('contracts ending soon against the clock', async (t) => {
  t.same((await gql(ciso, CONTRACTS, { filter: { endingWithinDays: 10 } })).data?.contracts.edges, [])
  t.match((await gql(ciso, CONTRACTS, { filter: { endingWithinDays: 14 } })).data?.contracts.edges, [{ node: { id: 'C1', daysToEnd: 14 } }])
  now = new Date('2026-07-20T09:00:00+09:00')
  t.match((await gql(ciso, CONTRACTS, { filter: { endingWithinDays: 0 } })).data?.contracts.edges, [{ node: { id: 'C1', pastEnd: true, daysToEnd: -5 } }])
  t.equal((await gql(ciso, CONTRACTS, { filter: { endingWithinDays: -3 } })).errors?.[0]?.extensions.code, 'ValidationFailed')
})

t.test('end → close refused (erasure) → confirm → closed', async (t) => {
  t.match((await gql(ciso, END, { id: 'C1', input: { endedOn: '2026-07-15' } })).data?.endContract, { streamVersion: 3 })
  t.equal((await gql(ciso, CLOSE, { id: 'C1' })).errors?.[0]?.extensions.code, 'ErasureNotConfirmed')
  t.match((await gql(ciso, CONFIRM, { id: 'C1', input: { method: 'RETURNED', confirmedOn: '2026-07-18' } })).data?.confirmInformationReturnOrErasure, { streamVersion: 4 })
  const closed = await gql(ciso, CLOSE, { id: 'C1' })
  const { data } = await gql(ciso, CONTRACT, { id: 'C1', min: closed.data?.closeContract.position })
  t.match(data?.contract, { status: 'CLOSED', daysToEnd: null, end: { endedOn: '2026-07-15' }, informationReturn: { method: 'RETURNED', confirmedOn: '2026-07-18' }, closure: { by: 'boss' } })
})

const PUBLISH = `mutation($input: PublishUsageRulesInput!) { publishUsageRules(input: $input) ${RESULT} }`
const ACK = `mutation($v: String!) { acknowledgeUsageRules(input: { version: $v }) ${RESULT} }`
const COVERAGE = `query($min: Int) { usageRulesCoverage(minPosition: $min) { agencyId asOf current { version current } total { employees acknowledged pending coverage } units { unitId employees acknowledged pending } } }`
const PENDING = `query($unit: ID) { pendingUsageRulesAcknowledgements(filter: { unitId: $unit }) { edges { node { employeeId unitId lastAcknowledgedVersion } } } }`

t.test('usage rules: published, one of two employees acknowledges, coverage lists the other; an old version is refused', async (t) => {
  t.equal((await gql(sato, PUBLISH, { input: { version: 'v1', title: 'Rules', summary: 'work use only', effectiveFrom: '2026-07-01' } })).errors?.[0]?.extensions.code, 'Forbidden')
  t.match((await gql(ciso, PUBLISH, { input: { version: 'v1', title: 'Rules', summary: 'work use only', effectiveFrom: '2026-07-01' } })).data?.publishUsageRules, { id: 'v1' })
  const acked = await gql(sato, ACK, { v: 'v1' })
  t.match(acked.data?.acknowledgeUsageRules, { id: 'v1', streamVersion: 1 })
  const { data } = await gql(ciso, COVERAGE, { min: acked.data?.acknowledgeUsageRules.position })
  t.match(data?.usageRulesCoverage, { agencyId: 'mof', asOf: '2026-07-20', current: { version: 'v1', current: true }, total: { employees: 3, acknowledged: 1, pending: 2 } })
  t.match(data?.usageRulesCoverage.units, [{ unitId: 'general', employees: 1, acknowledged: 0 }, { unitId: 'u1', employees: 2, acknowledged: 1, pending: 1 }])
  t.same((await gql(ciso, PENDING, { unit: 'u1' })).data?.pendingUsageRulesAcknowledgements.edges.map((e: { node: { employeeId: string } }) => e.node.employeeId), ['suzuki'])
  await gql(ciso, PUBLISH, { input: { version: 'v2', title: 'Rules', summary: 'work use only; no USB', effectiveFrom: '2026-07-20' } })
  const old = await gql(suzuki, ACK, { v: 'v1' })
  await h.settle('mof')
  t.match(old.errors?.[0]?.extensions, { code: 'NotCurrentUsageRules', currentVersion: 'v2' })
  t.same((await gql(ciso, PENDING, { unit: 'u1' })).data?.pendingUsageRulesAcknowledgements.edges.map((e: { node: object }) => e.node), [
    { employeeId: 'sato', unitId: 'u1', lastAcknowledgedVersion: 'v1' }, { employeeId: 'suzuki', unitId: 'u1', lastAcknowledgedVersion: null },
  ])
  const USAGE_RULES = '{ usageRules { edges { node { version current upcoming supersedes } } } }'
  t.same((await gql(sato, USAGE_RULES)).data?.usageRules.edges.map((e: { node: object }) => e.node), [
    { version: 'v2', current: true, upcoming: false, supersedes: 'v1' }, { version: 'v1', current: false, upcoming: false, supersedes: null },
  ], 'v2 takes effect today (Japan): it is in force')
  await gql(ciso, PUBLISH, { input: { version: 'v3', title: 'Rules', summary: 'work use only; no USB; no AI tools', effectiveFrom: '2026-09-01' } })
  t.match((await gql(suzuki, ACK, { v: 'v1' })).errors?.[0]?.extensions, { code: 'NotCurrentUsageRules', currentVersion: 'v2', upcomingVersions: ['v3'] })
  const ahead = await gql(suzuki, ACK, { v: 'v3' })
  t.match(ahead.data?.acknowledgeUsageRules, { id: 'v3', streamVersion: 1 }, 'an upcoming version, acknowledged ahead')
  const after = await gql(ciso, COVERAGE, { min: ahead.data?.acknowledgeUsageRules.position })
  t.match(after.data?.usageRulesCoverage, { current: { version: 'v2', current: true }, total: { acknowledged: 0 } }, 'coverage stays with the version in force')
  t.match((await gql(sato, USAGE_RULES)).data?.usageRules.edges[0].node, { version: 'v3', current: false, upcoming: true })
  t.same((await gql(mic, USAGE_RULES)).data?.usageRules.edges, [], 'another agency sees nothing')
})
