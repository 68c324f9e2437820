// The training plan of one fiscal year (Art. 8), one stream per agency and year (`training-2026`): its
// courses, and who completed each one. A completion is recorded once per employee and course (again after
// a transfer, when the newcomer rule asks for it).
import { DomainError } from '../shared/errors.js'
import type { Decider } from '../shared/decider.js'
import { checkFiscalYearOpen, fiscalYearBounds, tokyoDate } from '../shared/fiscal-year.js'
import type { AddCourse, PlanTraining, RecordTrainingCompletions, TrainingCommand } from './commands.js'
import type { Course, TrainingEvent } from './events.js'

export interface TrainingState {
  fiscalYear?: number | undefined
  /** Per course: the employees who completed it, with their latest completion date. */
  completed: ReadonlyMap<string, ReadonlyMap<string, string>>
}

function evolve(state: TrainingState, event: TrainingEvent): TrainingState {
  switch (event.type) {
    case 'TrainingPlanned':
      return { fiscalYear: event.data.fiscalYear, completed: new Map(event.data.courses.map((c) => [c.courseId, new Map<string, string>()])) }
    case 'TrainingCourseAdded': return { ...state, completed: new Map(state.completed).set(event.data.courseId, new Map()) }
    case 'TrainingCompleted': {
      const done = new Map(state.completed.get(event.data.courseId))
      for (const id of event.data.employeeIds) done.set(id, event.data.completedOn)
      return { ...state, completed: new Map(state.completed).set(event.data.courseId, done) }
    }
  }
}

function requirePlan(state: TrainingState, fiscalYear: number): number {
  if (state.fiscalYear === undefined) throw new DomainError('TrainingPlanNotFound', `there is no training plan for fiscal year ${fiscalYear}; plan the training first`, { fiscalYear })
  return state.fiscalYear
}

function checkAudiences(courses: readonly Course[], units: ReadonlySet<string>): void {
  const unknown = [...new Set(courses.flatMap((c) => (c.audience.kind === 'UNITS' ? c.audience.unitIds : [])))].filter((u) => !units.has(u))
  if (unknown.length > 0) throw new DomainError('UnknownUnit', `the audience names units that do not exist in this agency: ${unknown.join(', ')}`, { unitIds: unknown })
}

/** Only the course's own fields, unit ids once each. */
const toCourse = (c: Course): Course => ({
  courseId: c.courseId, title: c.title, mandatory: c.mandatory,
  audience: c.audience.kind === 'ALL' ? { kind: 'ALL' } : { kind: 'UNITS', unitIds: [...new Set(c.audience.unitIds)] },
})

function plan(command: PlanTraining, state: TrainingState): TrainingEvent[] {
  const { fiscalYear, courses, units } = command.data
  const { actor, now } = command.metadata
  const notOpen = checkFiscalYearOpen(fiscalYear, now)
  if (notOpen !== undefined) throw new DomainError('FiscalYearNotOpen', notOpen, { fiscalYear })
  if (state.fiscalYear !== undefined) throw new DomainError('TrainingPlanAlreadyExists', `the training plan for fiscal year ${fiscalYear} exists; add courses to it`, { fiscalYear })
  const ids = courses.map((c) => c.courseId)
  const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]
  if (repeated.length > 0) throw new DomainError('DuplicateCourse', `each course id once: ${repeated.join(', ')} repeated`, { courseIds: repeated })
  checkAudiences(courses, units)
  return [{ type: 'TrainingPlanned', data: { fiscalYear, courses: courses.map(toCourse), plannedBy: actor.id, at: now } }]
}

function addCourse(command: AddCourse, state: TrainingState): TrainingEvent[] {
  const { fiscalYear: asked, units, ...course } = command.data
  const fiscalYear = requirePlan(state, asked)
  if (state.completed.has(course.courseId)) throw new DomainError('DuplicateCourse', `course ${course.courseId} is already in the plan; choose another id`, { courseIds: [course.courseId] })
  checkAudiences([course], units)
  return [{ type: 'TrainingCourseAdded', data: { ...toCourse(course), fiscalYear, addedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

/** The employees of the list who may complete on `on`: all registered here, none gone before that day. */
function checkEmployees(ids: readonly string[], employees: RecordTrainingCompletions['data']['employees'], on: string): void {
  const unknown = ids.filter((id) => employees[id] === undefined)
  if (unknown.length > 0) throw new DomainError('UnknownEmployee', `not employees of this agency: ${unknown.join(', ')}`, { employeeIds: unknown })
  const departed = ids.filter((id) => { const d = employees[id]?.departedOn; return d !== undefined && d < on })
  if (departed.length > 0) throw new DomainError('EmployeeDeparted', `left the agency before ${on}: ${departed.join(', ')}`, { employeeIds: departed })
}

function complete(command: RecordTrainingCompletions, state: TrainingState): TrainingEvent[] {
  const { fiscalYear: asked, courseId, completedOn, employeeIds, employees } = command.data
  const { actor, now } = command.metadata
  const fiscalYear = requirePlan(state, asked)
  const done = state.completed.get(courseId)
  if (done === undefined) throw new DomainError('UnknownCourse', `the training plan of fiscal year ${fiscalYear} has no course ${courseId}`, { fiscalYear, courseId })
  const { start, end } = fiscalYearBounds(fiscalYear)
  if (completedOn < start || completedOn > end) {
    throw new DomainError('CompletionOutsideFiscalYear', `a completion of fiscal year ${fiscalYear} falls within ${start} – ${end}, not on ${completedOn}; record it in that year's plan`, { fiscalYear, start, end })
  }
  if (completedOn > tokyoDate(now)) throw new DomainError('CompletionInFuture', `${completedOn} is after today (${tokyoDate(now)}); record completions once they happened`)
  const unique = [...new Set(employeeIds)]
  checkEmployees(unique, employees, completedOn)
  // A repeated completion is no error (lists get sent twice); it is simply not a new fact. But after a
  // transfer the course is taken again for the new unit (the newcomer rule): that one is new.
  const fresh = unique.filter((id) => {
    const last = done.get(id)
    const since = employees[id]?.since
    return last === undefined || (since !== undefined && last < since && completedOn >= since)
  })
  if (fresh.length === 0) return []
  return [{ type: 'TrainingCompleted', data: { fiscalYear, courseId, completedOn, employeeIds: fresh, recordedBy: actor.id, at: now } }]
}

export const trainingDecider: Decider<TrainingCommand, TrainingEvent, TrainingState> = {
  streamType: 'training',
  initialState: () => ({ completed: new Map() }),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'PlanTraining': return plan(command, state)
      case 'AddCourse': return addCourse(command, state)
      case 'RecordTrainingCompletions': return complete(command, state)
    }
  },
}

/** One training stream per agency and fiscal year. */
export const trainingStreamId = (fiscalYear: number) => `training-${fiscalYear}`
