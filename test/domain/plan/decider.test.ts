// given/when/then over the promotion plan decider (Art. 6): establishing, items, progress, reviews.
import t from 'tap'
import { planDecider, RecordPlanProgressInput, type PlanCommand, type PlanEvent } from '../../../src/domain/plan/index.js'
import type { Actor, CommandMetadata } from '../../../src/domain/shared/decider.js'
import type { EmployeeFacts } from '../../../src/domain/management/commands.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-06-15T10:00:00+09:00' // FY2026
const keeper: Actor = { id: 'gso', roles: ['GENERAL_SECURITY_OFFICER'] }
const owner: Actor = { id: 'sato', roles: ['EMPLOYEE'] }
const stranger: Actor = { id: 'kato', roles: ['EMPLOYEE', 'SECURITY_OFFICER'] }
const employees: EmployeeFacts = { sato: { unitId: 'u1' }, suzuki: { unitId: 'u2' }, gone: { unitId: 'u1', departedOn: '2026-05-31' } }

const meta = (actor: Actor = keeper, now = NOW): CommandMetadata => ({ actor, agencyId: 'mof', now, correlationId: 'c', source: 'api' })
const cmd = <T extends PlanCommand['type']>(type: T, data: Extract<PlanCommand, { type: T }>['data'], actor?: Actor, now?: string) =>
  ({ type, data, metadata: meta(actor, now) }) as Extract<PlanCommand, { type: T }>

const item = (itemId: string, dueOn: string, ownerId = 'sato') => ({ itemId, title: `Item ${itemId}`, ownerId, dueOn })
const establish = (items = [item('a', '2026-09-30')], fiscalYear = 2026, now?: string) =>
  cmd('EstablishPlan', { fiscalYear, title: 'FY2026 promotion plan', items, employees }, keeper, now)

const established: PlanEvent = {
  type: 'PlanEstablished',
  data: { fiscalYear: 2026, title: 'FY2026 promotion plan', items: [{ ...item('a', '2026-09-30'), article: 8 }], establishedBy: 'gso', at: NOW },
}
const plan = (...more: PlanEvent[]) => given(planDecider, established, ...more)

t.test('a plan is established with its items, by whom and when', async (t) => {
  const items = [{ ...item('a', '2026-09-30'), article: 8 }, item('b', '2027-03-31', 'suzuki')]
  t.same(given(planDecider).when(establish(items)), [{
    type: 'PlanEstablished', data: { fiscalYear: 2026, title: 'FY2026 promotion plan', items, establishedBy: 'gso', at: NOW },
  }])
})

t.test('the fiscal year must exist: the current one and the next may be planned, not later ones', async (t) => {
  t.equal(given(planDecider).when(establish([], 2027)).length, 1, 'next year: planned in advance')
  t.equal(given(planDecider).when(establish([], 2010)).length, 1, 'a past year may still be recorded')
  t.throws(() => given(planDecider).when(establish([], 2028)), { code: 'FiscalYearNotOpen', details: { fiscalYear: 2028 } })
  // On 2027-04-01 (JST) FY2027 is current, so FY2028 opens: the year turns in Japan time.
  t.equal(given(planDecider).when(establish([], 2028, '2027-03-31T15:00:00Z')).length, 1)
  t.throws(() => given(planDecider).when(establish([], 2028, '2027-03-31T14:59:59Z')), { code: 'FiscalYearNotOpen' })
})

t.test('one plan per fiscal year', async (t) => {
  t.throws(() => plan().when(establish()), { code: 'PlanAlreadyExists' })
})

t.test('due dates fall within the fiscal year, 1 April to 31 March, both days included', async (t) => {
  t.equal(given(planDecider).when(establish([item('first', '2026-04-01'), item('last', '2027-03-31')])).length, 1)
  t.throws(() => given(planDecider).when(establish([item('late', '2027-04-01'), item('ok', '2026-05-01'), item('early', '2026-03-31')])), {
    code: 'DueDateOutsideFiscalYear', details: { itemIds: ['late', 'early'], start: '2026-04-01', end: '2027-03-31' },
  })
})

t.test('owners are current employees of this agency; every unknown one is named', async (t) => {
  t.throws(() => given(planDecider).when(establish([item('a', '2026-09-30', 'x1'), item('b', '2026-09-30', 'sato'), item('c', '2026-09-30', 'x2')])), {
    code: 'UnknownEmployee', details: { employeeIds: ['x1', 'x2'] },
  })
  t.throws(() => given(planDecider).when(establish([item('a', '2026-09-30', 'gone')])), { code: 'EmployeeDeparted', details: { employeeIds: ['gone'] } })
})

