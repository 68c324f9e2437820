// The management system of one agency (Art. 5), one stream per agency so that "one CISO at a time" is
// decided against every CISO term at once. Separation of duties for delegations lives here too.
import { DomainError } from '../shared/errors.js'
import type { Decider } from '../shared/decider.js'
import type { Role } from '../shared/roles.js'
import { exclusiveRoles, incompatible, roleScopes, scopeLabel, type Scope } from '../shared/scope.js'
import { tokyoDate } from '../shared/fiscal-year.js'
import type { AssignRole, DelegateResponsibility, EmployeeFacts, EndDelegation, EndRoleAssignment, ManagementCommand, OrganizeCommittee } from './commands.js'
import type { ManagementEvent, RoleAssigned } from './events.js'

interface Term { employeeId: string; role: Role; scope: Scope; from: string; to?: string | undefined }
export interface ManagementState {
  assignments: ReadonlyMap<string, Term>
  delegations: ReadonlyMap<string, { delegatorId: string; from: string; to: string; ended: boolean }>
  committee?: string | undefined
}

function evolve(state: ManagementState, event: ManagementEvent): ManagementState {
  switch (event.type) {
    case 'RoleAssigned': {
      const { assignmentId, employeeId, role, scope, from, to } = event.data
      return { ...state, assignments: new Map(state.assignments).set(assignmentId, { employeeId, role, scope, from, to }) }
    }
    case 'RoleAssignmentEnded': {
      const term = state.assignments.get(event.data.assignmentId)
      return term ? { ...state, assignments: new Map(state.assignments).set(event.data.assignmentId, { ...term, to: event.data.on }) } : state
    }
    case 'CommitteeOrganized': return { ...state, committee: event.data.committeeId }
    case 'ResponsibilityDelegated': {
      const { delegationId, delegatorId, from, to } = event.data
      return { ...state, delegations: new Map(state.delegations).set(delegationId, { delegatorId, from, to, ended: false }) }
    }
    case 'DelegationEnded': {
      const d = state.delegations.get(event.data.delegationId)
      return d ? { ...state, delegations: new Map(state.delegations).set(event.data.delegationId, { ...d, to: event.data.on, ended: true }) } : state
    }
  }
}

const overlaps = (a: { from: string; to?: string | undefined }, b: { from: string; to?: string | undefined }) =>
  a.from <= (b.to ?? '9999-12-31') && b.from <= (a.to ?? '9999-12-31')

const sameScope = (a: Scope, b: Scope) => JSON.stringify(a) === JSON.stringify(b)

function checkPeriod(from: string, to: string | undefined): void {
  if (to !== undefined && to < from) throw new DomainError('InvalidPeriod', `the period ends (${to}) before it starts (${from})`)
}

function requireEmployee(employees: EmployeeFacts, employeeId: string, from: string): void {
  const fact = employees[employeeId]
  if (!fact) throw new DomainError('UnknownEmployee', `employee ${employeeId} is not registered in this agency; register them first (an employee of another agency cannot hold a role here)`, { employeeId })
  if (fact.departedOn !== undefined && fact.departedOn < from) throw new DomainError('EmployeeDeparted', `employee ${employeeId} left on ${fact.departedOn}`, { employeeId })
}

