// Read models of the organisation: units, controlled areas, employees, role assignments, the
// committee and delegations, built from the agency, employee and management streams.
import type pg from 'pg'
import type { AgencyEvent } from '../domain/agency/events.js'
import { employeeEventTypes, type EmployeeEvent } from '../domain/employee/events.js'
import { managementEventTypes, type ManagementEvent } from '../domain/management/events.js'
import { RowBatch } from './row-batch.js'
import type { ProjectedEvent, Projection, TableNames } from './types.js'

const tableNames = ['units', 'areas', 'employees', 'role_assignments', 'committees', 'delegations'] as const
type Tables = (typeof tableNames)[number]
type Batches = Record<Tables, RowBatch>

type OrganisationEvent = Extract<AgencyEvent, { type: 'UnitCreated' | 'AreaDefined' | 'AreaMeasuresRecorded' }> | EmployeeEvent | ManagementEvent

function applyStructure(b: Batches, agency_id: string, event: Extract<OrganisationEvent, { type: 'UnitCreated' | 'AreaDefined' | 'AreaMeasuresRecorded' }>): void {
  switch (event.type) {
    case 'UnitCreated': {
      const d = event.data
      return b.units.upsert({ agency_id, unit_id: d.unitId, name: d.name, parent_unit_id: d.parentUnitId ?? null, created_at: d.at })
    }
    case 'AreaDefined': {
      const d = event.data
      return b.areas.upsert({ agency_id, area_id: d.areaId, name: d.name, unit_id: d.unitId ?? null, measures: d.measures, defined_at: d.at, measures_recorded_at: d.at })
    }
    case 'AreaMeasuresRecorded':
      return b.areas.patch({ agency_id, area_id: event.data.areaId, measures: event.data.measures, measures_recorded_at: event.data.at })
  }
}

function applyEmployee(b: Batches, agency_id: string, event: EmployeeEvent): void {
  switch (event.type) {
    case 'EmployeeRegistered': {
      const d = event.data
      return b.employees.upsert({ agency_id, employee_id: d.employeeId, name: d.name, unit_id: d.unitId, joined_on: d.joinedOn, unit_since: d.joinedOn, departed_on: null })
    }
    case 'EmployeeTransferred': return b.employees.patch({ agency_id, employee_id: event.data.employeeId, unit_id: event.data.toUnitId, unit_since: event.data.on })
    case 'EmployeeDeparted': return b.employees.patch({ agency_id, employee_id: event.data.employeeId, departed_on: event.data.on })
  }
}

function applyManagement(b: Batches, agency_id: string, event: ManagementEvent): void {
  switch (event.type) {
    case 'RoleAssigned': {
      const d = event.data
      return b.role_assignments.upsert({
        agency_id, assignment_id: d.assignmentId, employee_id: d.employeeId, role: d.role, scope: d.scope, valid_from: d.from, valid_to: d.to ?? null,
        note: d.note ?? null, end_reason: null, assigned_by: d.assignedBy, assigned_at: d.at,
      })
    }
    case 'RoleAssignmentEnded': return b.role_assignments.patch({ agency_id, assignment_id: event.data.assignmentId, valid_to: event.data.on, end_reason: event.data.reason })
    case 'CommitteeOrganized': {
      const d = event.data
      return b.committees.upsert({ agency_id, committee_id: d.committeeId, name: d.name, mandate: d.mandate, chair_id: d.chairId, member_ids: d.memberIds, valid_from: d.from, organized_at: d.at })
    }
    case 'ResponsibilityDelegated': {
      const d = event.data
      return b.delegations.upsert({
        agency_id, delegation_id: d.delegationId, delegator_id: d.delegatorId, delegate_id: d.delegateId, task: d.task, role: d.role ?? null,
        valid_from: d.from, valid_to: d.to, end_reason: null, delegated_at: d.at,
      })
    }
    case 'DelegationEnded': return b.delegations.patch({ agency_id, delegation_id: event.data.delegationId, valid_to: event.data.on, end_reason: event.data.reason ?? null })
  }
}

const keys: Record<Tables, string[]> = {
  units: ['agency_id', 'unit_id'], areas: ['agency_id', 'area_id'], employees: ['agency_id', 'employee_id'],
  role_assignments: ['agency_id', 'assignment_id'], committees: ['agency_id', 'committee_id'], delegations: ['agency_id', 'delegation_id'],
}

export const organisationProjection: Projection<Tables> = {
  name: 'organisation',
  eventTypes: ['UnitCreated', 'AreaDefined', 'AreaMeasuresRecorded', ...employeeEventTypes, ...managementEventTypes],
  tables: tableNames,
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const b = Object.fromEntries(tableNames.map((t) => [t, new RowBatch(tables[t], keys[t])])) as Batches
    for (const e of events) {
      const event = { type: e.type, data: e.data } as OrganisationEvent
      switch (event.type) {
        case 'UnitCreated': case 'AreaDefined': case 'AreaMeasuresRecorded': applyStructure(b, e.agencyId, event); break
        case 'EmployeeRegistered': case 'EmployeeTransferred': case 'EmployeeDeparted': applyEmployee(b, e.agencyId, event); break
        case 'RoleAssigned': case 'RoleAssignmentEnded': case 'CommitteeOrganized': case 'ResponsibilityDelegated': case 'DelegationEnded':
          applyManagement(b, e.agencyId, event); break
      }
    }
    for (const t of tableNames) await b[t].write(client)
  },
}
