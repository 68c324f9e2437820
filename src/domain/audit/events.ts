import type { DomainEvent } from '../shared/decider.js'
import type { FindingSeverity, FollowUpStatus } from './commands.js'

type StandardsItemRef = { edition: string; code: string }

export type AuditPlanned = DomainEvent<'AuditPlanned', {
  auditId: string; fiscalYear: number; title: string; objective?: string | undefined; scopeUnitIds: string[]; auditorIds: string[]
  fieldworkFrom: string; fieldworkTo: string; plannedBy: string; at: string
}>
export type AuditPlanApproved = DomainEvent<'AuditPlanApproved', { auditId: string; note?: string | undefined; approvedBy: string; at: string }>
export type AuditFindingRecorded = DomainEvent<'AuditFindingRecorded', {
  auditId: string; findingId: string; unitId: string; standardsItem: StandardsItemRef; severity: FindingSeverity; description: string
  dueOn: string; recordedBy: string; at: string
}>
export type AuditReported = DomainEvent<'AuditReported', {
  auditId: string; summary: string; reportedTo: string; findingCount: number; openFindingCount: number; reportedBy: string; at: string
}>
export type ImprovementPlanRecorded = DomainEvent<'ImprovementPlanRecorded', {
  auditId: string; findingId: string; actions: string[]; ownerId: string; dueOn: string; recordedBy: string; at: string
}>
export type AuditFollowUpRecorded = DomainEvent<'AuditFollowUpRecorded', {
  auditId: string; findingId: string; followUpId: string; note: string; status: FollowUpStatus; recordedBy: string; at: string
}>
export type AuditFindingClosed = DomainEvent<'AuditFindingClosed', { auditId: string; findingId: string; note?: string | undefined; closedBy: string; at: string }>
/** The report is in and every finding is closed: recorded with the event that completed it. */
export type AuditClosed = DomainEvent<'AuditClosed', { auditId: string; at: string }>

export type AuditEvent = AuditPlanned | AuditPlanApproved | AuditFindingRecorded | AuditReported | ImprovementPlanRecorded | AuditFollowUpRecorded
  | AuditFindingClosed | AuditClosed
export const auditEventTypes = [
  'AuditPlanned', 'AuditPlanApproved', 'AuditFindingRecorded', 'AuditReported', 'ImprovementPlanRecorded', 'AuditFollowUpRecorded',
  'AuditFindingClosed', 'AuditClosed',
] as const satisfies readonly AuditEvent['type'][]
