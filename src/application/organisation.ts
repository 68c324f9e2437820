// Organisation use cases (Art. 2, 4 §4–5, 5, 15): units, areas, settings, employees, role
// assignments, the committee, delegations. Facts from other streams are looked up here and handed to
// the pure deciders.
import { z } from 'zod'
import { agencyDecider, agencyStreamId, ChangeAgencySettingsInput, CreateUnitInput, DefineAreaInput, RecordAreaMeasuresInput, type AgencyCommand } from '../domain/agency/index.js'
import { employeeDecider, employeeStreamId, RecordDepartureInput, RegisterEmployeeInput, TransferEmployeeInput, type EmployeeCommand } from '../domain/employee/index.js'
import {
  AssignRoleInput, DelegateResponsibilityInput, EndDelegationInput, EndRoleAssignmentInput, managementDecider, managementStreamId,
  OrganizeCommitteeInput, type EmployeeFacts, type ManagementCommand,
} from '../domain/management/index.js'
import { DomainError } from '../domain/shared/errors.js'
import type { Scope } from '../domain/shared/scope.js'
import type { Target } from '../domain/shared/authorization.js'
import { localId } from '../domain/shared/values.js'
import { defineCommand, newRecordId, runCommand, type CommandOutcome, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'
import { loadAgency, loadEmployeeFacts } from './lookups.js'

const none = z.object({})
const tag = 'organisation'

async function agencyCommand(s: Services, p: Principal, ctx: RequestContext, command: Omit<AgencyCommand, 'metadata'>, fingerprint: unknown, id: string, target?: Target): Promise<CommandOutcome> {
  const result = await runCommand(s, p, ctx, { decider: agencyDecider, streamId: agencyStreamId(p.agencyId), command: command as never, fingerprint, target })
  return { ...result, id }
}

/** A unit's security officer manages the employees of that unit: the target is the unit(s) concerned. */
async function employeeCommand(s: Services, p: Principal, ctx: RequestContext, employeeId: string, command: Omit<EmployeeCommand, 'metadata'>, fingerprint: unknown, unitIds: string[]): Promise<CommandOutcome> {
  const result = await runCommand(s, p, ctx, { decider: employeeDecider, streamId: employeeStreamId(employeeId), command: command as never, fingerprint, target: { unitIds } })
  return { ...result, id: employeeId }
}

async function managementCommand(s: Services, p: Principal, ctx: RequestContext, command: Omit<ManagementCommand, 'metadata'>, fingerprint: unknown, id: string): Promise<CommandOutcome> {
  const result = await runCommand(s, p, ctx, { decider: managementDecider, streamId: managementStreamId(p.agencyId), command: command as never, fingerprint })
  return { ...result, id }
}

/** Whether the scope names a unit or area of this agency (systems are checked once the ledger exists). */
async function scopeExists(s: Services, agencyId: string, scope: Scope): Promise<boolean> {
  if (scope.kind === 'UNIT') return (await loadAgency(s.store, agencyId)).units.has(scope.unitId)
  if (scope.kind === 'AREA') return (await loadAgency(s.store, agencyId)).areas.has(scope.areaId)
  return true
}

/** The employee a command names: unknown is a 422 for everyone (the unit to authorize for comes from it). */
function requireEmployee(employees: EmployeeFacts, employeeId: string) {
  const employee = employees[employeeId]
  if (!employee) throw new DomainError('UnknownEmployee', `employee ${employeeId} is not registered in this agency`, { employeeId })
  return employee
}

const EmployeeParams = z.object({ employeeId: localId })
const AreaParams = z.object({ areaId: localId })
const AssignmentParams = z.object({ assignmentId: z.uuid() })
const DelegationParams = z.object({ delegationId: z.uuid() })

export const organisationCommands = [
  defineCommand({
    type: 'CreateUnit', tag, summary: 'Create an organisational unit', path: '/organisation/units', mutation: 'createUnit',
    params: none, input: CreateUnitInput, creates: true,
    run: (s, p, _params, input, ctx) => agencyCommand(s, p, ctx, { type: 'CreateUnit', data: input }, input, input.unitId),
  }),
  defineCommand({
    type: 'DefineArea', tag, summary: 'Define a controlled area (要管理対策区域, Art. 15) with its measures', path: '/organisation/areas', mutation: 'defineArea',
    params: none, input: DefineAreaInput, creates: true,
    run: (s, p, _params, input, ctx) => agencyCommand(s, p, ctx, { type: 'DefineArea', data: input }, input, input.areaId),
  }),
  defineCommand({
    type: 'RecordAreaMeasures', tag, summary: "Record a controlled area's current measures", path: '/organisation/areas/:areaId/measures', mutation: 'recordAreaMeasures',
    params: AreaParams, input: RecordAreaMeasuresInput,
    run: (s, p, { areaId }, input, ctx) => agencyCommand(s, p, ctx, { type: 'RecordAreaMeasures', data: { ...input, areaId } }, { areaId, input }, areaId, { areaId }),
  }),
  defineCommand({
    type: 'ChangeAgencySettings', tag, summary: "Change the agency's rules (training and self-check frequency, newcomer training period, deadlines of the time-driven duties)", path: '/organisation/settings', mutation: 'changeAgencySettings',
    params: none, input: ChangeAgencySettingsInput,
    run: (s, p, _params, input, ctx) => agencyCommand(s, p, ctx, { type: 'ChangeAgencySettings', data: input }, input, p.agencyId),
  }),
  defineCommand({
    type: 'RegisterEmployee', tag, summary: 'Register an employee (職員等) in a unit', path: '/organisation/employees', mutation: 'registerEmployee',
    params: none, input: RegisterEmployeeInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const unitExists = (await loadAgency(s.store, p.agencyId)).units.has(input.unitId)
      return employeeCommand(s, p, ctx, input.employeeId, { type: 'RegisterEmployee', data: { ...input, unitExists } }, input, [input.unitId])
    },
  }),
  defineCommand({
    type: 'TransferEmployee', tag, summary: 'Transfer an employee to another unit (starts the newcomer-training period)', path: '/organisation/employees/:employeeId/transfer', mutation: 'transferEmployee',
    params: EmployeeParams, input: TransferEmployeeInput,
    run: async (s, p, { employeeId }, input, ctx) => {
      const [agency, employees] = await Promise.all([loadAgency(s.store, p.agencyId), loadEmployeeFacts(s.store, p.agencyId, [employeeId])])
      const unitExists = agency.units.has(input.toUnitId)
      // The officer of the unit the employee leaves records the transfer (or an agency-wide officer).
      const from = requireEmployee(employees, employeeId).unitId
      return employeeCommand(s, p, ctx, employeeId, { type: 'TransferEmployee', data: { ...input, employeeId, unitExists } }, { employeeId, input }, [from])
    },
  }),
  defineCommand({
    type: 'RecordDeparture', tag, summary: 'Record that an employee left the agency', path: '/organisation/employees/:employeeId/departure', mutation: 'recordDeparture',
    params: EmployeeParams, input: RecordDepartureInput,
    run: async (s, p, { employeeId }, input, ctx) => {
      const unit = requireEmployee(await loadEmployeeFacts(s.store, p.agencyId, [employeeId]), employeeId).unitId
      return employeeCommand(s, p, ctx, employeeId, { type: 'RecordDeparture', data: { ...input, employeeId } }, { employeeId, input }, [unit])
    },
  }),
  defineCommand({
    type: 'AssignRole', tag, summary: 'Assign a role (Art. 5) to an employee, scoped and dated', path: '/organisation/role-assignments', mutation: 'assignRole',
    params: none, input: AssignRoleInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const assignmentId = newRecordId(p, ctx, 'assignment')
      const [employees, exists] = await Promise.all([loadEmployeeFacts(s.store, p.agencyId, [input.employeeId]), scopeExists(s, p.agencyId, input.scope)])
      return managementCommand(s, p, ctx, { type: 'AssignRole', data: { ...input, assignmentId, employees, scopeExists: exists, byOperator: p.system === true } }, input, assignmentId)
    },
  }),
  defineCommand({
    type: 'EndRoleAssignment', tag, summary: 'End a role assignment (its last day)', path: '/organisation/role-assignments/:assignmentId/end', mutation: 'endRoleAssignment',
    params: AssignmentParams, input: EndRoleAssignmentInput,
    run: (s, p, { assignmentId }, input, ctx) => managementCommand(s, p, ctx, { type: 'EndRoleAssignment', data: { ...input, assignmentId, byOperator: p.system === true } }, { assignmentId, input }, assignmentId),
  }),
  defineCommand({
    type: 'OrganizeCommittee', tag, summary: 'Organise the security committee (Art. 5 §2) with its chair and members', path: '/organisation/committee', mutation: 'organizeCommittee',
    params: none, input: OrganizeCommitteeInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const committeeId = newRecordId(p, ctx, 'committee')
      const assignmentIds = [input.chairId, ...input.memberIds].map((_, i) => newRecordId(p, ctx, `assignment-${i}`))
      const employees = await loadEmployeeFacts(s.store, p.agencyId, [input.chairId, ...input.memberIds])
      return managementCommand(s, p, ctx, { type: 'OrganizeCommittee', data: { ...input, committeeId, assignmentIds, employees } }, input, committeeId)
    },
  }),
  defineCommand({
    type: 'DelegateResponsibility', tag, summary: 'Delegate a task (and optionally the authority of one of your roles) for a period', path: '/organisation/delegations', mutation: 'delegateResponsibility',
    params: none, input: DelegateResponsibilityInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const delegationId = newRecordId(p, ctx, 'delegation')
      const employees = await loadEmployeeFacts(s.store, p.agencyId, [input.delegateId])
      return managementCommand(s, p, ctx, { type: 'DelegateResponsibility', data: { ...input, delegationId, employees } }, input, delegationId)
    },
  }),
  defineCommand({
    type: 'EndDelegation', tag, summary: 'End a delegation early', path: '/organisation/delegations/:delegationId/end', mutation: 'endDelegation',
    params: DelegationParams, input: EndDelegationInput,
    run: (s, p, { delegationId }, input, ctx) => managementCommand(s, p, ctx, { type: 'EndDelegation', data: { ...input, delegationId } }, { delegationId, input }, delegationId),
  }),
]
