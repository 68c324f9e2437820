// Employees (職員等, Art. 2): who works in which unit since when. Joining and transfers start the
// newcomer-training clock of Art. 8; role assignments name employees.
import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { calendarDate, localId, text } from '../shared/values.js'

export const RegisterEmployeeInput = z.object({
  employeeId: localId.describe('the employee number; also the actor id in their bearer tokens'),
  name: text(200),
  unitId: localId,
  joinedOn: calendarDate,
})
export const TransferEmployeeInput = z.object({
  toUnitId: localId,
  on: calendarDate,
})
export const RecordDepartureInput = z.object({
  on: calendarDate,
  reason: text(500).optional(),
})

/** Whether a unit exists is another stream's fact (the agency's): the application looks it up. */
interface UnitFact { unitExists: boolean }
export type RegisterEmployee = Command<'RegisterEmployee', z.output<typeof RegisterEmployeeInput> & UnitFact>
export type TransferEmployee = Command<'TransferEmployee', z.output<typeof TransferEmployeeInput> & UnitFact & { employeeId: string }>
export type RecordDeparture = Command<'RecordDeparture', z.output<typeof RecordDepartureInput> & { employeeId: string }>
export type EmployeeCommand = RegisterEmployee | TransferEmployee | RecordDeparture
