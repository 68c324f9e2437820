// Endorsement by the applicant's unit security officer, examination, and the decision by an approver
// designated for the clause (the role check with the clause as target is done by the runner). The
// applicant never takes part in deciding (SelfApproval); the permission is never wider than the request.
import { DomainError } from '../shared/errors.js'
import { lifecycleRules, type LifecycleRuleCode } from '../shared/lifecycle.js'
import type { ApproveException, EndorseException, RejectException, StartExamination } from './commands.js'
import type { ExceptionEvent } from './events.js'
import { ms, requireException, requireNotApplicant, requireStatus, type ExceptionState, type ExistingException, type Permit } from './state.js'

export function endorseException(command: EndorseException, state: ExceptionState): ExceptionEvent[] {
  const s = requireException(state)
  const { actor, now } = command.metadata
  requireStatus(s, ['REQUESTED'], 'endorsement')
  if (actor.id === s.applicantId) {
    throw new DomainError('SelfEndorsement', `you applied for exception ${s.exceptionId}; the security officer of unit ${s.applicantUnitId} endorses it, not the applicant`, { applicantId: s.applicantId })
  }
  return [{ type: 'ExceptionEndorsed', data: { exceptionId: s.exceptionId, endorsedBy: actor.id, unitId: s.applicantUnitId, note: command.data.note, at: now } }]
}

export function startExamination(command: StartExamination, state: ExceptionState): ExceptionEvent[] {
  const s = requireException(state)
  const { actor, now } = command.metadata
  requireStatus(s, ['REQUESTED', 'ENDORSED'], 'examination')
  requireNotApplicant(s, actor.id, 'examine')
  return [{ type: 'ExceptionExaminationStarted', data: { exceptionId: s.exceptionId, examinedBy: actor.id, note: command.data.note, at: now } }]
}

/** What the approval permits: the request narrowed by the approver, refused when anything is wider. */
function permitOf(command: ApproveException, s: ExistingException): Permit {
  const req = s.requested
  const d = command.data
  const rules = [...new Set(d.rules ?? req.rules)]
  const assetIds = [...new Set(d.assetIds ?? req.assetIds)]
  const unitId = d.coverUnit === false ? undefined : req.unitId
  const from = d.from ?? req.from
  const to = d.to ?? req.to
  const wider = [
    ...rules.filter((r) => !req.rules.includes(r)).map((r) => `rule ${r}`),
    ...assetIds.filter((a) => !req.assetIds.includes(a)).map((a) => `asset ${a}`),
    ...(d.coverUnit === true && req.unitId === undefined ? ['a unit (none was requested)'] : []),
    ...(ms(from) < ms(req.from) ? [`from ${from} (requested ${req.from})`] : []),
    ...(ms(to) > ms(req.to) ? [`to ${to} (requested ${req.to})`] : []),
  ]
  if (wider.length > 0) {
    throw new DomainError('PermissionWiderThanRequested', `an approval permits at most what was requested; beyond the request: ${wider.join(', ')}`, { beyond: wider })
  }
  if (ms(to) <= ms(from)) throw new DomainError('InvalidPeriod', `the permitted period ends (${to}) before or when it starts (${from})`, { from, to })
  if (req.rules.length > 0 && (rules.length === 0 || (assetIds.length === 0 && unitId === undefined))) {
    throw new DomainError('NothingPermitted', 'the approval permits no rule or covers no information; permit at least one rule for at least one asset or the unit, or reject the request')
  }
  const steps = [...new Set(rules.map((r) => lifecycleRules[r as LifecycleRuleCode].step))]
  return { rules, steps, assetIds, unitId, from, to }
}

export function approveException(command: ApproveException, state: ExceptionState): ExceptionEvent[] {
  const s = requireException(state)
  const { actor, now } = command.metadata
  requireStatus(s, ['UNDER_EXAMINATION'], 'a decision')
  requireNotApplicant(s, actor.id, 'approve')
  const p = permitOf(command, s)
  return [{
    type: 'ExceptionApproved',
    data: {
      exceptionId: s.exceptionId, approvedBy: actor.id, reasons: command.data.reasons, emergency: s.emergency,
      rules: [...p.rules], steps: [...p.steps], assetIds: [...p.assetIds], unitId: p.unitId, from: p.from, to: p.to, measures: command.data.measures, at: now,
    },
  }]
}

export function rejectException(command: RejectException, state: ExceptionState): ExceptionEvent[] {
  const s = requireException(state)
  const { actor, now } = command.metadata
  requireStatus(s, ['UNDER_EXAMINATION'], 'a decision')
  requireNotApplicant(s, actor.id, 'reject')
  return [{ type: 'ExceptionRejected', data: { exceptionId: s.exceptionId, rejectedBy: actor.id, reasons: command.data.reasons, emergency: s.emergency, at: now } }]
}
