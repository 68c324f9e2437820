// GraphQL end to end for the organisation: the catalogue mutations (ScopeInput included), the chart,
// authority, the employees / roleAssignments connections with filters, delegations, errors with
// extensions.code, visibility, and `me { roles }` derived from assignments and delegations.
import t from 'tap'
import { issueToken } from '../../src/application/tokens.js'
import { startTestApp } from '../helpers/app.js'

const TODAY = new Date('2026-06-15T10:00:00+09:00')
let current = TODAY
const h = await startTestApp(t, { clock: { now: () => current } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
const ciso = await h.token('mof', ['CISO'], 'boss')
const sato = await h.token('mof', [], 'sato')
const ipa = await h.token('ipa', ['CISO'], 'ito')
const mic = await h.token('mic', ['CISO'], 'kato')

interface GqlError { message: string; path?: string[]; extensions: Record<string, unknown> & { code: string } }
async function gql(bearer: string, query: string, variables?: object) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', payload: { query, variables }, headers: { authorization: `Bearer ${bearer}` } })
  const body = res.json() as { data?: Record<string, any> | null; errors?: GqlError[] }
  return { status: res.statusCode, data: body.data ?? null, errors: body.errors }
}
const RESULT = '{ id streamVersion position replayed }'
const mutation = (field: string, inputType: string, params: [string, string][] = []) => {
  const declared = params.map(([name, type]) => `, $${name}: ${type}`).join('')
  const passed = params.map(([name]) => `${name}: $${name}, `).join('')
  return `mutation($input: ${inputType}!, $key: String${declared}) { ${field}(${passed}input: $input, idempotencyKey: $key) ${RESULT} }`
}
const M = {
  createUnit: mutation('createUnit', 'CreateUnitInput'),
  defineArea: mutation('defineArea', 'DefineAreaInput'),
  recordAreaMeasures: mutation('recordAreaMeasures', 'RecordAreaMeasuresInput', [['areaId', 'ID!']]),
  changeAgencySettings: mutation('changeAgencySettings', 'ChangeAgencySettingsInput'),
  registerEmployee: mutation('registerEmployee', 'RegisterEmployeeInput'),
  transferEmployee: mutation('transferEmployee', 'TransferEmployeeInput', [['employeeId', 'ID!']]),
  recordDeparture: mutation('recordDeparture', 'RecordDepartureInput', [['employeeId', 'ID!']]),
  assignRole: mutation('assignRole', 'AssignRoleInput'),
  endRoleAssignment: mutation('endRoleAssignment', 'EndRoleAssignmentInput', [['assignmentId', 'ID!']]),
  organizeCommittee: mutation('organizeCommittee', 'OrganizeCommitteeInput'),
  delegateResponsibility: mutation('delegateResponsibility', 'DelegateResponsibilityInput'),
  endDelegation: mutation('endDelegation', 'EndDelegationInput', [['delegationId', 'ID!']]),
}
type Result = { id: string; streamVersion: number; position: number; replayed: boolean }
async function run(bearer: string, name: keyof typeof M, variables: object): Promise<Result> {
  const res = await gql(bearer, M[name], variables)
  if (!res.data?.[name]) throw new Error(`${name} failed: ${JSON.stringify(res.errors)}`)
  return res.data[name] as Result
}
const code = async (bearer: string, name: keyof typeof M, variables: object) => (await gql(bearer, M[name], variables)).errors?.[0]?.extensions.code

const HOLDER = '{ assignmentId employeeId name unitId role scope { kind unitId areaId systemId clauses } from to delegationId }'
const CHART = `query($agencyId: ID, $on: Date, $min: Int) { organisation(agencyId: $agencyId, on: $on, minPosition: $min) {
  agency { id name kind parentId settings { education { trainingsPerFiscalYear newcomerWithinMonths } selfCheck { perFiscalYear } } }
  units { id name parentUnitId employeeCount holders ${HOLDER} }
  agencyRoles ${HOLDER}
  areas { id name unitId measures measuresRecordedAt officers ${HOLDER} }
  committee { id name mandate chairId memberIds from } } }`
const ME = '{ me { agencyId actorId roles } }'
interface Holder { employeeId: string; role: string; delegationId: string | null }
const who = (holders: Holder[]) => holders.map((x) => `${x.employeeId}:${x.role}`).sort()
const ids: Record<string, string> = {}

t.test('the organisation is built through mutations and read back as a chart', async (t) => {
  const unit = await run(ciso, 'createUnit', { input: { unitId: 'cyber', name: 'Cyber division' } })
  t.match(unit, { id: 'cyber', streamVersion: Number, position: Number, replayed: false })
  await run(ciso, 'createUnit', { input: { unitId: 'cyber-1', name: 'Team 1', parentUnitId: 'cyber' } })
  t.equal((await run(ciso, 'defineArea', { input: { areaId: 'server-room', name: 'Server room', unitId: 'cyber' } })).id, 'server-room')
  t.equal((await run(ciso, 'recordAreaMeasures', { areaId: 'server-room', input: { measures: ['card reader'] } })).id, 'server-room')
  t.equal((await run(ciso, 'changeAgencySettings', { input: { selfCheck: { perFiscalYear: 2 } } })).id, 'mof')
  for (const employeeId of ['yamada', 'mori', 'abe']) {
    t.equal((await run(ciso, 'registerEmployee', { input: { employeeId, name: `Name ${employeeId}`, unitId: 'cyber', joinedOn: '2026-04-01' } })).id, employeeId)
  }
  t.equal((await run(ciso, 'transferEmployee', { employeeId: 'yamada', input: { toUnitId: 'cyber-1', on: '2026-06-01' } })).id, 'yamada')
  t.equal((await run(ciso, 'recordDeparture', { employeeId: 'abe', input: { on: '2026-06-10' } })).id, 'abe')
  ids.officer = (await run(ciso, 'assignRole', { input: { employeeId: 'yamada', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'cyber-1' }, from: '2026-04-01' } })).id
  await run(ciso, 'assignRole', { input: { employeeId: 'mori', role: 'AREA_SECURITY_OFFICER', scope: { kind: 'AREA', areaId: 'server-room' }, from: '2026-04-01' } })
  await run(ciso, 'assignRole', { input: { employeeId: 'mori', role: 'EXCEPTION_APPROVER', scope: { kind: 'CLAUSES', clauses: ['3.1.1(6)', '5.2.1(1)'] }, from: '2026-04-01' } })
  ids.csirt = (await run(ciso, 'assignRole', { input: { employeeId: 'yamada', role: 'CSIRT_MEMBER', from: '2026-04-01' } })).id
  const ended = await run(ciso, 'endRoleAssignment', { assignmentId: ids.csirt, input: { on: '2026-06-20', reason: 'rotation' } })
  t.equal(ended.id, ids.csirt)
  ids.committee = (await run(ciso, 'organizeCommittee', { input: { name: 'Security committee', mandate: 'Policy', chairId: 'yamada', memberIds: ['mori'], from: '2026-04-01' } })).id
  ids.delegation = (await run(ciso, 'delegateResponsibility', { input: { delegateId: 'mori', task: 'Stand in', role: 'CISO', from: '2026-07-01', to: '2026-07-31' } })).id
  const last = await run(ciso, 'endDelegation', { delegationId: ids.delegation, input: { on: '2026-07-10', reason: 'back early' } })
  t.equal(last.id, ids.delegation)
  await h.settle('mof', last.position)

  const res = await gql(sato, CHART, { min: last.position })
  t.equal(res.errors, undefined)
  const chart = res.data?.organisation
  t.same(chart.agency, { id: 'mof', name: 'Agency mof', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN', parentId: null, settings: { education: { trainingsPerFiscalYear: 1, newcomerWithinMonths: 3 }, selfCheck: { perFiscalYear: 2 } } })
  t.same(chart.units.map((u: { id: string; employeeCount: number }) => [u.id, u.employeeCount]), [['cyber', 1], ['cyber-1', 1], ['general', 2]])
  t.same(chart.units[1].holders, [{ assignmentId: ids.officer, employeeId: 'yamada', name: 'Name yamada', unitId: 'cyber-1', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'cyber-1', areaId: null, systemId: null, clauses: null }, from: '2026-04-01', to: null, delegationId: null }])
  t.match(chart.areas, [{ id: 'server-room', unitId: 'cyber', measures: ['card reader'], measuresRecordedAt: String, officers: [{ employeeId: 'mori', role: 'AREA_SECURITY_OFFICER', scope: { kind: 'AREA', areaId: 'server-room' } }] }])
  t.same(chart.committee, { id: ids.committee, name: 'Security committee', mandate: 'Policy', chairId: 'yamada', memberIds: ['mori'], from: '2026-04-01' })
  t.same(who(chart.agencyRoles), ['boss:CISO', 'mori:COMMITTEE_MEMBER', 'mori:EXCEPTION_APPROVER', 'yamada:COMMITTEE_CHAIR', 'yamada:CSIRT_MEMBER'])
  t.match(chart.agencyRoles.find((x: Holder) => x.role === 'EXCEPTION_APPROVER'), { scope: { kind: 'CLAUSES', clauses: ['3.1.1(6)', '5.2.1(1)'] } })

  const july = (await gql(sato, CHART, { on: '2026-07-05' })).data?.organisation
  t.same(who(july.agencyRoles), ['boss:CISO', 'mori:CISO', 'mori:COMMITTEE_MEMBER', 'mori:EXCEPTION_APPROVER', 'yamada:COMMITTEE_CHAIR'], 'in July: the delegate, and not the ended CSIRT term')
  t.match(july.agencyRoles.find((x: Holder) => x.employeeId === 'mori' && x.role === 'CISO'), { delegationId: ids.delegation, assignmentId: null, to: '2026-07-10' })
  const bad = await gql(sato, CHART, { on: '2026-13-01' })
  t.equal(bad.errors?.[0]?.extensions.code, 'ValidationFailed')
})

t.test('broken rules come back with the catalogue code in extensions', async (t) => {
  const before = (await h.store.readAgency('mof', 0, 1_000_000)).length
  const overlap = await gql(ciso, M.assignRole, { input: { employeeId: 'sato', role: 'CISO', from: '2026-10-01' } })
  t.match(overlap.errors, [{ path: ['assignRole'], message: /boss/, extensions: { code: 'RoleTermOverlap', holder: 'boss', role: 'CISO' } }])
  t.equal(overlap.data, null)
  const cases: [keyof typeof M, object, string][] = [
    ['assignRole', { input: { employeeId: 'kato', role: 'CSIRT_MEMBER', from: '2026-04-01' } }, 'UnknownEmployee'],
    ['assignRole', { input: { employeeId: 'sato', role: 'SECURITY_OFFICER', scope: { kind: 'AGENCY' }, from: '2026-04-01' } }, 'ScopeNotAllowed'],
    ['assignRole', { input: { employeeId: 'sato', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'nope' }, from: '2026-04-01' } }, 'UnknownScope'],
    ['assignRole', { input: { employeeId: 'sato', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT' }, from: '2026-04-01' } }, 'ValidationFailed'],
    ['assignRole', { input: { employeeId: 'yamada', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'cyber-1' }, from: '2026-05-01' } }, 'DuplicateAssignment'],
    ['assignRole', { input: { employeeId: 'abe', role: 'CSIRT_MEMBER', from: '2026-07-01' } }, 'EmployeeDeparted'],
    ['endRoleAssignment', { assignmentId: 'not-a-uuid', input: { on: '2026-06-30', reason: 'x' } }, 'ValidationFailed'],
    ['endRoleAssignment', { assignmentId: ids.csirt, input: { on: '2026-06-25', reason: 'x' } }, 'AssignmentAlreadyEnded'],
    ['organizeCommittee', { input: { name: 'c', mandate: 'm', chairId: 'mori', memberIds: ['mori'], from: '2026-10-01' } }, 'ChairListedAsMember'],
    ['organizeCommittee', { input: { name: 'c', mandate: 'm', chairId: 'sato', memberIds: ['abe'], from: '2026-10-01' } }, 'RoleTermOverlap'],
    ['delegateResponsibility', { input: { delegateId: 'boss', task: 't', from: '2026-07-01', to: '2026-07-02' } }, 'SelfDelegation'],
    ['delegateResponsibility', { input: { delegateId: 'sato', task: 't', role: 'AUDIT_OFFICER', from: '2026-07-01', to: '2026-07-02' } }, 'DelegationBeyondOwnRoles'],
    ['endDelegation', { delegationId: ids.delegation, input: { on: '2026-07-05' } }, 'DelegationAlreadyEnded'],
    ['createUnit', { input: { unitId: 'cyber', name: 'again' } }, 'UnitAlreadyExists'],
    ['transferEmployee', { employeeId: 'ghost', input: { toUnitId: 'cyber', on: '2026-06-01' } }, 'UnknownEmployee'],
    ['recordAreaMeasures', { areaId: 'nope', input: { measures: ['x'] } }, 'UnknownArea'],
    ['changeAgencySettings', { input: {} }, 'ValidationFailed'],
  ]
  for (const [name, variables, expected] of cases) t.equal(await code(ciso, name, variables), expected, `${name} ${JSON.stringify(variables)}`)
  t.equal(await code(sato, 'createUnit', { input: { unitId: 'x1', name: 'x' } }), 'Forbidden', 'an employee may not create units')
  t.equal(await code(sato, 'assignRole', { input: { employeeId: 'sato', role: 'CISO', from: '2030-04-01' } }), 'Forbidden')
  t.equal((await h.store.readAgency('mof', 0, 1_000_000)).length, before, 'nothing was appended')
})

t.test('idempotencyKey: a retry is replayed with the same id; another input with the key is refused', async (t) => {
  const first = await run(ciso, 'createUnit', { input: { unitId: 'legal', name: 'Legal' }, key: 'gql-legal' })
  const again = await run(ciso, 'createUnit', { input: { unitId: 'legal', name: 'Legal' }, key: 'gql-legal' })
  t.same(again, { ...first, replayed: true })
  t.equal(await code(ciso, 'createUnit', { input: { unitId: 'legal', name: 'Legal affairs' }, key: 'gql-legal' }), 'IdempotencyKeyReused')
  const input = { employeeId: 'mori', role: 'AUDITOR', scope: { kind: 'UNIT', unitId: 'cyber-1' }, from: '2026-04-01' }
  const assigned = await run(ciso, 'assignRole', { input, key: 'gql-auditor' })
  const retried = await run(ciso, 'assignRole', { input, key: 'gql-auditor' })
  t.equal(retried.replayed, true)
  t.equal(retried.id, assigned.id, 'the replayed assignRole names the assignment it made')
})

t.test('authority: the roles a command needs and who holds them today', async (t) => {
  const res = await gql(sato, '{ assign: authority(command: "AssignRole") { command roles anyone holders { employeeId role } } report: authority(command: "ReportIncident") { roles anyone holders { employeeId } } }')
  t.equal(res.errors, undefined)
  t.same(res.data?.assign, [{ command: 'AssignRole', roles: ['CISO', 'GENERAL_SECURITY_OFFICER'], anyone: false, holders: [{ employeeId: 'boss', role: 'CISO' }] }])
  t.same(res.data?.report, [{ roles: [], anyone: true, holders: [] }])
  const july = await gql(sato, '{ authority(command: "ChangeAgencySettings", on: "2026-07-05") { holders { employeeId delegationId } } }')
  t.same(july.data?.authority[0].holders.map((x: { employeeId: string }) => x.employeeId).sort(), ['boss', 'mori'])
})

const EMPLOYEES = `query($filter: EmployeeFilter, $first: Int, $after: String, $agencyId: ID) {
  employees(agencyId: $agencyId, filter: $filter, first: $first, after: $after) { edges { cursor node { id name unitId joinedOn unitSince departedOn } } pageInfo { hasNextPage endCursor } } }`
const ASSIGNMENTS = `query($filter: RoleAssignmentFilter, $first: Int, $after: String) {
  roleAssignments(filter: $filter, first: $first, after: $after) { edges { cursor node { assignmentId employeeId role from to endReason scope { kind unitId } } } pageInfo { hasNextPage endCursor } } }`

t.test('employees: a Relay connection with cursors and filters', async (t) => {
  const all = (await gql(sato, EMPLOYEES, { first: 200 })).data?.employees
  const allIds = all.edges.map((e: { node: { id: string } }) => e.node.id)
  t.same(allIds, ['abe', 'boss', 'mori', 'sato', 'yamada'])
  const p1 = (await gql(sato, EMPLOYEES, { first: 2 })).data?.employees
  t.same(p1.edges.map((e: { node: { id: string } }) => e.node.id), ['abe', 'boss'])
  t.equal(p1.pageInfo.hasNextPage, true)
  t.equal(p1.pageInfo.endCursor, p1.edges[1].cursor)
  const p2 = (await gql(sato, EMPLOYEES, { first: 2, after: p1.pageInfo.endCursor })).data?.employees
  t.same(p2.edges.map((e: { node: { id: string } }) => e.node.id), ['mori', 'sato'])
  const p3 = (await gql(sato, EMPLOYEES, { first: 2, after: p2.pageInfo.endCursor })).data?.employees
  t.same([p3.edges.map((e: { node: { id: string } }) => e.node.id), p3.pageInfo.hasNextPage], [['yamada'], false])
  t.equal((await gql(sato, EMPLOYEES, { after: 'bogus' })).errors?.[0]?.extensions.code, 'InvalidCursor')
  const active = (await gql(sato, EMPLOYEES, { filter: { unitId: 'cyber', activeOn: '2026-06-15' } })).data?.employees
  t.same(active.edges.map((e: { node: { id: string } }) => e.node.id), ['mori'], 'abe has left and yamada moved')
  const moved = (await gql(sato, EMPLOYEES, { filter: { unitId: 'cyber-1' } })).data?.employees
  t.same(moved.edges[0].node, { id: 'yamada', name: 'Name yamada', unitId: 'cyber-1', joinedOn: '2026-04-01', unitSince: '2026-06-01', departedOn: null })
  t.equal((await gql(sato, EMPLOYEES, { first: 201 })).errors?.[0]?.extensions.code, 'ValidationFailed')
})

t.test('roleAssignments: a Relay connection filtered by roles, employee and date', async (t) => {
  const byRole = (await gql(sato, ASSIGNMENTS, { filter: { role: ['CISO', 'AREA_SECURITY_OFFICER'] } })).data?.roleAssignments
  t.same(byRole.edges.map((e: { node: Holder }) => `${e.node.employeeId}:${e.node.role}`).sort(), ['boss:CISO', 'mori:AREA_SECURITY_OFFICER'])
  const yamada = (await gql(sato, ASSIGNMENTS, { filter: { employeeId: 'yamada' } })).data?.roleAssignments
  t.same(yamada.edges.map((e: { node: Holder }) => e.node.role).sort(), ['COMMITTEE_CHAIR', 'CSIRT_MEMBER', 'SECURITY_OFFICER'])
  t.match(yamada.edges.find((e: { node: Holder }) => e.node.role === 'CSIRT_MEMBER').node, { assignmentId: ids.csirt, to: '2026-06-20', endReason: 'rotation', scope: { kind: 'AGENCY', unitId: null } })
  const inJuly = (await gql(sato, ASSIGNMENTS, { filter: { employeeId: 'yamada', activeOn: '2026-07-01' } })).data?.roleAssignments
  t.same(inJuly.edges.map((e: { node: Holder }) => e.node.role).sort(), ['COMMITTEE_CHAIR', 'SECURITY_OFFICER'])
  const walked: string[] = []
  let after: string | null = null
  do {
    const page: any = (await gql(sato, ASSIGNMENTS, { first: 2, after })).data?.roleAssignments
    walked.push(...page.edges.map((e: { node: { assignmentId: string } }) => e.node.assignmentId))
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null
  } while (after)
  const all = (await gql(sato, ASSIGNMENTS, { first: 200 })).data?.roleAssignments
  t.same(walked, all.edges.map((e: { node: { assignmentId: string } }) => e.node.assignmentId), 'pages of 2 add up to the whole list')
  t.equal((await gql(sato, ASSIGNMENTS, { filter: { role: ['KING'] } })).errors?.[0]?.extensions.code, 'ValidationFailed')
})

t.test('delegations, as a connection with filters', async (t) => {
  const res = await gql(sato, '{ delegations { edges { cursor node { id delegatorId delegateId task role from to endReason } } pageInfo { hasNextPage endCursor } } }')
  t.same(res.data?.delegations.edges.map((e: { node: unknown }) => e.node), [{ id: ids.delegation, delegatorId: 'boss', delegateId: 'mori', task: 'Stand in', role: 'CISO', from: '2026-07-01', to: '2026-07-10', endReason: 'back early' }])
  t.equal(res.data?.delegations.pageInfo.hasNextPage, false)
  const none = await gql(sato, '{ delegations(filter: { delegateId: "nobody" }) { edges { node { id } } } }')
  t.same(none.data?.delegations.edges, [], 'filtered by delegate')
  const active = await gql(sato, '{ delegations(filter: { activeOn: "2026-07-05" }) { edges { node { id } } } }')
  t.same(active.data?.delegations.edges.map((e: { node: { id: string } }) => e.node.id), [ids.delegation], 'in force on a day of its period')
  const ended = await gql(sato, '{ delegations(filter: { activeOn: "2026-07-20" }) { edges { node { id } } } }')
  t.same(ended.data?.delegations.edges, [], 'not after it ended')
})

t.test('me { roles } follows the assignments and delegations of the day', async (t) => {
  t.teardown(() => { current = TODAY })
  await h.employee('mof', 'kimura')
  const kimura = await h.token('mof', [], 'kimura')
  const roles = async () => (await gql(kimura, ME)).data?.me.roles
  t.same(await roles(), ['EMPLOYEE'])
  const csirt = await run(ciso, 'assignRole', { input: { employeeId: 'kimura', role: 'CSIRT_MEMBER', from: '2026-04-01' } })
  await h.settle('mof', csirt.position)
  t.same(await roles(), ['CSIRT_MEMBER', 'EMPLOYEE'])
  const end = await run(ciso, 'endRoleAssignment', { assignmentId: csirt.id, input: { on: '2026-06-14', reason: 'moved' } })
  await h.settle('mof', end.position)
  t.same(await roles(), ['EMPLOYEE'], 'ended yesterday: gone today')
  const delegation = await run(ciso, 'delegateResponsibility', { input: { delegateId: 'kimura', task: 'Stand in', role: 'CISO', from: '2026-06-15', to: '2026-06-20' } })
  await h.settle('mof', delegation.position)
  t.same(await roles(), ['CISO', 'EMPLOYEE'], 'delegated today')
  t.equal((await run(kimura, 'createUnit', { input: { unitId: 'by-kimura', name: 'x' } })).id, 'by-kimura', 'and usable')
  current = new Date('2026-06-21T09:00:00+09:00')
  t.same(await roles(), ['EMPLOYEE'], 'after the delegation')
  t.equal(await code(kimura, 'createUnit', { input: { unitId: 'by-kimura-2', name: 'x' } }), 'Forbidden')
})

t.test("a token's roles limit shows in me and in what it may do", async (t) => {
  const limited = (await issueToken(h.db.app.pool, { agencyId: 'mof', actorId: 'boss', roles: ['EMPLOYEE'] })).token
  t.same((await gql(limited, ME)).data?.me, { agencyId: 'mof', actorId: 'boss', roles: ['EMPLOYEE'] })
  t.equal(await code(limited, 'createUnit', { input: { unitId: 'limited', name: 'x' } }), 'Forbidden')
})

t.test("visibility: a national organ reads a body's organisation; its mutations stay in its own agency", async (t) => {
  const made = await run(ipa, 'createUnit', { input: { unitId: 'ipa-lab', name: 'IPA lab' } })
  const own = await run(ciso, 'createUnit', { input: { unitId: 'mof-only', name: 'mof only' } })
  await h.settle('ipa', made.position)
  await h.settle('mof', own.position)
  const chart = (await gql(ciso, CHART, { agencyId: 'ipa' })).data?.organisation
  t.match(chart.agency, { id: 'ipa', kind: 'INCORPORATED_ADMINISTRATIVE_AGENCY', parentId: 'mof', settings: { education: { trainingsPerFiscalYear: 1, newcomerWithinMonths: 3 }, selfCheck: { perFiscalYear: 1 } } })
  t.same(chart.units.map((u: { id: string }) => u.id), ['general', 'ipa-lab'])
  t.same(who(chart.agencyRoles), ['ito:CISO'])
  t.same((await gql(ciso, EMPLOYEES, { agencyId: 'ipa' })).data?.employees.edges.map((e: { node: { id: string } }) => e.node.id), ['ito'])
  for (const [bearer, query] of [
    [ipa, '{ organisation(agencyId: "mof") { agency { id } } }'], [mic, '{ organisation(agencyId: "mof") { agency { id } } }'],
    [mic, '{ employees(agencyId: "ipa") { edges { cursor } } }'], [mic, '{ roleAssignments(agencyId: "mof") { edges { cursor } } }'],
    [ipa, '{ authority(agencyId: "mof") { command } }'], [mic, '{ delegations(agencyId: "mof") { edges { node { id } } } }'],
  ] as const) {
    const res = await gql(bearer, query)
    t.equal(res.errors?.[0]?.extensions.code, 'ValidationFailed', query)
  }
  t.same((await gql(mic, '{ organisation { units { id } } }')).data?.organisation.units, [{ id: 'general' }])
})
