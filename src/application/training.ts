// Education use cases (Art. 8): the agency's units and the named employees are looked up in their
// streams and handed to the pure decider with the command.
import { z } from 'zod'
import { AddCourseInput, PlanTrainingInput, RecordTrainingCompletionsInput, trainingDecider, trainingStreamId, type TrainingCommand } from '../domain/training/index.js'
import { localId } from '../domain/shared/values.js'
import { defineCommand, runCommand, type CommandOutcome, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'
import type { Target } from '../domain/shared/authorization.js'
import { loadAgency, loadEmployeeFacts } from './lookups.js'
import { FiscalYearParam } from './plans.js'

const tag = 'education'
const PlanParams = z.object({ fiscalYear: FiscalYearParam })
const CourseParams = z.object({ fiscalYear: FiscalYearParam, courseId: localId })

async function trainingCommand(s: Services, p: Principal, ctx: RequestContext, fiscalYear: number, command: Omit<TrainingCommand, 'metadata'>, fingerprint: unknown, id: string, target?: Target): Promise<CommandOutcome> {
  const result = await runCommand(s, p, ctx, { decider: trainingDecider, streamId: trainingStreamId(fiscalYear), command: command as never, fingerprint, target })
  return { ...result, id }
}

export const trainingCommands = [
  defineCommand({
    type: 'PlanTraining', tag, summary: 'Plan the education (Art. 8) of a fiscal year: its courses and their audience', path: '/training', mutation: 'planTraining',
    params: z.object({}), input: PlanTrainingInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const { units } = await loadAgency(s.store, p.agencyId)
      return trainingCommand(s, p, ctx, input.fiscalYear, { type: 'PlanTraining', data: { ...input, units } }, input, String(input.fiscalYear))
    },
  }),
  defineCommand({
    type: 'AddCourse', tag, summary: "Add a course to a fiscal year's training plan", path: '/training/:fiscalYear/courses', mutation: 'addCourse',
    params: PlanParams, input: AddCourseInput, creates: true,
    run: async (s, p, { fiscalYear }, input, ctx) => {
      const { units } = await loadAgency(s.store, p.agencyId)
      return trainingCommand(s, p, ctx, fiscalYear, { type: 'AddCourse', data: { ...input, fiscalYear, units } }, { fiscalYear, input }, input.courseId)
    },
  }),
  defineCommand({
    type: 'RecordTrainingCompletions', tag, summary: 'Record that employees completed a course (up to 1000 at once; repeats are ignored)',
    path: '/training/:fiscalYear/courses/:courseId/completions', mutation: 'recordTrainingCompletions',
    params: CourseParams, input: RecordTrainingCompletionsInput,
    run: async (s, p, { fiscalYear, courseId }, input, ctx) => {
      const employees = await loadEmployeeFacts(s.store, p.agencyId, input.employeeIds)
      // A unit's security officer records completions of that unit's employees only.
      const unitIds = Object.values(employees).flatMap((e) => (e ? [e.unitId] : []))
      return trainingCommand(s, p, ctx, fiscalYear, { type: 'RecordTrainingCompletions', data: { ...input, fiscalYear, courseId, employees } }, { fiscalYear, courseId, input }, courseId, { unitIds })
    },
  }),
]
