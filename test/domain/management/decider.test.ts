// given/when/then over the management decider (Art. 5): dated, scoped role assignments with one CISO
// (and one committee chair) at a time, the committee, and delegations.
import t from 'tap'
import {
  AssignRoleInput, DelegateResponsibilityInput, managementDecider, managementStreamId, OrganizeCommitteeInput,
  type EmployeeFacts, type ManagementCommand, type ManagementEvent,
} from '../../../src/domain/management/index.js'
import type { Actor, CommandMetadata } from '../../../src/domain/shared/decider.js'
import type { Role } from '../../../src/domain/shared/roles.js'
import type { Scope } from '../../../src/domain/shared/scope.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-06-15T10:00:00+09:00' // Japan date 2026-06-15
const ciso: Actor = { id: 'boss', roles: ['CISO', 'EMPLOYEE'] }
const employees: EmployeeFacts = {
  boss: { unitId: 'u1' }, sato: { unitId: 'u1' }, suzuki: { unitId: 'u2' }, tanaka: { unitId: 'u2' }, ito: { unitId: 'u1' },
  gone: { unitId: 'u1', departedOn: '2026-03-31' },
}
const AGENCY: Scope = { kind: 'AGENCY' }

const cmd = <T extends ManagementCommand['type']>(type: T, data: Extract<ManagementCommand, { type: T }>['data'], actor: Actor = ciso, now = NOW) =>
  ({ type, data, metadata: { actor, agencyId: 'mof', now, correlationId: 'c', source: 'api' } satisfies CommandMetadata }) as Extract<ManagementCommand, { type: T }>

interface Term { employeeId: string; role: Role; scope?: Scope; from: string; to?: string | undefined }
const assign = (assignmentId: string, term: Term, scopeExists = true) =>
  // Recorded by the operator here, so the CISO-appointment and self-assignment rules (tested below) stay out of the way.
  cmd('AssignRole', { assignmentId, scope: AGENCY, ...term, employees, scopeExists, byOperator: true })
const assigned = (assignmentId: string, term: Term): ManagementEvent =>
  ({ type: 'RoleAssigned', data: { assignmentId, scope: AGENCY, note: undefined, ...term, assignedBy: 'boss', at: NOW } })
const ended = (assignmentId: string, employeeId: string, role: Role, on: string): ManagementEvent =>
  ({ type: 'RoleAssignmentEnded', data: { assignmentId, employeeId, role, on, reason: 'term over', endedBy: 'boss', at: NOW } })
const management = (...events: ManagementEvent[]) => given(managementDecider, ...events)

const satoCiso = assigned('a-sato', { employeeId: 'sato', role: 'CISO', from: '2026-04-01', to: '2027-03-31' })
const satoCisoOpen = assigned('a-sato', { employeeId: 'sato', role: 'CISO', from: '2026-04-01' })