t.test('item ids are unique within the plan', async (t) => {
  t.throws(() => given(planDecider).when(establish([item('a', '2026-09-30'), item('a', '2026-10-30')])), { code: 'DuplicatePlanItem', details: { itemIds: ['a'] } })
  t.throws(() => plan().when(cmd('AddPlanItem', { ...item('a', '2026-10-01'), fiscalYear: 2026, employees })), { code: 'DuplicatePlanItem' })
})

t.test('an item is added to an existing plan, under the same rules', async (t) => {
  const add = (dueOn: string, ownerId = 'suzuki') => cmd('AddPlanItem', { ...item('b', dueOn, ownerId), fiscalYear: 2026, employees })
  t.same(plan().when(add('2027-03-31')), [{ type: 'PlanItemAdded', data: { ...item('b', '2027-03-31', 'suzuki'), fiscalYear: 2026, addedBy: 'gso', at: NOW } }])
  t.throws(() => given(planDecider).when(add('2026-10-01')), { code: 'PlanNotFound' })
  t.throws(() => plan().when(add('2027-04-01')), { code: 'DueDateOutsideFiscalYear' })
  t.throws(() => plan().when(add('2026-10-01', 'nobody')), { code: 'UnknownEmployee', details: { employeeIds: ['nobody'] } })
})

t.test('progress is recorded by a keeper or by the item owner, nobody else', async (t) => {
  const progress = (actor: Actor, itemId = 'a') => cmd('RecordPlanProgress', { fiscalYear: 2026, itemId, status: 'IN_PROGRESS', percent: 40, note: 'half the units done' }, actor)
  t.same(plan().when(progress(owner)), [{
    type: 'PlanProgressRecorded', data: { fiscalYear: 2026, itemId: 'a', status: 'IN_PROGRESS', percent: 40, note: 'half the units done', recordedBy: 'sato', at: NOW },
  }])
  t.equal(plan().when(progress(keeper)).length, 1)
  t.equal(plan().when(progress({ id: 'boss', roles: ['CISO'] })).length, 1)
  t.throws(() => plan().when(progress(stranger)), { code: 'NotPlanItemOwner', details: { ownerId: 'sato' } })
  t.throws(() => plan().when(progress(keeper, 'zz')), { code: 'PlanItemNotFound', details: { itemId: 'zz' } })
  t.throws(() => given(planDecider).when(progress(keeper)), { code: 'PlanNotFound' })
  const added: PlanEvent = { type: 'PlanItemAdded', data: { ...item('b', '2026-12-01', 'kato'), fiscalYear: 2026, addedBy: 'gso', at: NOW } }
  t.equal(plan(added).when(progress(stranger, 'b')).length, 1, 'the owner of an added item')
})

t.test('progress input: DONE is 100, NOT_STARTED is 0, DEFERRED says why', async (t) => {
  t.ok(RecordPlanProgressInput.safeParse({ status: 'DONE', percent: 100 }).success)
  t.notOk(RecordPlanProgressInput.safeParse({ status: 'DONE', percent: 90 }).success)
  t.notOk(RecordPlanProgressInput.safeParse({ status: 'NOT_STARTED', percent: 10 }).success)
  t.notOk(RecordPlanProgressInput.safeParse({ status: 'DEFERRED', percent: 10 }).success)
  t.ok(RecordPlanProgressInput.safeParse({ status: 'DEFERRED', percent: 10, note: 'budget moved to FY2027' }).success)
  t.notOk(RecordPlanProgressInput.safeParse({ status: 'IN_PROGRESS', percent: 101 }).success)
})

t.test('a review is PlanReviewed with the fiscal year and the time (read by the review-due model)', async (t) => {
  const review = cmd('ReviewPlan', { fiscalYear: 2026, outcome: 'NEEDS_REVISION', notes: 'a new risk assessment' }, { id: 'boss', roles: ['CISO'] })
  t.same(plan().when(review), [{ type: 'PlanReviewed', data: { fiscalYear: 2026, outcome: 'NEEDS_REVISION', notes: 'a new risk assessment', reviewedBy: 'boss', at: NOW } }])
  t.throws(() => given(planDecider).when(review), { code: 'PlanNotFound', details: { fiscalYear: 2026 } })
})
