// The state an exception's stream folds to, and the checks every transition shares.
import { DomainError } from '../shared/errors.js'
import type { ExceptionEvent } from './events.js'

export const exceptionStatuses = ['REQUESTED', 'ENDORSED', 'UNDER_EXAMINATION', 'APPROVED', 'REJECTED', 'OVERDUE', 'END_REPORTED', 'CLOSED', 'REVOKED'] as const
export type ExceptionStatus = (typeof exceptionStatuses)[number]
/** As shown: APPROVED reads ACTIVE while its approved period contains now (derived from time, never stored). */
export const shownExceptionStatuses = [...exceptionStatuses, 'ACTIVE'] as const
export type ShownExceptionStatus = (typeof shownExceptionStatuses)[number]

/** What a request asks for, or what an approval permits. */
export interface Permit {
  rules: readonly string[]
  steps: readonly string[]
  assetIds: readonly string[]
  unitId?: string | undefined
  from: string
  to: string
}

export interface ExceptionState {
  exceptionId?: string | undefined
  status?: ExceptionStatus | undefined
  emergency: boolean
  applicantId?: string | undefined
  applicantUnitId?: string | undefined
  clause?: string | undefined
  requested?: Permit | undefined
  permit?: Permit | undefined
  endedAt?: string | undefined
}

export type ExistingException = ExceptionState & {
  exceptionId: string; status: ExceptionStatus; applicantId: string; applicantUnitId: string; clause: string; requested: Permit
}

export const initialExceptionState = (): ExceptionState => ({ emergency: false })

export function evolveException(state: ExceptionState, event: ExceptionEvent): ExceptionState {
  switch (event.type) {
    case 'ExceptionRequested':
    case 'EmergencyExceptionFiled': {
      const { exceptionId, applicantId, applicantUnitId, clause, rules, steps, assetIds, unitId, from, to } = event.data
      return {
        ...state, exceptionId, status: 'REQUESTED', emergency: event.type === 'EmergencyExceptionFiled', applicantId, applicantUnitId, clause,
        requested: { rules, steps, assetIds, unitId, from, to },
      }
    }
    case 'ExceptionEndorsed': return { ...state, status: 'ENDORSED' }
    case 'ExceptionExaminationStarted': return { ...state, status: 'UNDER_EXAMINATION' }
    case 'ExceptionApproved': {
      const { rules, steps, assetIds, unitId, from, to } = event.data
      return { ...state, status: 'APPROVED', permit: { rules, steps, assetIds, unitId, from, to } }
    }
    case 'ExceptionRejected': return { ...state, status: 'REJECTED' }
    case 'ExceptionBecameOverdue': return { ...state, status: 'OVERDUE' }
    case 'ExceptionEndReported': return { ...state, status: 'END_REPORTED', endedAt: event.data.endedAt }
    case 'ExceptionClosed': return { ...state, status: 'CLOSED' }
    case 'ExceptionRevoked': return { ...state, status: 'REVOKED' }
  }
}

export function requireException(state: ExceptionState): ExistingException {
  if (state.exceptionId === undefined || state.status === undefined || state.applicantId === undefined || state.requested === undefined) {
    throw new DomainError('ExceptionNotFound', 'no such exception in this agency')
  }
  return state as ExistingException
}

/** The step needs one of `allowed`; the message says where the exception stands. */
export function requireStatus(state: ExistingException, allowed: readonly ExceptionStatus[], step: string): void {
  if (allowed.includes(state.status)) return
  throw new DomainError('ExceptionTransitionNotAllowed', `exception ${state.exceptionId} is ${state.status}; ${step} needs it ${allowed.join(' or ')}`, {
    status: state.status, allowed: [...allowed],
  })
}

/** Separation of duties (兼務禁止): the applicant never decides on their own exception. */
export function requireNotApplicant(state: ExistingException, actorId: string, what: string): void {
  if (actorId === state.applicantId) {
    throw new DomainError('SelfApproval', `you applied for exception ${state.exceptionId}, so you cannot ${what} it (separation of duties): another designated approver must`, {
      applicantId: state.applicantId,
    })
  }
}

/** Instants compared as instants (offsets differ), not as strings. */
export const ms = (instant: string): number => Date.parse(instant)
