// The management system (Art. 5): dated, scoped role assignments, the committee, and delegations.
import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { Role } from '../shared/roles.js'
import { Scope } from '../shared/scope.js'
import { calendarDate, localId, text } from '../shared/values.js'

export const AssignRoleInput = z.object({
  employeeId: localId,
  role: Role,
  scope: Scope.default({ kind: 'AGENCY' }),
  from: calendarDate,
  to: calendarDate.optional().describe('last day of the term; open-ended when left out'),
  note: text(500).optional(),
})
export const EndRoleAssignmentInput = z.object({
  on: calendarDate.describe('last day the role is held'),
  reason: text(500),
})
export const OrganizeCommitteeInput = z.object({
  name: text(200),
  mandate: text(2000),
  chairId: localId,
  memberIds: z.array(localId).min(1).max(100),
  from: calendarDate,
})
export const DelegateResponsibilityInput = z.object({
  delegateId: localId,
  task: text(1000).describe('what is delegated, in words'),
  role: Role.optional().describe("a role of yours whose authority the delegate exercises during the period"),
  from: calendarDate,
  to: calendarDate,
})
export const EndDelegationInput = z.object({ on: calendarDate, reason: text(500).optional() })

/** What the application looked up in other streams: the employees named, and whether the scope exists. */
export interface EmployeeFact {
  unitId: string
  departedOn?: string | undefined
  /** The day they joined, or joined their current unit by a transfer. */
  since?: string | undefined
}
export type EmployeeFacts = Readonly<Record<string, EmployeeFact | undefined>>

/** True when the operator's CLI issues the command (it appoints the first CISO; no role of its own). */
interface Operator { byOperator: boolean }
export type AssignRole = Command<'AssignRole', z.output<typeof AssignRoleInput> & Operator & { assignmentId: string; employees: EmployeeFacts; scopeExists: boolean }>
export type EndRoleAssignment = Command<'EndRoleAssignment', z.output<typeof EndRoleAssignmentInput> & Operator & { assignmentId: string }>
export type OrganizeCommittee = Command<'OrganizeCommittee', z.output<typeof OrganizeCommitteeInput> & { committeeId: string; assignmentIds: string[]; employees: EmployeeFacts }>
export type DelegateResponsibility = Command<'DelegateResponsibility', z.output<typeof DelegateResponsibilityInput> & { delegationId: string; employees: EmployeeFacts }>
export type EndDelegation = Command<'EndDelegation', z.output<typeof EndDelegationInput> & { delegationId: string }>
export type ManagementCommand = AssignRole | EndRoleAssignment | OrganizeCommittee | DelegateResponsibility | EndDelegation
