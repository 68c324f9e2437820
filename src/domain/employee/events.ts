import type { DomainEvent } from '../shared/decider.js'

export type EmployeeRegistered = DomainEvent<'EmployeeRegistered', { employeeId: string; name: string; unitId: string; joinedOn: string; registeredBy: string; at: string }>
export type EmployeeTransferred = DomainEvent<'EmployeeTransferred', { employeeId: string; fromUnitId: string; toUnitId: string; on: string; recordedBy: string; at: string }>
export type EmployeeDeparted = DomainEvent<'EmployeeDeparted', { employeeId: string; on: string; reason?: string | undefined; recordedBy: string; at: string }>

export type EmployeeEvent = EmployeeRegistered | EmployeeTransferred | EmployeeDeparted
export const employeeEventTypes = ['EmployeeRegistered', 'EmployeeTransferred', 'EmployeeDeparted'] as const satisfies readonly EmployeeEvent['type'][]