t.test('a role is assigned to an employee of the agency, scoped and dated; the event says who and when', async (t) => {
  t.same(management().when(cmd('AssignRole', {
    assignmentId: 'a1', employeeId: 'sato', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2026-04-01', to: '2027-03-31', note: 'FY2026',
    employees, scopeExists: true, byOperator: false,
  })), [{
    type: 'RoleAssigned',
    data: { assignmentId: 'a1', employeeId: 'sato', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2026-04-01', to: '2027-03-31', note: 'FY2026', assignedBy: 'boss', at: NOW },
  }])
  t.same(AssignRoleInput.parse({ employeeId: 'sato', role: 'CISO', from: '2026-04-01' }).scope, AGENCY, 'the scope defaults to the agency')
  t.match(management().when(assign('a1', { employeeId: 'sato', role: 'CSIRT_MEMBER', from: '2026-04-01', to: '2026-04-01' })), [{ data: { from: '2026-04-01', to: '2026-04-01' } }], 'a one-day term')
  t.equal(managementStreamId('mof'), 'management-mof')
})

t.test('one CISO at a time: an overlapping term of someone else is refused with the holder named', async (t) => {
  t.throws(() => management(satoCiso).when(assign('a2', { employeeId: 'suzuki', role: 'CISO', from: '2026-10-01' })), {
    code: 'RoleTermOverlap', details: { role: 'CISO', holder: 'sato', assignmentId: 'a-sato', from: '2026-04-01', to: '2027-03-31' },
  })
  t.throws(() => management(satoCisoOpen).when(assign('a2', { employeeId: 'suzuki', role: 'CISO', from: '2030-04-01' })), {
    code: 'RoleTermOverlap', details: { holder: 'sato', to: null }, message: /sato/,
  }, 'an open-ended term overlaps every later start')
  t.throws(() => management(satoCiso).when(assign('a2', { employeeId: 'suzuki', role: 'CISO', from: '2025-04-01', to: '2026-04-01' })), { code: 'RoleTermOverlap' }, 'ending on the first day overlaps')
  t.throws(() => management(satoCiso).when(assign('a2', { employeeId: 'suzuki', role: 'CISO', from: '2027-03-31' })), { code: 'RoleTermOverlap' }, 'starting on the last day overlaps')
})

t.test('a successor may start the day after the predecessor ends, and before they start', async (t) => {
  t.match(management(satoCiso).when(assign('a2', { employeeId: 'suzuki', role: 'CISO', from: '2027-04-01' })), [{ type: 'RoleAssigned', data: { employeeId: 'suzuki', role: 'CISO' } }])
  t.match(management(satoCiso).when(assign('a2', { employeeId: 'suzuki', role: 'CISO', from: '2025-04-01', to: '2026-03-31' })), [{ type: 'RoleAssigned' }])
})

t.test('after EndRoleAssignment the next CISO may start the following day (not on the last day)', async (t) => {
  const endedSato = ended('a-sato', 'sato', 'CISO', '2026-09-30')
  t.match(management(satoCisoOpen, endedSato).when(assign('a2', { employeeId: 'suzuki', role: 'CISO', from: '2026-10-01' })), [{ data: { employeeId: 'suzuki' } }])
  t.throws(() => management(satoCisoOpen, endedSato).when(assign('a2', { employeeId: 'suzuki', role: 'CISO', from: '2026-09-30' })), { code: 'RoleTermOverlap', details: { to: '2026-09-30' } })
})

t.test('the committee chair is exclusive too; other roles may be shared', async (t) => {
  const chair = assigned('c1', { employeeId: 'sato', role: 'COMMITTEE_CHAIR', from: '2026-04-01' })
  t.throws(() => management(chair).when(assign('c2', { employeeId: 'suzuki', role: 'COMMITTEE_CHAIR', from: '2026-06-01' })), { code: 'RoleTermOverlap', details: { role: 'COMMITTEE_CHAIR', holder: 'sato' } })
  const csirt = assigned('x1', { employeeId: 'sato', role: 'CSIRT_MEMBER', from: '2026-04-01' })
  t.match(management(csirt).when(assign('x2', { employeeId: 'suzuki', role: 'CSIRT_MEMBER', from: '2026-04-01' })), [{ type: 'RoleAssigned' }])
  const gso = assigned('g1', { employeeId: 'sato', role: 'DEPUTY_CISO', from: '2026-04-01' })
  t.match(management(gso).when(assign('g2', { employeeId: 'suzuki', role: 'DEPUTY_CISO', from: '2026-04-01' })), [{ type: 'RoleAssigned' }])
})

t.test('the same role for the same scope twice in an overlapping period is a duplicate', async (t) => {
  const unitOfficer = assigned('s1', { employeeId: 'sato', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2026-04-01', to: '2027-03-31' })
  t.throws(() => management(unitOfficer).when(assign('s2', { employeeId: 'sato', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2026-10-01' })), {
    code: 'DuplicateAssignment', details: { assignmentId: 's1' },
  })
  t.throws(() => management(satoCiso).when(assign('a2', { employeeId: 'sato', role: 'CISO', from: '2026-05-01' })), { code: 'DuplicateAssignment' }, 'the CISO re-assigned to themselves')
  t.match(management(unitOfficer).when(assign('s2', { employeeId: 'sato', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u2' }, from: '2026-04-01' })), [{ type: 'RoleAssigned' }], 'another unit is another scope')
  t.match(management(unitOfficer).when(assign('s2', { employeeId: 'sato', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2027-04-01' })), [{ type: 'RoleAssigned' }], 'a later term')
  t.match(management(unitOfficer).when(assign('s2', { employeeId: 'suzuki', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2026-04-01' })), [{ type: 'RoleAssigned' }], 'someone else')
})

t.test('each role takes only its scope kinds', async (t) => {
  t.throws(() => management().when(assign('a1', { employeeId: 'sato', role: 'SECURITY_OFFICER', from: '2026-04-01' })), {
    code: 'ScopeNotAllowed', details: { role: 'SECURITY_OFFICER', allowed: ['UNIT'] }, message: /the agency/,
  })
  t.throws(() => management().when(assign('a1', { employeeId: 'sato', role: 'CISO', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2026-04-01' })), { code: 'ScopeNotAllowed', details: { allowed: ['AGENCY'] } })
  t.throws(() => management().when(assign('a1', { employeeId: 'sato', role: 'AREA_SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2026-04-01' })), { code: 'ScopeNotAllowed' })
  t.throws(() => management().when(assign('a1', { employeeId: 'sato', role: 'CSIRT_HEAD', scope: { kind: 'CLAUSES', clauses: ['3.1.1(6)'] }, from: '2026-04-01' })), { code: 'ScopeNotAllowed' })
  const ok: [Role, Scope][] = [
    ['EXCEPTION_APPROVER', { kind: 'CLAUSES', clauses: ['3.1.1(6)'] }], ['EXCEPTION_APPROVER', AGENCY], ['SYSTEM_SECURITY_OFFICER', { kind: 'SYSTEM', systemId: 'mail' }],
    ['AREA_SECURITY_OFFICER', { kind: 'AREA', areaId: 'server-room' }], ['AUDITOR', { kind: 'UNIT', unitId: 'u2' }], ['AUDITOR', AGENCY],
  ]
  for (const [role, scope] of ok) t.match(management().when(assign('a1', { employeeId: 'sato', role, scope, from: '2026-04-01' })), [{ data: { role, scope } }], `${role} for ${scope.kind}`)
})

t.test('the unit or area named must exist; the employee must be of this agency and not have left', async (t) => {
  t.throws(() => management().when(assign('a1', { employeeId: 'sato', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u9' }, from: '2026-04-01' }, false)), {
    code: 'UnknownScope', details: { scope: { kind: 'UNIT', unitId: 'u9' } },
  })
  t.throws(() => management().when(assign('a1', { employeeId: 'kato', role: 'CSIRT_MEMBER', from: '2026-04-01' })), { code: 'UnknownEmployee', details: { employeeId: 'kato' } }, 'kato works for another agency: not in the facts')
  t.throws(() => management().when(assign('a1', { employeeId: 'gone', role: 'CSIRT_MEMBER', from: '2026-04-01' })), { code: 'EmployeeDeparted', details: { employeeId: 'gone' } })
  t.match(management().when(assign('a1', { employeeId: 'gone', role: 'CSIRT_MEMBER', from: '2026-03-31', to: '2026-03-31' })), [{ type: 'RoleAssigned' }], 'the departure day is still a working day')
})

t.test('a term ends on or after the day it starts', async (t) => {
  t.throws(() => management().when(assign('a1', { employeeId: 'sato', role: 'CSIRT_MEMBER', from: '2026-04-01', to: '2026-03-31' })), { code: 'InvalidPeriod' })
})

t.test('EndRoleAssignment: an existing term, shortened only, not before it starts', async (t) => {
  t.same(management(satoCisoOpen).when(cmd('EndRoleAssignment', { assignmentId: 'a-sato', on: '2026-09-30', reason: 'term over', byOperator: true })), [ended('a-sato', 'sato', 'CISO', '2026-09-30')])
  t.match(management(satoCiso).when(cmd('EndRoleAssignment', { assignmentId: 'a-sato', on: '2026-08-31', reason: 'moved', byOperator: true })), [{ data: { on: '2026-08-31', reason: 'moved' } }], 'a dated term may be cut short')
  t.match(management(satoCisoOpen).when(cmd('EndRoleAssignment', { assignmentId: 'a-sato', on: '2026-04-01', reason: 'one day', byOperator: true })), [{ type: 'RoleAssignmentEnded' }], 'on its first day')
  t.throws(() => management().when(cmd('EndRoleAssignment', { assignmentId: 'nope', on: '2026-09-30', reason: 'x', byOperator: true })), { code: 'AssignmentNotFound' })
  t.throws(() => management(satoCiso).when(cmd('EndRoleAssignment', { assignmentId: 'a-sato', on: '2027-03-31', reason: 'x', byOperator: true })), { code: 'AssignmentAlreadyEnded' }, 'on its planned last day')
  t.throws(() => management(satoCiso).when(cmd('EndRoleAssignment', { assignmentId: 'a-sato', on: '2027-06-30', reason: 'x', byOperator: true })), { code: 'AssignmentAlreadyEnded' }, 'a term is not extended this way')
  t.throws(() => management(satoCisoOpen, ended('a-sato', 'sato', 'CISO', '2026-09-30')).when(cmd('EndRoleAssignment', { assignmentId: 'a-sato', on: '2026-12-31', reason: 'x', byOperator: true })), { code: 'AssignmentAlreadyEnded' })
  t.throws(() => management(satoCisoOpen).when(cmd('EndRoleAssignment', { assignmentId: 'a-sato', on: '2026-03-31', reason: 'x', byOperator: true })), { code: 'InvalidPeriod' })
})

const organize = (chairId: string, memberIds: string[], from = '2026-04-01', committeeId = 'com-1') => cmd('OrganizeCommittee', {
  committeeId, name: 'Security committee', mandate: 'Deliberates the policy', chairId, memberIds, from,
  assignmentIds: [chairId, ...memberIds].map((id) => `${committeeId}-${id}`), employees,
})

t.test('OrganizeCommittee records the committee and assigns the chair and every member', async (t) => {
  const events = management().when(organize('sato', ['suzuki', 'tanaka']))
  const member = (assignmentId: string, employeeId: string, role: Role): ManagementEvent =>
    ({ type: 'RoleAssigned', data: { assignmentId, employeeId, role, scope: AGENCY, from: '2026-04-01', assignedBy: 'boss', at: NOW } })
  t.same(events, [
    { type: 'CommitteeOrganized', data: { committeeId: 'com-1', name: 'Security committee', mandate: 'Deliberates the policy', chairId: 'sato', memberIds: ['suzuki', 'tanaka'], from: '2026-04-01', organizedBy: 'boss', at: NOW } },
    member('com-1-sato', 'sato', 'COMMITTEE_CHAIR'), member('com-1-suzuki', 'suzuki', 'COMMITTEE_MEMBER'), member('com-1-tanaka', 'tanaka', 'COMMITTEE_MEMBER'),
  ])
  t.equal(management(...events).state().committee, 'com-1')
  t.equal(management(...events).state().assignments.get('com-1-sato')?.role, 'COMMITTEE_CHAIR')
})

t.test('committee rules: chair not listed as member, members once, all employees here, one chair at a time', async (t) => {
  t.throws(() => management().when(organize('sato', ['suzuki', 'sato'])), { code: 'ChairListedAsMember' })
  t.throws(() => management().when(organize('sato', ['suzuki', 'suzuki'])), { code: 'DuplicateMember' })
  t.throws(() => management().when(organize('sato', ['kato'])), { code: 'UnknownEmployee', details: { employeeId: 'kato' } })
  t.throws(() => management().when(organize('gone', ['suzuki'])), { code: 'EmployeeDeparted' })
  t.notOk(OrganizeCommitteeInput.safeParse({ name: 'c', mandate: 'm', chairId: 'sato', memberIds: [], from: '2026-04-01' }).success, 'at least one member')

  const first = management().when(organize('sato', ['suzuki']))
  t.throws(() => management(...first).when(organize('tanaka', ['ito'], '2026-10-01', 'com-2')), {
    code: 'RoleTermOverlap', details: { role: 'COMMITTEE_CHAIR', holder: 'sato', assignmentId: 'com-1-sato' },
  }, 'a second chair overlapping the first')
  const chairEnded = ended('com-1-sato', 'sato', 'COMMITTEE_CHAIR', '2026-09-30')
  t.match(management(...first, chairEnded).when(organize('tanaka', ['ito'], '2026-10-01', 'com-2')), [
    { type: 'CommitteeOrganized', data: { committeeId: 'com-2', chairId: 'tanaka' } }, { data: { role: 'COMMITTEE_CHAIR', employeeId: 'tanaka' } }, { data: { role: 'COMMITTEE_MEMBER', employeeId: 'ito' } },
  ], 'once the first chair has ended')
})

const delegate = (data: Partial<Extract<ManagementCommand, { type: 'DelegateResponsibility' }>['data']> = {}, actor: Actor = ciso) =>
  cmd('DelegateResponsibility', { delegationId: 'd1', delegateId: 'sato', task: 'Approve unit changes while I am away', role: 'CISO', from: '2026-07-01', to: '2026-07-31', employees, ...data }, actor)
const delegated: ManagementEvent = {
  type: 'ResponsibilityDelegated',
  data: { delegationId: 'd1', delegatorId: 'boss', delegateId: 'sato', task: 'Approve unit changes while I am away', role: 'CISO', from: '2026-07-01', to: '2026-07-31', at: NOW },
}

/** boss holds CISO by assignment (the decider checks the assignment, not the token's roles). */
const bossCiso = assigned('a-boss', { employeeId: 'boss', role: 'CISO', from: '2026-04-01' })

t.test('DelegateResponsibility: a task, optionally with the authority of a role the delegator holds', async (t) => {
  t.same(management(bossCiso).when(delegate()), [delegated])
  const employee: Actor = { id: 'tanaka', roles: ['EMPLOYEE'] }
  t.match(management().when(delegate({ role: undefined }, employee)), [{ data: { delegatorId: 'tanaka', role: undefined } }], 'a task alone needs no role')
  t.match(management(bossCiso).when(delegate({ from: '2026-06-15', to: '2026-06-15' })), [{ type: 'ResponsibilityDelegated' }], 'a delegation for today')
  t.notOk(DelegateResponsibilityInput.safeParse({ delegateId: 'sato', task: 't', from: '2026-07-01' }).success, 'a delegation always ends')
})

t.test('delegation rules and their codes', async (t) => {
  t.throws(() => management().when(delegate({ delegateId: 'boss' })), { code: 'SelfDelegation' })
  t.throws(() => management().when(delegate({ role: 'CSIRT_HEAD' })), { code: 'DelegationBeyondOwnRoles', details: { role: 'CSIRT_HEAD' } }, 'boss does not hold CSIRT_HEAD')
  t.throws(() => management(bossCiso).when(delegate({}, { id: 'tanaka', roles: ['EMPLOYEE', 'GENERAL_SECURITY_OFFICER'] })), { code: 'DelegationBeyondOwnRoles', details: { role: 'CISO' } })
  t.throws(() => management(delegated).when(delegate({ delegationId: 'd2', delegateId: 'tanaka' }, { id: 'sato', roles: ['CISO', 'EMPLOYEE'] })), { code: 'DelegationBeyondOwnRoles' },
    'a role held through a delegation is not passed on again')
  t.throws(() => management(bossCiso, ended('a-boss', 'boss', 'CISO', '2026-06-14')).when(delegate()), { code: 'DelegationBeyondOwnRoles' }, 'an assignment that ended yesterday')
  t.throws(() => management().when(delegate({ from: '2026-07-31', to: '2026-07-01' })), { code: 'InvalidPeriod' })
  t.throws(() => management().when(delegate({ from: '2026-06-01', to: '2026-06-14' })), { code: 'InvalidPeriod' }, 'a delegation that would already have ended')
  t.throws(() => management().when(delegate({ delegateId: 'kato' })), { code: 'UnknownEmployee', details: { employeeId: 'kato' } })
  t.throws(() => management().when(delegate({ delegateId: 'gone' })), { code: 'EmployeeDeparted' })
  t.throws(() => management(bossCiso, delegated).when(delegate()), { code: 'DelegationAlreadyExists' })
})

t.test('"today" for a delegation is the Japan date of the command', async (t) => {
  // 2026-06-14T15:30Z is already 2026-06-15 in Japan: a delegation ending on the 14th has ended.
  const late = cmd('DelegateResponsibility', { delegationId: 'd1', delegateId: 'sato', task: 't', role: undefined, from: '2026-06-14', to: '2026-06-14', employees }, ciso, '2026-06-14T15:30:00Z')
  t.throws(() => management().when(late), { code: 'InvalidPeriod' })
  const early = { ...late, metadata: { ...late.metadata, now: '2026-06-14T14:30:00Z' } }
  t.match(management().when(early), [{ type: 'ResponsibilityDelegated' }])
})

t.test('EndDelegation: an existing delegation, ended early, once, not before it starts', async (t) => {
  t.same(management(delegated).when(cmd('EndDelegation', { delegationId: 'd1', on: '2026-07-10', reason: 'back early' })), [{
    type: 'DelegationEnded', data: { delegationId: 'd1', on: '2026-07-10', reason: 'back early', endedBy: 'boss', at: NOW },
  }])
  const endedEarly: ManagementEvent = { type: 'DelegationEnded', data: { delegationId: 'd1', on: '2026-07-10', reason: undefined, endedBy: 'boss', at: NOW } }
  t.throws(() => management().when(cmd('EndDelegation', { delegationId: 'd9', on: '2026-07-10' })), { code: 'DelegationNotFound' })
  t.throws(() => management(delegated, endedEarly).when(cmd('EndDelegation', { delegationId: 'd1', on: '2026-07-05' })), { code: 'DelegationAlreadyEnded' }, 'once')
  t.throws(() => management(delegated).when(cmd('EndDelegation', { delegationId: 'd1', on: '2026-07-31' })), { code: 'DelegationAlreadyEnded' }, 'on its planned last day')
  t.throws(() => management(delegated).when(cmd('EndDelegation', { delegationId: 'd1', on: '2026-06-30' })), { code: 'InvalidPeriod' })
  t.same(management(delegated, endedEarly).state().delegations.get('d1'), { delegatorId: 'boss', from: '2026-07-01', to: '2026-07-10', ended: true })
  const delegator: Actor = { id: 'boss', roles: ['EMPLOYEE'] }
  const other: Actor = { id: 'tanaka', roles: ['EMPLOYEE', 'SECURITY_OFFICER'] }
  const gso: Actor = { id: 'ito', roles: ['EMPLOYEE', 'GENERAL_SECURITY_OFFICER'] }
  t.match(management(delegated).when(cmd('EndDelegation', { delegationId: 'd1', on: '2026-07-10' }, delegator)), [{ data: { endedBy: 'boss' } }], 'the delegator ends it, whatever roles they hold now')
  t.match(management(delegated).when(cmd('EndDelegation', { delegationId: 'd1', on: '2026-07-10' }, gso)), [{ data: { endedBy: 'ito' } }], 'the general security officer may')
  t.throws(() => management(delegated).when(cmd('EndDelegation', { delegationId: 'd1', on: '2026-07-10' }, other)), { code: 'NotDelegator' })
})

t.test('CISO and deputy terms are recorded by the CISO or the operator, never by an officer for themselves', async (t) => {
  const gso: Actor = { id: 'ito', roles: ['EMPLOYEE', 'GENERAL_SECURITY_OFFICER'] }
  const byGso = (role: Role) => cmd('AssignRole', { assignmentId: 'a9', employeeId: 'ito', role, scope: AGENCY, from: '2027-04-01', employees, scopeExists: true, byOperator: false }, gso)
  t.throws(() => management().when(byGso('CISO')), { code: 'CisoAppointmentReserved', details: { role: 'CISO' } })
  t.throws(() => management().when(byGso('DEPUTY_CISO')), { code: 'CisoAppointmentReserved' })
  const forSuzuki = { ...byGso('CSIRT_MEMBER'), data: { ...byGso('CSIRT_MEMBER').data, employeeId: 'suzuki' } }
  t.match(management().when(forSuzuki), [{ type: 'RoleAssigned' }], 'other roles, for others, are the officer\'s to assign')
  const byOperator = { ...byGso('CISO'), data: { ...byGso('CISO').data, byOperator: true }, metadata: { ...byGso('CISO').metadata, actor: { id: 'admin-cli', roles: [] } } }
  t.match(management().when(byOperator), [{ data: { role: 'CISO', employeeId: 'ito' } }], 'the operator appoints the first CISO')
  t.match(management().when(assign('a9', { employeeId: 'ito', role: 'CISO', from: '2027-04-01' })), [{ type: 'RoleAssigned' }], 'the CISO records a successor')
  const endByGso = cmd('EndRoleAssignment', { assignmentId: 'a-sato', on: '2026-09-30', reason: 'x', byOperator: false }, gso)
  t.throws(() => management(satoCisoOpen).when(endByGso), { code: 'CisoAppointmentReserved' }, 'nor end the CISO\'s term')
})

t.test('nobody assigns themselves a role, except the CISO by their own assignment', async (t) => {
  const gso: Actor = { id: 'ito', roles: ['EMPLOYEE', 'GENERAL_SECURITY_OFFICER'] }
  const self = (role: Role, actor: Actor = gso) => cmd('AssignRole', { assignmentId: 'a9', employeeId: actor.id, role, scope: AGENCY, from: '2026-07-01', employees, scopeExists: true, byOperator: false }, actor)
  t.throws(() => management().when(self('AUDIT_OFFICER')), { code: 'SelfAssignment', details: { role: 'AUDIT_OFFICER' } })
  t.throws(() => management().when(self('COMMITTEE_CHAIR')), { code: 'SelfAssignment' })
  const bossAssigned = assigned('a-boss', { employeeId: 'boss', role: 'CISO', from: '2026-04-01' })
  t.match(management(bossAssigned).when(self('CSIRT_HEAD', ciso)), [{ data: { employeeId: 'boss', role: 'CSIRT_HEAD' } }], 'the CISO may')
  t.throws(() => management().when(self('CSIRT_HEAD', ciso)), { code: 'SelfAssignment' }, 'a token claiming CISO without the assignment may not')
})

t.test('a CISO by delegation cannot appoint or end CISO terms', async (t) => {
  const bossAssigned = assigned('a-boss', { employeeId: 'boss', role: 'CISO', from: '2026-04-01' })
  const delegate: Actor = { id: 'sato', roles: ['EMPLOYEE', 'CISO'] } // CISO held through a delegation
  const end = cmd('EndRoleAssignment', { assignmentId: 'a-boss', on: '2026-06-15', reason: 'x', byOperator: false }, delegate)
  t.throws(() => management(bossAssigned, delegated).when(end), { code: 'CisoAppointmentReserved' })
  const appoint = cmd('AssignRole', { assignmentId: 'a9', employeeId: 'suzuki', role: 'CISO', scope: AGENCY, from: '2027-04-01', employees, scopeExists: true, byOperator: false }, delegate)
  t.throws(() => management(bossAssigned, delegated).when(appoint), { code: 'CisoAppointmentReserved' })
})

t.test('roles that must not be combined are refused for overlapping terms of one person', async (t) => {
  const gsoTerm = assigned('a-g', { employeeId: 'tanaka', role: 'GENERAL_SECURITY_OFFICER', from: '2026-04-01', to: '2026-09-30' })
  t.throws(() => management(gsoTerm).when(assign('a9', { employeeId: 'tanaka', role: 'AUDIT_OFFICER', from: '2026-07-01' })), {
    code: 'IncompatibleRoles', details: { role: 'AUDIT_OFFICER', heldRole: 'GENERAL_SECURITY_OFFICER', assignmentId: 'a-g' },
  })
  t.throws(() => management(gsoTerm).when(assign('a9', { employeeId: 'tanaka', role: 'AUDITOR', from: '2026-04-01', to: '2026-04-30' })), { code: 'IncompatibleRoles' })
  t.match(management(gsoTerm).when(assign('a9', { employeeId: 'tanaka', role: 'AUDIT_OFFICER', from: '2026-10-01' })), [{ type: 'RoleAssigned' }], 'after the other term ends')
  t.match(management(gsoTerm).when(assign('a9', { employeeId: 'suzuki', role: 'AUDIT_OFFICER', from: '2026-07-01' })), [{ type: 'RoleAssigned' }], 'someone else')
})
