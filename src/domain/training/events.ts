import type { DomainEvent } from '../shared/decider.js'

export type Course = { courseId: string; title: string; audience: { kind: 'ALL' } | { kind: 'UNITS'; unitIds: string[] }; mandatory: boolean }

export type TrainingPlanned = DomainEvent<'TrainingPlanned', { fiscalYear: number; courses: Course[]; plannedBy: string; at: string }>
export type TrainingCourseAdded = DomainEvent<'TrainingCourseAdded', Course & { fiscalYear: number; addedBy: string; at: string }>
/** Lists only employees who had not completed the course before: a completion is recorded once. */
export type TrainingCompleted = DomainEvent<'TrainingCompleted', {
  fiscalYear: number; courseId: string; completedOn: string; employeeIds: string[]; recordedBy: string; at: string
}>

export type TrainingEvent = TrainingPlanned | TrainingCourseAdded | TrainingCompleted
export const trainingEventTypes = ['TrainingPlanned', 'TrainingCourseAdded', 'TrainingCompleted'] as const satisfies readonly TrainingEvent['type'][]