/** The RoleAssigned event after every rule of Art. 5 has been checked against the terms so far. */
function assignment(state: ManagementState, term: Term & { assignmentId: string; note?: string | undefined }, employees: EmployeeFacts, meta: { actor: string; now: string }): RoleAssigned {
  const { employeeId, role, scope, from, to } = term
  requireEmployee(employees, employeeId, from)
  checkPeriod(from, to)
  if (!roleScopes[role].includes(scope.kind)) {
    throw new DomainError('ScopeNotAllowed', `${role} is assigned for ${roleScopes[role].join(' or ')}, not for ${scopeLabel(scope)}`, { role, allowed: roleScopes[role] })
  }
  for (const [id, other] of state.assignments) {
    if (other.employeeId === employeeId && incompatible(role, other.role) && overlaps(term, other)) {
      throw new DomainError('IncompatibleRoles', `${employeeId} holds ${other.role} in that period (assignment ${id}); ${role} and ${other.role} must not be combined (Common Standards 2.1.1(8))`, { role, heldRole: other.role, assignmentId: id })
    }
    if (other.role !== role || !overlaps(term, other)) continue
    if (exclusiveRoles.includes(role) && other.employeeId !== employeeId) {
      throw new DomainError('RoleTermOverlap', `only one ${role} at a time: ${other.employeeId} holds it from ${other.from}${other.to ? ` to ${other.to}` : ''}; end that term first or start this one later`, { role, holder: other.employeeId, assignmentId: id, from: other.from, to: other.to ?? null })
    }
    if (other.employeeId === employeeId && sameScope(other.scope, scope)) {
      throw new DomainError('DuplicateAssignment', `${employeeId} already holds ${role} for ${scopeLabel(scope)} in that period (assignment ${id})`, { assignmentId: id })
    }
  }
  return { type: 'RoleAssigned', data: { ...term, assignedBy: meta.actor, at: meta.now } }
}

/**
 * The CISO and deputy are appointed by the head of the agency: recorded by the operator or by the CISO,
 * never by an officer who could otherwise make themselves CISO.
 */
function checkCisoAppointment(command: AssignRole | EndRoleAssignment, role: Role, state: ManagementState): void {
  if (role !== 'CISO' && role !== 'DEPUTY_CISO') return
  if (command.data.byOperator || isAssignedCisoToday(state, command.metadata.actor.id, command.metadata.now)) return
  throw new DomainError('CisoAppointmentReserved', `${role} terms are recorded by the CISO or the operator (the head of the agency appoints them), not by a ${command.metadata.actor.roles.join(', ') || 'caller without roles'}`, { role })
}

/** The CISO by their own assignment today (a delegation of the CISO's authority does not count). */
function isAssignedCisoToday(state: ManagementState, actorId: string, now: string): boolean {
  const today = tokyoDate(now)
  return [...state.assignments.values()].some((t) => t.employeeId === actorId && t.role === 'CISO' && t.from <= today && (t.to === undefined || t.to >= today))
}

/** Nobody gives themselves a role, except the CISO by their own assignment (or the operator). */
function checkSelfAssignment(command: AssignRole, state: ManagementState): void {
  const { actor, now } = command.metadata
  if (command.data.employeeId !== actor.id || command.data.byOperator || isAssignedCisoToday(state, actor.id, now)) return
  throw new DomainError('SelfAssignment', `you cannot assign yourself a role (${command.data.role}); ask the CISO`, { role: command.data.role })
}

function assignRole(command: AssignRole, state: ManagementState): ManagementEvent[] {
  const { assignmentId, employeeId, role, scope, from, to, note, employees, scopeExists } = command.data
  checkCisoAppointment(command, role, state)
  checkSelfAssignment(command, state)
  if (!scopeExists) throw new DomainError('UnknownScope', `${scopeLabel(scope)} does not exist in this agency`, { scope })
  return [assignment(state, { assignmentId, employeeId, role, scope, from, to, note }, employees, { actor: command.metadata.actor.id, now: command.metadata.now })]
}

