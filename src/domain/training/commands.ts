// Education commands (Art. 8): the training plan of a fiscal year (its courses and their audience),
// and completions per employee. How many trainings count as "covered" is an agency setting, read by
// the coverage query, not a rule here.
import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { FiscalYear } from '../shared/fiscal-year.js'
import type { EmployeeFacts } from '../management/commands.js'
import { calendarDate, localId, text } from '../shared/values.js'

export const CourseAudience = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ALL') }).strict(),
  z.object({ kind: z.literal('UNITS'), unitIds: z.array(localId).min(1).max(500) }).strict(),
]).describe('every employee ({ kind: "ALL" }), or the employees of the units listed ({ kind: "UNITS", unitIds })')
export type CourseAudience = z.infer<typeof CourseAudience>

export const CourseInput = z.object({
  courseId: localId.describe('the course code within the fiscal year, e.g. "basics-2026"'),
  title: text(300),
  audience: CourseAudience.default({ kind: 'ALL' }),
  mandatory: z.boolean().default(true),
})
export const PlanTrainingInput = z.object({
  fiscalYear: FiscalYear,
  courses: z.array(CourseInput).min(1).max(200),
})
export const AddCourseInput = CourseInput
export const RecordTrainingCompletionsInput = z.object({
  completedOn: calendarDate.describe('the day the employees completed the course, within the fiscal year and not in the future'),
  employeeIds: z.array(localId).min(1).max(1000),
})

/** The agency's units, looked up by the application (they live on the agency's stream). */
type Units = { units: ReadonlySet<string> }
export type PlanTraining = Command<'PlanTraining', z.output<typeof PlanTrainingInput> & Units>
export type AddCourse = Command<'AddCourse', z.output<typeof AddCourseInput> & Units & { fiscalYear: number }>
export type RecordTrainingCompletions = Command<'RecordTrainingCompletions', z.output<typeof RecordTrainingCompletionsInput> & {
  fiscalYear: number; courseId: string; employees: EmployeeFacts
}>
export type TrainingCommand = PlanTraining | AddCourse | RecordTrainingCompletions
