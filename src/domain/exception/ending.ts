// How an approved exception ends: the applicant's end report (also after it became overdue), closing
// by the ledger keeper or an approver, revocation while it is in force, and overdue (the scheduler).
import { DomainError } from '../shared/errors.js'
import type { CloseException, MarkExceptionOverdue, ReportExceptionEnd, RevokeException } from './commands.js'
import type { ExceptionEvent } from './events.js'
import { ms, requireException, requireNotApplicant, requireStatus, type ExceptionState } from './state.js'

export function reportExceptionEnd(command: ReportExceptionEnd, state: ExceptionState): ExceptionEvent[] {
  const s = requireException(state)
  const { actor, now } = command.metadata
  const { endedAt, howEnded } = command.data
  requireStatus(s, ['APPROVED', 'OVERDUE'], 'an end report')
  if (actor.id !== s.applicantId) {
    throw new DomainError('NotApplicant', `only the applicant (${s.applicantId}) reports the end of exception ${s.exceptionId}`, { applicantId: s.applicantId })
  }
  if (ms(endedAt) > ms(now)) throw new DomainError('EndedInFuture', `endedAt ${endedAt} is after now; report the end once it has happened`, { endedAt })
  if (s.permit !== undefined && ms(endedAt) < ms(s.permit.from)) {
    throw new DomainError('EndedBeforeStart', `endedAt ${endedAt} is before the permitted period began (${s.permit.from})`, { endedAt, from: s.permit.from })
  }
  return [{ type: 'ExceptionEndReported', data: { exceptionId: s.exceptionId, reportedBy: actor.id, endedAt, howEnded, wasOverdue: s.status === 'OVERDUE', at: now } }]
}

export function closeException(command: CloseException, state: ExceptionState): ExceptionEvent[] {
  const s = requireException(state)
  const { actor, now } = command.metadata
  requireStatus(s, ['END_REPORTED'], 'closing')
  requireNotApplicant(s, actor.id, 'close')
  return [{ type: 'ExceptionClosed', data: { exceptionId: s.exceptionId, closedBy: actor.id, note: command.data.note, at: now } }]
}

export function revokeException(command: RevokeException, state: ExceptionState): ExceptionEvent[] {
  const s = requireException(state)
  const { actor, now } = command.metadata
  // Revoked while in force only: an overdue exception owes its end report, which revoking would hide.
  requireStatus(s, ['APPROVED'], 'revocation')
  return [{ type: 'ExceptionRevoked', data: { exceptionId: s.exceptionId, revokedBy: actor.id, reason: command.data.reason, at: now } }]
}

/** Idempotent: nothing to record unless it is approved and its permitted period has ended (the scheduler repeats). */
export function markExceptionOverdue(command: MarkExceptionOverdue, state: ExceptionState): ExceptionEvent[] {
  const s = requireException(state)
  const { now } = command.metadata
  if (s.status !== 'APPROVED' || s.permit === undefined || ms(s.permit.to) >= ms(now)) return []
  return [{ type: 'ExceptionBecameOverdue', data: { exceptionId: s.exceptionId, dueAt: s.permit.to, at: now } }]
}
