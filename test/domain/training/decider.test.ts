// given/when/then over the training decider (Art. 8): the plan, courses and audiences, completions.
import t from 'tap'
import { CourseAudience, trainingDecider, type TrainingCommand, type TrainingEvent } from '../../../src/domain/training/index.js'
import type { Actor, CommandMetadata } from '../../../src/domain/shared/decider.js'
import type { EmployeeFacts } from '../../../src/domain/management/commands.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-10-01T10:00:00+09:00' // FY2026
const officer: Actor = { id: 'so', roles: ['SECURITY_OFFICER'] }
const units = new Set(['u1', 'u2'])
const employees: EmployeeFacts = { e1: { unitId: 'u1' }, e2: { unitId: 'u1' }, e3: { unitId: 'u2' }, gone: { unitId: 'u2', departedOn: '2026-06-30' } }

const cmd = <T extends TrainingCommand['type']>(type: T, data: Extract<TrainingCommand, { type: T }>['data'], now = NOW) =>
  ({ type, data, metadata: { actor: officer, agencyId: 'mof', now, correlationId: 'c', source: 'api' } satisfies CommandMetadata }) as Extract<TrainingCommand, { type: T }>

const basics = { courseId: 'basics', title: 'Security basics', audience: { kind: 'ALL' as const }, mandatory: true }
const admins = { courseId: 'admins', title: 'For system administrators', audience: { kind: 'UNITS' as const, unitIds: ['u2'] }, mandatory: false }
const planned: TrainingEvent = { type: 'TrainingPlanned', data: { fiscalYear: 2026, courses: [basics], plannedBy: 'so', at: NOW } }
const completed = (employeeIds: string[], courseId = 'basics'): TrainingEvent =>
  ({ type: 'TrainingCompleted', data: { fiscalYear: 2026, courseId, completedOn: '2026-07-01', employeeIds, recordedBy: 'so', at: NOW } })
const complete = (employeeIds: string[], completedOn = '2026-09-30', courseId = 'basics') =>
  cmd('RecordTrainingCompletions', { fiscalYear: 2026, courseId, completedOn, employeeIds, employees })

t.test('training is planned with courses whose audience units exist', async (t) => {
  t.same(given(trainingDecider).when(cmd('PlanTraining', { fiscalYear: 2026, courses: [basics, admins], units })), [{
    type: 'TrainingPlanned', data: { fiscalYear: 2026, courses: [basics, admins], plannedBy: 'so', at: NOW },
  }])
  const unknown = { ...admins, audience: { kind: 'UNITS' as const, unitIds: ['u2', 'u9', 'u8'] } }
  t.throws(() => given(trainingDecider).when(cmd('PlanTraining', { fiscalYear: 2026, courses: [unknown], units })), { code: 'UnknownUnit', details: { unitIds: ['u9', 'u8'] } })
})

t.test('the plan is for an existing fiscal year, once, with distinct course ids', async (t) => {
  t.throws(() => given(trainingDecider).when(cmd('PlanTraining', { fiscalYear: 2028, courses: [basics], units })), { code: 'FiscalYearNotOpen' })
  t.throws(() => given(trainingDecider, planned).when(cmd('PlanTraining', { fiscalYear: 2026, courses: [basics], units })), { code: 'TrainingPlanAlreadyExists' })
  t.throws(() => given(trainingDecider).when(cmd('PlanTraining', { fiscalYear: 2026, courses: [basics, basics], units })), { code: 'DuplicateCourse', details: { courseIds: ['basics'] } })
})

t.test('a course is added to an existing plan', async (t) => {
  const add = cmd('AddCourse', { ...admins, fiscalYear: 2026, units })
  t.same(given(trainingDecider, planned).when(add), [{ type: 'TrainingCourseAdded', data: { ...admins, fiscalYear: 2026, addedBy: 'so', at: NOW } }])
  t.throws(() => given(trainingDecider).when(add), { code: 'TrainingPlanNotFound' })
  t.throws(() => given(trainingDecider, planned).when(cmd('AddCourse', { ...basics, fiscalYear: 2026, units })), { code: 'DuplicateCourse' })
  t.throws(() => given(trainingDecider, planned).when(cmd('AddCourse', { ...admins, audience: { kind: 'UNITS', unitIds: ['zz'] }, fiscalYear: 2026, units })), { code: 'UnknownUnit' })
})

