import type { DomainEvent } from '../shared/decider.js'
import type { Role } from '../shared/roles.js'
import type { Scope } from '../shared/scope.js'

export type RoleAssigned = DomainEvent<'RoleAssigned', {
  assignmentId: string; employeeId: string; role: Role; scope: Scope; from: string; to?: string | undefined
  note?: string | undefined; assignedBy: string; at: string
}>
export type RoleAssignmentEnded = DomainEvent<'RoleAssignmentEnded', { assignmentId: string; employeeId: string; role: Role; on: string; reason: string; endedBy: string; at: string }>
export type CommitteeOrganized = DomainEvent<'CommitteeOrganized', {
  committeeId: string; name: string; mandate: string; chairId: string; memberIds: string[]; from: string; organizedBy: string; at: string
}>
export type ResponsibilityDelegated = DomainEvent<'ResponsibilityDelegated', {
  delegationId: string; delegatorId: string; delegateId: string; task: string; role?: Role | undefined; from: string; to: string; at: string
}>
export type DelegationEnded = DomainEvent<'DelegationEnded', { delegationId: string; on: string; reason?: string | undefined; endedBy: string; at: string }>

export type ManagementEvent = RoleAssigned | RoleAssignmentEnded | CommitteeOrganized | ResponsibilityDelegated | DelegationEnded
export const managementEventTypes = ['RoleAssigned', 'RoleAssignmentEnded', 'CommitteeOrganized', 'ResponsibilityDelegated', 'DelegationEnded'] as const satisfies readonly ManagementEvent['type'][]
