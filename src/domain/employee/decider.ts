// Employees: registration in a unit, transfers, departure. Dates are calendar dates (Japan).
import { DomainError } from '../shared/errors.js'
import type { Decider } from '../shared/decider.js'
import type { EmployeeCommand, RecordDeparture, RegisterEmployee, TransferEmployee } from './commands.js'
import type { EmployeeEvent } from './events.js'

export interface EmployeeState {
  registered: boolean
  unitId?: string | undefined
  /** Joining date, then the date of the latest transfer. */
  since?: string | undefined
  departedOn?: string | undefined
}

function evolve(state: EmployeeState, event: EmployeeEvent): EmployeeState {
  switch (event.type) {
    case 'EmployeeRegistered': return { registered: true, unitId: event.data.unitId, since: event.data.joinedOn }
    case 'EmployeeTransferred': return { ...state, unitId: event.data.toUnitId, since: event.data.on }
    case 'EmployeeDeparted': return { ...state, departedOn: event.data.on }
  }
}

function register(command: RegisterEmployee, state: EmployeeState): EmployeeEvent[] {
  const { employeeId, name, unitId, joinedOn, unitExists } = command.data
  if (state.registered) throw new DomainError('EmployeeAlreadyExists', `employee ${employeeId} is already registered in this agency`)
  if (!unitExists) throw new DomainError('UnknownUnit', `unit ${unitId} does not exist in this agency; create it first`, { unitId })
  return [{ type: 'EmployeeRegistered', data: { employeeId, name, unitId, joinedOn, registeredBy: command.metadata.actor.id, at: command.metadata.now } }]
}

function current(command: TransferEmployee | RecordDeparture, state: EmployeeState): { unitId: string; since: string } {
  const { employeeId } = command.data
  if (!state.registered || state.unitId === undefined || state.since === undefined) {
    throw new DomainError('UnknownEmployee', `employee ${employeeId} is not registered in this agency`, { employeeId })
  }
  if (state.departedOn !== undefined) throw new DomainError('EmployeeDeparted', `employee ${employeeId} left on ${state.departedOn}`, { employeeId })
  return { unitId: state.unitId, since: state.since }
}

function transfer(command: TransferEmployee, state: EmployeeState): EmployeeEvent[] {
  const { employeeId, toUnitId, on, unitExists } = command.data
  const { unitId, since } = current(command, state)
  if (!unitExists) throw new DomainError('UnknownUnit', `unit ${toUnitId} does not exist in this agency`, { unitId: toUnitId })
  if (toUnitId === unitId) throw new DomainError('AlreadyInUnit', `employee ${employeeId} is already in unit ${unitId}`)
  if (on < since) throw new DomainError('InvalidPeriod', `the transfer date ${on} is before the employee joined ${unitId} on ${since}`)
  return [{ type: 'EmployeeTransferred', data: { employeeId, fromUnitId: unitId, toUnitId, on, recordedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

function depart(command: RecordDeparture, state: EmployeeState): EmployeeEvent[] {
  const { employeeId, on, reason } = command.data
  const { since } = current(command, state)
  if (on < since) throw new DomainError('InvalidPeriod', `the departure date ${on} is before ${since}`)
  return [{ type: 'EmployeeDeparted', data: { employeeId, on, reason, recordedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

export const employeeDecider: Decider<EmployeeCommand, EmployeeEvent, EmployeeState> = {
  streamType: 'employee',
  initialState: () => ({ registered: false }),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterEmployee': return register(command, state)
      case 'TransferEmployee': return transfer(command, state)
      case 'RecordDeparture': return depart(command, state)
    }
  },
}

export const employeeStreamId = (employeeId: string) => `employee-${employeeId}`