t.test('the audience is ALL or a non-empty list of units, never both', async (t) => {
  t.ok(CourseAudience.safeParse({ kind: 'ALL' }).success)
  t.ok(CourseAudience.safeParse({ kind: 'UNITS', unitIds: ['u1'] }).success)
  t.notOk(CourseAudience.safeParse({ kind: 'UNITS', unitIds: [] }).success)
  t.notOk(CourseAudience.safeParse({ kind: 'ALL', unitIds: ['u1'] }).success)
})

t.test('completions are recorded for employees of the agency, within the year, for a planned course', async (t) => {
  t.same(given(trainingDecider, planned).when(complete(['e1', 'e3'])), [{
    type: 'TrainingCompleted', data: { fiscalYear: 2026, courseId: 'basics', completedOn: '2026-09-30', employeeIds: ['e1', 'e3'], recordedBy: 'so', at: NOW },
  }])
  t.throws(() => given(trainingDecider).when(complete(['e1'])), { code: 'TrainingPlanNotFound' })
  t.throws(() => given(trainingDecider, planned).when(complete(['e1'], '2026-09-30', 'nope')), { code: 'UnknownCourse', details: { courseId: 'nope' } })
  t.throws(() => given(trainingDecider, planned).when(complete(['e1', 'x1', 'e2', 'x2'])), { code: 'UnknownEmployee', details: { employeeIds: ['x1', 'x2'] } })
  t.throws(() => given(trainingDecider, planned).when(complete(['gone'], '2026-07-01')), { code: 'EmployeeDeparted', details: { employeeIds: ['gone'] } })
  t.equal(given(trainingDecider, planned).when(complete(['gone'], '2026-06-30')).length, 1, 'on their last day they still count')
})

t.test('the completion date is within the fiscal year (31 March in, 1 April out) and not in the future', async (t) => {
  const late = (on: string) => given(trainingDecider, planned).when(cmd('RecordTrainingCompletions', { fiscalYear: 2026, courseId: 'basics', completedOn: on, employeeIds: ['e1'], employees }, '2027-06-01T10:00:00+09:00'))
  t.equal(late('2027-03-31').length, 1)
  t.throws(() => late('2027-04-01'), { code: 'CompletionOutsideFiscalYear', details: { start: '2026-04-01', end: '2027-03-31' } })
  t.equal(late('2026-04-01').length, 1)
  t.throws(() => late('2026-03-31'), { code: 'CompletionOutsideFiscalYear' })
  t.throws(() => given(trainingDecider, planned).when(complete(['e1'], '2026-10-02')), { code: 'CompletionInFuture' })
  t.equal(given(trainingDecider, planned).when(complete(['e1'], '2026-10-01')).length, 1, 'today is fine')
})

t.test('a repeated completion is not recorded twice; with nothing new there is no event', async (t) => {
  const events = given(trainingDecider, planned, completed(['e1'])).when(complete(['e1', 'e2', 'e2', 'e3']))
  t.same(events.map((e) => e.data), [{ fiscalYear: 2026, courseId: 'basics', completedOn: '2026-09-30', employeeIds: ['e2', 'e3'], recordedBy: 'so', at: NOW }])
  t.same(given(trainingDecider, planned, completed(['e1', 'e2'])).when(complete(['e2', 'e1'])), [])
  const added: TrainingEvent = { type: 'TrainingCourseAdded', data: { ...admins, fiscalYear: 2026, addedBy: 'so', at: NOW } }
  t.equal(given(trainingDecider, planned, added, completed(['e1'])).when(complete(['e1'], '2026-09-30', 'admins')).length, 1, 'another course is a new completion')
})