function endAssignment(command: EndRoleAssignment, state: ManagementState): ManagementEvent[] {
  const { assignmentId, on, reason } = command.data
  const term = state.assignments.get(assignmentId)
  if (!term) throw new DomainError('AssignmentNotFound', `no role assignment ${assignmentId} in this agency`)
  checkCisoAppointment(command, term.role, state)
  if (term.to !== undefined && term.to <= on) throw new DomainError('AssignmentAlreadyEnded', `assignment ${assignmentId} already ends on ${term.to}`)
  if (on < term.from) throw new DomainError('InvalidPeriod', `the term starts on ${term.from}; it cannot end on ${on}`)
  return [{ type: 'RoleAssignmentEnded', data: { assignmentId, employeeId: term.employeeId, role: term.role, on, reason, endedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

function organizeCommittee(command: OrganizeCommittee, state: ManagementState): ManagementEvent[] {
  const { committeeId, name, mandate, chairId, memberIds, from, assignmentIds, employees } = command.data
  if (memberIds.includes(chairId)) throw new DomainError('ChairListedAsMember', `${chairId} chairs the committee; leave them out of the members`)
  if (new Set(memberIds).size !== memberIds.length) throw new DomainError('DuplicateMember', 'a member is listed twice')
  const meta = { actor: command.metadata.actor.id, now: command.metadata.now }
  const ids = [...assignmentIds]
  const events: ManagementEvent[] = [{ type: 'CommitteeOrganized', data: { committeeId, name, mandate, chairId, memberIds, from, organizedBy: meta.actor, at: meta.now } }]
  let next = state
  for (const [employeeId, role] of [[chairId, 'COMMITTEE_CHAIR'], ...memberIds.map((m) => [m, 'COMMITTEE_MEMBER'])] as [string, Role][]) {
    const event = assignment(next, { assignmentId: ids.shift() ?? `${committeeId}:${employeeId}`, employeeId, role, scope: { kind: 'AGENCY' }, from }, employees, meta)
    next = evolve(next, event)
    events.push(event)
  }
  return events
}

function delegate(command: DelegateResponsibility, state: ManagementState): ManagementEvent[] {
  const { delegationId, delegateId, task, role, from, to, employees } = command.data
  const { actor, now } = command.metadata
  if (delegateId === actor.id) throw new DomainError('SelfDelegation', 'you cannot delegate to yourself')
  requireEmployee(employees, delegateId, from)
  checkPeriod(from, to)
  if (to < tokyoDate(now)) throw new DomainError('InvalidPeriod', `the delegation would already have ended (${to})`)
  // Only a role held by assignment today can be delegated: delegated authority is not passed on again.
  const today = tokyoDate(now)
  const holds = [...state.assignments.values()].some((t) => t.employeeId === actor.id && t.role === role && t.from <= today && (t.to === undefined || t.to >= today))
  if (role !== undefined && !holds) {
    throw new DomainError('DelegationBeyondOwnRoles', `you can delegate only the authority of a role assigned to you today; you hold no assignment of ${role}`, { role })
  }
  if (state.delegations.has(delegationId)) throw new DomainError('DelegationAlreadyExists', `delegation ${delegationId} exists`)
  return [{ type: 'ResponsibilityDelegated', data: { delegationId, delegatorId: actor.id, delegateId, task, role, from, to, at: now } }]
}

function endDelegation(command: EndDelegation, state: ManagementState): ManagementEvent[] {
  const { delegationId, on, reason } = command.data
  const d = state.delegations.get(delegationId)
  if (!d) throw new DomainError('DelegationNotFound', `no delegation ${delegationId} in this agency`)
  const { actor } = command.metadata
  if (actor.id !== d.delegatorId && !actor.roles.some((r) => r === 'CISO' || r === 'GENERAL_SECURITY_OFFICER')) {
    throw new DomainError('NotDelegator', `only ${d.delegatorId}, who delegated it, or the CISO or general security officer can end delegation ${delegationId}`)
  }
  if (d.ended || d.to <= on) throw new DomainError('DelegationAlreadyEnded', `delegation ${delegationId} already ends on ${d.to}`)
  if (on < d.from) throw new DomainError('InvalidPeriod', `the delegation starts on ${d.from}; it cannot end on ${on}`)
  return [{ type: 'DelegationEnded', data: { delegationId, on, reason, endedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

export const managementDecider: Decider<ManagementCommand, ManagementEvent, ManagementState> = {
  streamType: 'management',
  initialState: () => ({ assignments: new Map(), delegations: new Map() }),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'AssignRole': return assignRole(command, state)
      case 'EndRoleAssignment': return endAssignment(command, state)
      case 'OrganizeCommittee': return organizeCommittee(command, state)
      case 'DelegateResponsibility': return delegate(command, state)
      case 'EndDelegation': return endDelegation(command, state)
    }
  },
}

/** One management stream per agency. */
export const managementStreamId = (agencyId: string) => `management-${agencyId}`
