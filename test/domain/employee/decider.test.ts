// given/when/then over the employee decider: registration in a unit, transfers, departure.
import t from 'tap'
import { employeeDecider, employeeStreamId, RegisterEmployeeInput, TransferEmployeeInput, type EmployeeCommand, type EmployeeEvent } from '../../../src/domain/employee/index.js'
import type { Actor, CommandMetadata } from '../../../src/domain/shared/decider.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-06-15T10:00:00+09:00'
const officer: Actor = { id: 'so', roles: ['SECURITY_OFFICER'] }

const cmd = <T extends EmployeeCommand['type']>(type: T, data: Extract<EmployeeCommand, { type: T }>['data']) =>
  ({ type, data, metadata: { actor: officer, agencyId: 'mof', now: NOW, correlationId: 'c', source: 'api' } satisfies CommandMetadata }) as Extract<EmployeeCommand, { type: T }>

const registered: EmployeeEvent = { type: 'EmployeeRegistered', data: { employeeId: 'sato', name: 'Sato', unitId: 'u1', joinedOn: '2026-04-01', registeredBy: 'so', at: NOW } }
const transferred = (toUnitId: string, on: string, fromUnitId = 'u1'): EmployeeEvent =>
  ({ type: 'EmployeeTransferred', data: { employeeId: 'sato', fromUnitId, toUnitId, on, recordedBy: 'so', at: NOW } })
const departed: EmployeeEvent = { type: 'EmployeeDeparted', data: { employeeId: 'sato', on: '2026-09-30', reason: undefined, recordedBy: 'so', at: NOW } }
const transfer = (toUnitId: string, on: string, unitExists = true) => cmd('TransferEmployee', { employeeId: 'sato', toUnitId, on, unitExists })
const depart = (on: string, reason?: string) => cmd('RecordDeparture', { employeeId: 'sato', on, reason })

t.test('an employee is registered in an existing unit, once', async (t) => {
  const register = cmd('RegisterEmployee', { employeeId: 'sato', name: 'Sato', unitId: 'u1', joinedOn: '2026-04-01', unitExists: true })
  t.same(given(employeeDecider).when(register), [registered])
  t.throws(() => given(employeeDecider).when({ ...register, data: { ...register.data, unitExists: false } }), { code: 'UnknownUnit', details: { unitId: 'u1' } })
  t.throws(() => given(employeeDecider, registered).when(register), { code: 'EmployeeAlreadyExists' })
  t.same(given(employeeDecider, registered).state(), { registered: true, unitId: 'u1', since: '2026-04-01' })
  t.equal(employeeStreamId('sato'), 'employee-sato')
})

t.test('registration input: employee numbers without spaces, real calendar dates', async (t) => {
  t.ok(RegisterEmployeeInput.safeParse({ employeeId: 'E-0012', name: 'Sato', unitId: 'u1', joinedOn: '2026-04-01' }).success)
  t.notOk(RegisterEmployeeInput.safeParse({ employeeId: 'E 12', name: 'Sato', unitId: 'u1', joinedOn: '2026-04-01' }).success)
  t.notOk(RegisterEmployeeInput.safeParse({ employeeId: 'E12', name: 'Sato', unitId: 'u1', joinedOn: '2026-02-30' }).success)
  t.notOk(TransferEmployeeInput.safeParse({ toUnitId: 'u2', on: '2026/06/01' }).success)
})

t.test('a transfer moves the employee to another existing unit, from the date given', async (t) => {
  t.same(given(employeeDecider, registered).when(transfer('u2', '2026-06-01')), [transferred('u2', '2026-06-01')])
  t.same(given(employeeDecider, registered).when(transfer('u2', '2026-04-01')), [transferred('u2', '2026-04-01')], 'on the joining day itself')
  t.same(given(employeeDecider, registered, transferred('u2', '2026-06-01')).state(), { registered: true, unitId: 'u2', since: '2026-06-01' })
  t.match(given(employeeDecider, registered, transferred('u2', '2026-06-01')).when(transfer('u3', '2026-07-01')), [{ data: { fromUnitId: 'u2', toUnitId: 'u3' } }], 'from the unit of the latest transfer')
})

t.test('transfer rules and their codes', async (t) => {
  t.throws(() => given(employeeDecider).when(transfer('u2', '2026-06-01')), { code: 'UnknownEmployee', details: { employeeId: 'sato' } })
  t.throws(() => given(employeeDecider, registered, departed).when(transfer('u2', '2026-10-01')), { code: 'EmployeeDeparted', details: { employeeId: 'sato' } })
  t.throws(() => given(employeeDecider, registered).when(transfer('u9', '2026-06-01', false)), { code: 'UnknownUnit', details: { unitId: 'u9' } })
  t.throws(() => given(employeeDecider, registered).when(transfer('u1', '2026-06-01')), { code: 'AlreadyInUnit' })
  t.throws(() => given(employeeDecider, registered).when(transfer('u2', '2026-03-31')), { code: 'InvalidPeriod' }, 'not before joining')
  t.throws(() => given(employeeDecider, registered, transferred('u2', '2026-06-01')).when(transfer('u3', '2026-05-31')), { code: 'InvalidPeriod' }, 'not before the latest transfer')
})

t.test('departure: recorded once, not before the employee joined or last moved', async (t) => {
  t.same(given(employeeDecider, registered).when(depart('2026-09-30', 'retired')), [{
    type: 'EmployeeDeparted', data: { employeeId: 'sato', on: '2026-09-30', reason: 'retired', recordedBy: 'so', at: NOW },
  }])
  t.equal(given(employeeDecider, registered, departed).state().departedOn, '2026-09-30')
  t.throws(() => given(employeeDecider, registered, departed).when(depart('2026-10-31')), { code: 'EmployeeDeparted' })
  t.throws(() => given(employeeDecider).when(depart('2026-10-31')), { code: 'UnknownEmployee' })
  t.throws(() => given(employeeDecider, registered).when(depart('2026-03-31')), { code: 'InvalidPeriod' })
  t.throws(() => given(employeeDecider, registered, transferred('u2', '2026-06-01')).when(depart('2026-05-31')), { code: 'InvalidPeriod' })
  t.match(given(employeeDecider, registered, transferred('u2', '2026-06-01')).when(depart('2026-06-01')), [{ type: 'EmployeeDeparted' }], 'on the transfer day itself')
})
