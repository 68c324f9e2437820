import type { DomainEvent } from '../shared/decider.js'

/** What was asked: shared by the request and the emergency notice. */
export type ExceptionRequestData = {
  exceptionId: string
  applicantId: string
  applicantUnitId: string
  edition: string
  clause: string
  rules: string[]
  /** The lifecycle steps of the rules (derived, for readers). */
  steps: string[]
  assetIds: string[]
  unitId?: string | undefined
  from: string
  to: string
  measures: string
  compensatingMeasures: string[]
  securityImpact: string
  impactHandling: string
  endReportMethod: string
  reason: string
  at: string
}

export type ExceptionRequested = DomainEvent<'ExceptionRequested', ExceptionRequestData>
/** Acted first (Art. 7 emergency path); the notice then goes through examination like a request. */
export type EmergencyExceptionFiled = DomainEvent<'EmergencyExceptionFiled', ExceptionRequestData & { actedAt: string }>
export type ExceptionEndorsed = DomainEvent<'ExceptionEndorsed', { exceptionId: string; endorsedBy: string; unitId: string; note?: string | undefined; at: string }>
export type ExceptionExaminationStarted = DomainEvent<'ExceptionExaminationStarted', { exceptionId: string; examinedBy: string; note?: string | undefined; at: string }>
export type ExceptionApproved = DomainEvent<'ExceptionApproved', {
  exceptionId: string; approvedBy: string; reasons: string; emergency: boolean
  /** What exactly is permitted: never wider than the request. */
  rules: string[]; steps: string[]; assetIds: string[]; unitId?: string | undefined; from: string; to: string
  measures?: string | undefined; at: string
}>
export type ExceptionRejected = DomainEvent<'ExceptionRejected', { exceptionId: string; rejectedBy: string; reasons: string; emergency: boolean; at: string }>
export type ExceptionEndReported = DomainEvent<'ExceptionEndReported', { exceptionId: string; reportedBy: string; endedAt: string; howEnded: string; wasOverdue: boolean; at: string }>
export type ExceptionClosed = DomainEvent<'ExceptionClosed', { exceptionId: string; closedBy: string; note?: string | undefined; at: string }>
export type ExceptionRevoked = DomainEvent<'ExceptionRevoked', { exceptionId: string; revokedBy: string; reason: string; at: string }>
/** Appended by the scheduler: the approved period ended (`dueAt`) without an end report. */
export type ExceptionBecameOverdue = DomainEvent<'ExceptionBecameOverdue', { exceptionId: string; dueAt: string; at: string }>

export type ExceptionEvent = ExceptionRequested | EmergencyExceptionFiled | ExceptionEndorsed | ExceptionExaminationStarted | ExceptionApproved
  | ExceptionRejected | ExceptionEndReported | ExceptionClosed | ExceptionRevoked | ExceptionBecameOverdue
export const exceptionEventTypes = [
  'ExceptionRequested', 'EmergencyExceptionFiled', 'ExceptionEndorsed', 'ExceptionExaminationStarted', 'ExceptionApproved',
  'ExceptionRejected', 'ExceptionEndReported', 'ExceptionClosed', 'ExceptionRevoked', 'ExceptionBecameOverdue',
] as const satisfies readonly ExceptionEvent['type'][]
