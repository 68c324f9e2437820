// Exceptional actions (Art. 7) as commands. The application looks up what the pure decider needs (the
// agency's Common Standards edition, the applicant's unit, whether a unit exists) and tells the runner
// what a decision concerns: the excepted clause (an approver's designation must cover it) or the
// applicant's unit (its security officer endorses).
import { z } from 'zod'
import {
  ApproveExceptionInput, CloseExceptionInput, EndorseExceptionInput, exceptionDecider, exceptionRules, exceptionStreamId,
  FileEmergencyExceptionInput, MarkExceptionOverdueInput, RejectExceptionInput, ReportExceptionEndInput, RequestExceptionInput,
  RevokeExceptionInput, StartExaminationInput, type ExceptionCommand, type ExceptionEvent, type ExceptionState,
} from '../domain/exception/index.js'
import type { Target } from '../domain/shared/authorization.js'
import { DomainError } from '../domain/shared/errors.js'
import { policyStreamId } from '../domain/policy/index.js'
import { toDomainEvent } from '../eventstore/handle-command.js'
import type { EventStore } from '../eventstore/types.js'
import { defineCommand, newRecordId, runCommand, type CommandOutcome, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'
import { loadAgency, loadEmployeeFacts } from './lookups.js'

const tag = 'exceptions'
const none = z.object({})
const ExceptionParams = z.object({ exceptionId: z.uuid().describe('exception id') })

/** The exception as its stream folds today (the log, never the ledger read model). */
export async function loadException(store: EventStore, agencyId: string, exceptionId: string): Promise<ExceptionState> {
  const stream = await store.readStream(agencyId, exceptionStreamId(exceptionId))
  return stream.events.map((e) => toDomainEvent<ExceptionEvent>(e)).reduce(exceptionDecider.evolve, exceptionDecider.initialState())
}

/** The edition of the agency's latest adopted standards; R3 (the 2021 edition the Common Model refers to) when none. */
async function adoptedEdition(store: EventStore, agencyId: string): Promise<string> {
  const stream = await store.readStream(agencyId, policyStreamId)
  const adopted = stream.events.filter((e) => e.type === 'StandardsAdopted').at(-1)?.data.edition
  return typeof adopted === 'string' ? adopted : 'R3'
}

async function requestFacts(s: Services, p: Principal, ctx: RequestContext, unitId: string | undefined, purpose: string) {
  const [edition, employees, agency] = await Promise.all([
    adoptedEdition(s.store, p.agencyId), loadEmployeeFacts(s.store, p.agencyId, [p.actorId]), unitId === undefined ? undefined : loadAgency(s.store, p.agencyId),
  ])
  return {
    exceptionId: newRecordId(p, ctx, purpose), edition, applicantUnitId: employees[p.actorId]?.unitId,
    unitExists: unitId === undefined ? undefined : agency?.units.has(unitId) === true,
  }
}

type TargetOf = 'clause' | 'applicantUnit' | 'none'

/** Decide on an existing exception; the target comes from its stream, so a scoped role is checked against it. */
async function onException(s: Services, p: Principal, ctx: RequestContext, exceptionId: string, command: Omit<ExceptionCommand, 'metadata'>, fingerprint: unknown, targetOf: TargetOf): Promise<CommandOutcome> {
  let target: Target | undefined
  if (targetOf !== 'none') {
    const state = await loadException(s.store, p.agencyId, exceptionId)
    // Without the exception there is nothing to scope the role check to: say so rather than "forbidden".
    if (state.clause === undefined || state.applicantUnitId === undefined) throw new DomainError('ExceptionNotFound', `no exception ${exceptionId} in this agency`)
    target = targetOf === 'clause' ? { clauses: [state.clause] } : { unitIds: [state.applicantUnitId] }
  }
  const result = await runCommand(s, p, ctx, { decider: exceptionDecider, streamId: exceptionStreamId(exceptionId), command: command as never, fingerprint, target })
  return { ...result, id: exceptionId }
}

async function fileException(s: Services, p: Principal, ctx: RequestContext, command: Omit<ExceptionCommand, 'metadata'> & { data: { exceptionId: string } }, fingerprint: unknown): Promise<CommandOutcome> {
  const exceptionId = command.data.exceptionId
  const result = await runCommand(s, p, ctx, { decider: exceptionDecider, streamId: exceptionStreamId(exceptionId), command: command as never, fingerprint })
  return { ...result, id: exceptionId }
}

/** The scheduler's (and the ledger keeper's) idempotent step: records overdue only when the period has ended. */
export const markOverdue = (s: Services, p: Principal, ctx: RequestContext, exceptionId: string): Promise<CommandOutcome> =>
  onException(s, p, ctx, exceptionId, { type: 'MarkExceptionOverdue', data: {} }, { exceptionId }, 'none')

const byId = (type: Exclude<ExceptionCommand['type'], 'RequestException' | 'FileEmergencyException' | 'MarkExceptionOverdue'>, targetOf: TargetOf) =>
  (s: Services, p: Principal, { exceptionId }: { exceptionId: string }, input: object, ctx: RequestContext) =>
    onException(s, p, ctx, exceptionId, { type, data: input } as Omit<ExceptionCommand, 'metadata'>, { exceptionId, input }, targetOf)

export const exceptionCommands = [
  defineCommand({
    type: 'RequestException', tag, summary: 'Request an exceptional action (Art. 7): the clause excepted, rules lifted, what it covers, period, measures, compensating measures, impact, end-report method, reason', path: '/exceptions', mutation: 'requestException',
    params: none, input: RequestExceptionInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const facts = await requestFacts(s, p, ctx, input.unitId, 'RequestException')
      return fileException(s, p, ctx, { type: 'RequestException', data: { ...input, ...facts } }, input)
    },
  }),
  defineCommand({
    type: 'FileEmergencyException', tag, summary: `File the notice of an emergency exceptional action already taken (within ${exceptionRules.emergencyNoticeHours} hours of acting); it is then examined and decided`, path: '/exceptions/emergency', mutation: 'fileEmergencyException',
    params: none, input: FileEmergencyExceptionInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const facts = await requestFacts(s, p, ctx, input.unitId, 'FileEmergencyException')
      return fileException(s, p, ctx, { type: 'FileEmergencyException', data: { ...input, ...facts, noticeWindowHours: exceptionRules.emergencyNoticeHours } }, input)
    },
  }),
  defineCommand({
    type: 'EndorseException', tag, summary: "Endorse a request (the applicant's unit security officer; optional step)", path: '/exceptions/:exceptionId/endorsement', mutation: 'endorseException',
    params: ExceptionParams, input: EndorseExceptionInput, run: byId('EndorseException', 'applicantUnit'),
  }),
  defineCommand({
    type: 'StartExamination', tag, summary: 'Start examining a request (an approver designated for its clause, or the general security officer)', path: '/exceptions/:exceptionId/examination', mutation: 'startExceptionExamination',
    params: ExceptionParams, input: StartExaminationInput, run: byId('StartExamination', 'clause'),
  }),
  defineCommand({
    type: 'ApproveException', tag, summary: 'Approve an exception with reasons and exactly what is permitted (never wider than requested); an approver designated for its clause, never the applicant', path: '/exceptions/:exceptionId/approval', mutation: 'approveException',
    params: ExceptionParams, input: ApproveExceptionInput, run: byId('ApproveException', 'clause'),
  }),
  defineCommand({
    type: 'RejectException', tag, summary: 'Reject an exception with reasons (an approver designated for its clause, never the applicant)', path: '/exceptions/:exceptionId/rejection', mutation: 'rejectException',
    params: ExceptionParams, input: RejectExceptionInput, run: byId('RejectException', 'clause'),
  }),
  defineCommand({
    type: 'ReportExceptionEnd', tag, summary: 'Report how an approved (or overdue) exception ended (the applicant)', path: '/exceptions/:exceptionId/end-report', mutation: 'reportExceptionEnd',
    params: ExceptionParams, input: ReportExceptionEndInput, run: byId('ReportExceptionEnd', 'none'),
  }),
  defineCommand({
    type: 'CloseException', tag, summary: 'Close an exception whose end was reported', path: '/exceptions/:exceptionId/close', mutation: 'closeException',
    params: ExceptionParams, input: CloseExceptionInput, run: byId('CloseException', 'clause'),
  }),
  defineCommand({
    type: 'RevokeException', tag, summary: 'Revoke an exception while it is in force (approved, not yet overdue) with a reason; it covers nothing from then on', path: '/exceptions/:exceptionId/revocation', mutation: 'revokeException',
    params: ExceptionParams, input: RevokeExceptionInput, run: byId('RevokeException', 'clause'),
  }),
  defineCommand({
    type: 'MarkExceptionOverdue', tag, summary: 'Record that an approved exception is overdue (its period ended without an end report); nothing happens otherwise. The scheduler does this on its own', path: '/exceptions/:exceptionId/overdue', mutation: 'markExceptionOverdue',
    params: ExceptionParams, input: MarkExceptionOverdueInput, run: (s, p, { exceptionId }, _input, ctx) => markOverdue(s, p, ctx, exceptionId),
  }),
]
